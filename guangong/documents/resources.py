"""Documents' resources (``core.resources``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import services
from .filters import BulletinFilterSet, GeneratedFilterSet, SummaryFilterSet
from .forms import BulletinForm
from .models import Bulletin, DocumentTemplate, GeneratedDocument, WorkSummary
from .tables import BulletinTable, GeneratedTable, SummaryTable
from .views.bulletins import (
    BulletinDetailView,
    BulletinEditView,
    BulletinIssueView,
    BulletinListView,
)
from .views.files import (
    GeneratedDownloadView,
    GeneratedListView,
    TemplateFileView,
    TemplateRestoreView,
)
from .views.summaries import (
    SummaryDetailView,
    SummaryEditView,
    SummaryListView,
    SummaryStartView,
)

# Bulletins, summaries and the files generated from them belong to the issuing organisation
# and are read in its subtree. The bulletins' list is the documents' first page; both editors
# show sections beside the particulars (``views``).
register(
    Resource(
        Bulletin,
        prefix="bulletins",
        filterset=BulletinFilterSet,
        table=BulletinTable,
        form=BulletinForm,
        save=services.save_bulletin,
        delete=services.delete_bulletin,
        pages=("list", "detail", "add", "edit", "delete", "issue"),
        routes={"list": ""},
        views={
            "issue": BulletinIssueView,
            "list": BulletinListView,
            "detail": BulletinDetailView,
            "add": BulletinEditView,
            "edit": BulletinEditView,
        },
        select_related=("organization",),
    )
)
register(
    Resource(
        WorkSummary,
        prefix="summaries",
        noun="summary",
        filterset=SummaryFilterSet,
        table=SummaryTable,
        pages=("list", "detail", "add", "edit"),
        views={
            "list": SummaryListView,
            "detail": SummaryDetailView,
            "add": SummaryStartView,
            "edit": SummaryEditView,
        },
        select_related=("organization",),
    )
)
register(
    Resource(
        GeneratedDocument,
        prefix="files",
        noun="generated",
        filterset=GeneratedFilterSet,
        table=GeneratedTable,
        pages=("list", "download"),
        views={"list": GeneratedListView, "download": GeneratedDownloadView},
        select_related=("organization", "bulletin", "summary"),
    )
)

# A template belongs to an organisation and serves its subtree; only administrators
# (``manage_system``) list or change templates, within their own subtree.
ADMINISTRATORS = ("manage_system",)
register(
    Resource(
        DocumentTemplate,
        policy=Policy(owner="owner__path", verbs={"read": ADMINISTRATORS, "write": ADMINISTRATORS}),
        prefix="templates",
        noun="template",
        pages=("file", "restore"),
        views={"file": TemplateFileView, "restore": TemplateRestoreView},
    )
)

menu.register(
    MenuItem(
        "documents:bulletin_list", _("Bulletins and summaries"), order=120, testid="nav-documents"
    )
)
