"""An information item (信息报送) a unit sends up to its parent: news of its work, an experience
worth copying, or an exemplary elder. The organisation that holds it (``handler``: the parent,
or the grandparent once forwarded) accepts it, returns it with a reason, or forwards it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core import dates
from guangong.core.attachments import Attachment
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Timestamped
from guangong.core.scope import ScopedQuerySet
from guangong.dicts.fields import dict_fk
from guangong.dicts.models import DictKind

ITEM_TITLE_MAX = 100
ITEM_TEXT_MAX = 5000
REASON_MAX = 300


class ItemStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("information item", "Waiting")  # 待处理
    FORWARDED = "forwarded", pgettext_lazy("information item", "Forwarded")  # 已转报
    ACCEPTED = "accepted", pgettext_lazy("information item", "Adopted")  # 已采用
    RETURNED = "returned", pgettext_lazy("information item", "Returned")  # 已退回


#: Items waiting for their handler's decision.
OPEN = (ItemStatus.PENDING, ItemStatus.FORWARDED)


class InfoItem(DetailPage, Timestamped):
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="info_items",
    )
    handler = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("with"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation that decides on the item now."),
    )
    kind = dict_fk(DictKind.INFO_KIND, verbose_name=_("kind"))
    title = models.CharField(_("title"), max_length=ITEM_TITLE_MAX)
    text = models.TextField(_("text"), max_length=ITEM_TEXT_MAX)
    sent_on = BoundedDateField(_("sent on"), within=dates.WORK)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    reason = models.CharField(_("reason for returning"), max_length=REASON_MAX, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by_name = models.CharField(_("decided by"), max_length=150, blank=True)
    adopted_by = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("adopted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    bulletin = models.ForeignKey(
        "documents.Bulletin",
        verbose_name=_("in bulletin"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    audit_fields = (
        "organization",
        "handler",
        "kind",
        "title",
        "sent_on",
        "status",
        "reason",
        "adopted_by",
        "bulletin",
    )
    detail_url = "notices:item_detail"

    class Meta:
        verbose_name = _("information item")
        verbose_name_plural = _("information items")
        ordering = ["-sent_on", "-pk"]
        indexes = [
            models.Index(fields=["handler", "status"], name="infoitem_handler_status"),
            models.Index(fields=["organization", "sent_on"], name="infoitem_org_sent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def item_photo_path(instance, filename: str) -> str:
    return f"info-items/{instance.item_id}/{filename}"


class ItemPhoto(Attachment):
    item = models.ForeignKey(InfoItem, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=item_photo_path, max_length=255)

    class Meta(Attachment.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
