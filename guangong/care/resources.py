"""Care cases' resources (``core.resources``)."""

from django.utils.translation import pgettext_lazy

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register
from guangong.orgs.models import Organization

from .api import CaseViewSet
from .filters import AccessFilterSet, CaseFilterSet
from .forms import CaseForm
from .models import Access, Case
from .serializers import CaseSerializer
from .services.cases import save_case
from .tables import AccessTable, CaseTable
from .views.actions import AccessLogView
from .views.cases import CaseDetailView, CaseFormView, CaseListView


def approves(user, case: Case) -> bool:
    """An approver belongs to the case's organisation or to the one directly above it (a
    superuser without an organisation approves everywhere)."""
    own = user.organization
    if own is None:
        return user.is_superuser
    path = case.organization.path
    return own.path in (path, path[: -Organization.steplen])


CARE = ("care",)

# Cases hold children's data: only users who may work on cases (``care``) open one; everyone
# with ``view`` may know how many there are. Workflow steps need ``care`` (and then ``edit``,
# or ``approve`` for the approver's steps, asked per step). ``edit``: whoever edits records at
# all reaches a case's edit page, and finds a case they may not change absent (404).
register(
    Resource(
        Case,
        policy=Policy(
            verbs={
                "read": ("view", *CARE),
                "write": ("edit", *CARE),
                "approve": ("approve", *CARE),
                "reveal": ("reveal", *CARE),
                "transition": CARE,
                "edit": ("edit",),
            },
            rules={"approve": approves},
        ),
        filterset=CaseFilterSet,
        table=CaseTable,
        form=CaseForm,
        serializer=CaseSerializer,
        save=save_case,
        # No deleting: a case is closed, and anonymised after the retention period.
        pages=("list", "detail", "add", "edit"),
        views={
            "list": CaseListView,
            "detail": CaseDetailView,
            "add": CaseFormView,
            "edit": CaseFormView,
        },
        detail_template="care/case_detail.html",
        select_related=("organization", "kind", "youth", "care_worker", "funding_source"),
        api="cases",
        api_viewset=CaseViewSet,
        api_summaries={
            "retrieve": "One care case (the reading is written to the case's access log)",
            "create": "Register a care case (登记)",
            "update": "Update a care case that is not closed",
            "partial_update": "Update some fields of a care case",
            "transition": "Apply a workflow action (submit, assess, approve, disburse, close, "
            "return, reopen); refused out of order, with a message, and nothing changes",
            "reveal": "Reveal a hidden field (needs the reveal capability and a reason; logged)",
            "follow_ups": "Record a follow-up visit (回访)",
            "consent": "Record the guardian's consent (监护人同意)",
        },
    )
)
# Every opening, reveal, export and download of a case: read by auditors (``access-log/``).
register(
    Resource(
        Access,
        policy=Policy(owner="org_path", verbs={"read": ("audit",)}),
        prefix="access-log",
        filterset=AccessFilterSet,
        table=AccessTable,
        pages=("list",),
        views={"list": AccessLogView},
    )
)

menu.register(
    MenuItem("care:case_list", pgettext_lazy("menu", "Care cases"), order=90, testid="nav-care")
)
