"""Documents' resources (``core.resources``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import services
from .filters import BulletinFilterSet, GeneratedFilterSet, SummaryFilterSet
from .models import Bulletin, DocumentTemplate, GeneratedDocument, WorkSummary
from .tables import BulletinTable, GeneratedTable, SummaryTable
from .views.bulletins import BulletinDetailView
from .views.summaries import SummaryDetailView, SummaryListView

# Bulletins, summaries and the files generated from them belong to the issuing organisation
# and are read in its subtree; the editors (bulletins' and summaries') are pages of their own.
register(
    Resource(
        Bulletin,
        prefix="bulletins",
        filterset=BulletinFilterSet,
        table=BulletinTable,
        save=services.save_bulletin,
        delete=services.delete_bulletin,
        pages=("detail", "delete"),
        views={"detail": BulletinDetailView},
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
        pages=("list", "detail"),
        views={"list": SummaryListView, "detail": SummaryDetailView},
        select_related=("organization",),
    )
)
register(
    Resource(
        GeneratedDocument,
        filterset=GeneratedFilterSet,
        table=GeneratedTable,
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
    )
)

menu.register(
    MenuItem(
        "documents:bulletin_list", _("Bulletins and summaries"), order=120, testid="nav-documents"
    )
)
