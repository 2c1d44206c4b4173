"""Notices and information items as resources (``core.resources``): policies, pages, API,
menu entries."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import rules
from .api import InfoItemViewSet, NoticeViewSet
from .filters import ItemFilterSet, NoticeFilterSet
from .forms import ItemForm, NoticeForm
from .models import InfoItem, Notice, Receipt
from .services import items as item_services
from .services import notices as notice_services
from .tables import ItemTable, NoticeTable
from .views import items as item_views
from .views import notices as notice_views

# A notice is read by the issuer's side (its subtree and those above) and by its recipients'
# (the receipts' organisations and those above them) and its joint issuers; only a draft is
# changed. ``remind`` is the issuer side's (edit verb), on an issued notice.
register(
    Resource(
        Notice,
        policy=Policy(
            verbs={"remind": ("edit",)},
            reach=("receipts__organization__path", "co_issuers__path"),
            rules={"write": rules.notice_is_draft},
        ),
        filterset=NoticeFilterSet,
        table=NoticeTable,
        form=NoticeForm,
        save=notice_services.save_notice,
        delete=notice_services.delete_notice,
        related=("co_issuers", "chosen"),
        pages=("list", "detail", "add", "edit", "delete"),
        routes={"list": ""},
        views={
            "list": notice_views.NoticeListView,
            "detail": notice_views.NoticeDetailView,
            "add": notice_views.NoticeFormView,
            "edit": notice_views.NoticeFormView,
            "delete": notice_views.NoticeDeleteView,
        },
        detail_template="notices/notice_detail.html",
        select_related=("organization",),
        api="notices",
        api_viewset=NoticeViewSet,
        api_summaries={
            "list": "List notices in scope (issued by it, or sent to it)",
            "create": "Draft a notice (and issue it with issue=true)",
            "retrieve": "One notice",
            "issue": "Issue a draft: number it and fix its recipients",
            "remind": "Remind the recipients who have not read or not answered",
            "receipts": "The notice's recipients: read receipts and feedback",
            "feedback": "File the caller's organisation's feedback",
        },
    )
)

# A receipt (with its feedback) belongs to the recipient; the issuer's side reads it.
register(
    Resource(
        Receipt,
        policy=Policy(
            reach=("notice__organization__path",),
            rules={"write": rules.feedback_open},
        ),
        pages=("detail", "edit"),
        prefix="receipts",
        views={
            "detail": notice_views.ReceiptDetailView,
            "edit": notice_views.FeedbackView,
        },
        select_related=("notice", "organization"),
    )
)

# An information item belongs to its sender; the organisations above read it (its handler
# among them). ``approve`` decides (the handler or above), ``use`` puts it into a bulletin.
register(
    Resource(
        InfoItem,
        policy=Policy(
            verbs={"use": ("edit",)},
            rules={"write": rules.item_editable, "approve": rules.item_decidable},
        ),
        noun="item",
        prefix="items",
        filterset=ItemFilterSet,
        table=ItemTable,
        form=ItemForm,
        save=item_services.save_item,
        pages=("list", "detail", "add", "edit"),
        views={
            "list": item_views.ItemListView,
            "detail": item_views.ItemDetailView,
            "add": item_views.ItemFormView,
            "edit": item_views.ItemFormView,
        },
        detail_template="notices/item_detail.html",
        select_related=("organization", "handler", "kind", "adopted_by", "bulletin"),
        api="info-items",
        api_viewset=InfoItemViewSet,
        api_summaries={
            "list": "List information items in scope",
            "create": "Send an information item up to the parent organisation",
            "retrieve": "One information item",
            "accept": "Adopt the item (its holder or above)",
            "return_item": "Return the item to its sender with a reason",
            "forward": "Forward the item to the organisation above its holder",
        },
    )
)

menu.register(
    MenuItem("notices:notice_list", _("Notices and documents"), order=115, testid="nav-notices")
)
menu.register(
    MenuItem("notices:item_list", _("Information reports"), order=117, testid="nav-items")
)
