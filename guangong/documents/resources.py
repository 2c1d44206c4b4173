"""Documents' resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .models import DocumentTemplate

# A template belongs to an organisation and serves its subtree; only administrators
# (``manage_system``) list or change templates, within their own subtree.
ADMINISTRATORS = ("manage_system",)
register(
    Resource(
        DocumentTemplate,
        policy=Policy(owner="owner__path", verbs={"read": ADMINISTRATORS, "write": ADMINISTRATORS}),
    )
)
