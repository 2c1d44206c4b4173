"""A notice or document (通知/文件) an organisation issues down its tree, with its document
number (``鸡关联字〔2023〕1号``: the issuer's prefix, the year, a number per prefix and year),
its recipients (one ``Receipt`` each, fixed when it is issued: read receipt and feedback), and
the reminders the issuer sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core import dates
from guangong.core.attachments import Attachment
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Timestamped
from guangong.core.scope import ScopedQuerySet

TITLE_MAX = 200
BODY_MAX = 20000
FEEDBACK_MAX = 5000


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("notice", "Draft")  # 草稿
    ISSUED = "issued", pgettext_lazy("notice", "Issued")  # 已印发


class Audience(models.TextChoices):
    CHILDREN = "children", _("Organisations directly below")  # 下一级组织
    SUBTREE = "subtree", _("Every organisation below")  # 全部下级组织
    KINDS = "kinds", _("Organisations of chosen kinds below")  # 指定类型
    CHOSEN = "chosen", _("Chosen organisations")  # 指定组织


class Notice(DetailPage, Timestamped):
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    co_issuers = models.ManyToManyField(
        "orgs.Organization",
        verbose_name=_("joint issuers"),
        blank=True,
        related_name="+",
    )
    joint_names = models.CharField(
        _("other joint issuers"),
        max_length=200,
        blank=True,
        help_text=_("Bodies without an account here, e.g. 市直机关工委."),
    )
    prefix = models.CharField(
        _("document prefix"), max_length=20, help_text=_("For example 鸡关联字.")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("Left empty, the next free number is given when the notice is issued."),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    audience = models.CharField(
        _("sent to"), max_length=10, choices=Audience.choices, default=Audience.CHILDREN
    )
    audience_kinds = models.JSONField(_("kinds of organisation"), default=list, blank=True)
    chosen = models.ManyToManyField(
        "orgs.Organization",
        verbose_name=_("chosen organisations"),
        blank=True,
        related_name="+",
    )
    feedback_required = models.BooleanField(_("feedback required"), default=False)
    feedback_due = BoundedDateField(_("feedback due"), null=True, blank=True, within=dates.PLAN)
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    issued_on = BoundedDateField(_("issued on"), null=True, blank=True, within=dates.WORK)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    audit_fields = (
        "organization",
        "joint_names",
        "prefix",
        "year",
        "number",
        "title",
        "audience",
        "audience_kinds",
        "feedback_required",
        "feedback_due",
        "status",
        "issued_on",
    )
    detail_url = "notices:notice_detail"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-year", "-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "prefix", "year", "number"],
                name="notice_unique_number",
                condition=models.Q(number__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}" if self.number else self.title

    @property
    def doc_number(self) -> str:
        """``鸡关联字〔2023〕1号`` (empty while a draft has no number)."""
        if not self.number:
            return ""
        return f"{self.prefix}〔{self.year}〕{self.number}号"

    @property
    def is_draft(self) -> bool:
        return self.status == NoticeStatus.DRAFT


def notice_file_path(instance, filename: str) -> str:
    return f"notices/{instance.notice_id}/{filename}"


class NoticeFile(Attachment):
    """A file of a notice (``receipt`` empty) or of a recipient's feedback."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="files")
    receipt = models.ForeignKey(
        "Receipt", on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=notice_file_path, max_length=255)

    class Meta(Attachment.Meta):
        verbose_name = _("notice file")
        verbose_name_plural = _("notice files")


class Receipt(DetailPage, models.Model):
    """One recipient of an issued notice: when it was first opened there, and its feedback."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("recipient unit"),
        on_delete=models.PROTECT,
        related_name="notice_receipts",
    )
    read_at = models.DateTimeField(_("first read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    read_by_name = models.CharField(_("read by"), max_length=150, blank=True)
    feedback = models.TextField(_("feedback"), max_length=FEEDBACK_MAX, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by_name = models.CharField(_("answered by"), max_length=150, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders"), default=0)

    objects = ScopedQuerySet.as_manager()

    audit_fields = ("notice", "organization", "read_at", "read_by_name", "answered_at", "figures")
    detail_url = "notices:receipt_detail"

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["organization__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "organization"], name="receipt_unique_org")
        ]
        indexes = [models.Index(fields=["organization", "read_at"], name="receipt_org_read")]

    def __str__(self) -> str:
        return f"{self.notice} → {self.organization}"

    @property
    def is_late(self) -> bool:
        due = self.notice.feedback_due
        if not self.notice.feedback_required or due is None:
            return False
        if self.answered_at is None:
            return due < dates.today()
        from django.utils import timezone

        return timezone.localdate(self.answered_at) > due


class Reminder(models.Model):
    """The issuer reminded a recipient (催办) to read or answer."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="reminders")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_name = models.CharField(_("by"), max_length=150)
    note = models.CharField(_("note"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.receipt_id} {self.at:%Y-%m-%d}"
