"""Care cases' resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .models import Access, Case

# Cases hold children's data: only users who may work on cases (``care``) open one; everyone
# with ``view`` may know how many there are.
register(
    Resource(
        Case,
        policy=Policy(verbs={"read": ("view", "care"), "write": ("edit", "care")}),
    )
)
# Every opening, reveal, export and download of a case: read by auditors.
register(Resource(Access, policy=Policy(owner="org_path", verbs={"read": ("audit",)})))
