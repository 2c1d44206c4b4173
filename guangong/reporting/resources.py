"""Reporting's resources (``core.resources``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .api import ReportFormViewSet, ReportViewSet
from .filters import ReportFilterSet, ReportFormFilterSet
from .forms import ReportFormForm
from .models import Report, ReportForm
from .serializers import ReportFormSerializer, ReportSerializer
from .services import editing
from .services.chain import collects
from .tables import ReportFormTable
from .views.editor import FormDetailView, FormEditView, FormListView, FormPreviewView
from .views.reports import ReportDetailView

# A form defined above reaches down: every organisation below its owner reads it. Forms are
# defined and changed by approvers (``approve``) in their own subtree.
register(
    Resource(
        ReportForm,
        policy=Policy(owner="owner__path", reach_up=True, verbs={"write": ("approve",)}),
        prefix="forms",
        noun="form",
        pages=("list", "detail", "add", "edit", "preview"),
        views={
            "preview": FormPreviewView,
            "list": FormListView,
            "detail": FormDetailView,
            "add": FormEditView,
            "edit": FormEditView,
        },
        filterset=ReportFormFilterSet,
        table=ReportFormTable,
        form=ReportFormForm,
        serializer=ReportFormSerializer,
        save=editing.save_form,
        api="report-forms",
        api_viewset=ReportFormViewSet,
        api_noun="report form",
        api_summaries={
            "list": "List the report forms that reach the caller",
            "retrieve": "One report form with its sections, items and rules",
            "create": "Define a report form for the caller's organisation",
            "update": "Change a report form owned in the caller's subtree",
            "partial_update": "Change some fields of a report form",
        },
        select_related=("owner",),
    )
)

# A report is filed in its organisation's subtree; it is approved, returned and unlocked by
# an approver of the organisation that collects it (``services.chain.collector_of``).
register(
    Resource(
        Report,
        policy=Policy(rules={"approve": collects}),
        filterset=ReportFilterSet,
        serializer=ReportSerializer,
        pages=("detail",),
        views={"detail": ReportDetailView},
        api="reports",
        api_viewset=ReportViewSet,
        api_noun="report",
        api_summaries={
            "list": "List the reports in the caller's subtree",
            "retrieve": "One report with its values",
            "submit": "Submit the report",
            "approve": "Approve the report",
            "return_report": "Return the report with a comment",
            "unlock": "Unlock an approved report with a reason",
            "open": "Open (prefilled) the report of an organisation for a period",
            "not_reported": "Mark an organisation's report not reported (未报), with the reason",
        },
        select_related=("form", "organization"),
    )
)

menu.register(
    MenuItem("reporting:my_reports", _("Statistical reports"), order=110, testid="nav-reports")
)
