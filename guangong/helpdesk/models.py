"""The online help desk (网上关工委): requests for help from the public, without an account.

A request is addressed to an organisation (a committee); its care workers reply, refer it to
another organisation (which then owns it; the organisations it came through keep read access),
close it, or turn it into a care case. The requester's phone is stored encrypted, with a keyed
hash (``phone_hash``) so that the tracking code and the phone together find the request again.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core.models import DetailPage
from guangong.core.scope import ScopedQuerySet
from guangong.dicts.models import DictItem, DictKind

#: Tracking codes: 31 symbols, none of 0/O, 1/I/L that are read or typed one for another.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_code() -> str:
    """A fresh random tracking code (31**10, about 8 * 10**14 possibilities)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """What a requester typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:32]


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("help request", "Submitted")  # 新提交
    IN_PROGRESS = "in_progress", pgettext_lazy("help request", "In progress")  # 处理中
    REFERRED = "referred", pgettext_lazy("help request", "Referred")  # 已转交
    REPLIED = "replied", pgettext_lazy("help request", "Replied")  # 已回复
    CLOSED = "closed", pgettext_lazy("help request", "Closed")  # 已关闭
    CONVERTED = "converted", pgettext_lazy("help request", "Turned into a care case")


#: Stages in which nothing more happens to a request.
FINAL = (Status.CLOSED, Status.CONVERTED)


class Relation(models.TextChoices):
    SELF = "self", pgettext_lazy("requester", "Myself")  # 本人
    PARENT = "parent", pgettext_lazy("requester", "Parent")  # 家长
    OTHER = "other", pgettext_lazy("requester", "Other")  # 其他


class HelpRequestQuerySet(ScopedQuerySet):
    """Scope: ``helpdesk.resources`` (referrals read on; only care workers open one)."""

    def open(self):
        return self.exclude(status__in=FINAL)


class HelpRequest(DetailPage, models.Model):
    code = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    kind = models.ForeignKey(
        DictItem,
        verbose_name=_("kind of help"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": DictKind.CASE_KIND},
        related_name="+",
    )
    addressed_to = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation the requester chose."),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    description = models.TextField(_("what help is needed"), max_length=2000)
    requester_name = models.CharField(_("requester's name"), max_length=50, blank=True)
    phone_enc = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False)
    relation = models.CharField(
        _("requester is"), max_length=10, choices=Relation.choices, default=Relation.SELF
    )
    youth_age = models.PositiveSmallIntegerField(
        _("age of the young person"), null=True, blank=True, validators=[MaxValueValidator(40)]
    )
    consent_version = models.CharField(_("consent text version"), max_length=20)
    consent_at = models.DateTimeField(_("consent given"))
    sms_consent = models.BooleanField(
        _("SMS when answered"),
        default=False,
        help_text=_("The requester agreed to an SMS when a reply is posted."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("care worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "care.Case",
        verbose_name=_("care case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HelpRequestQuerySet.as_manager()

    audit_fields = (
        "code",
        "kind",
        "addressed_to",
        "organization",
        "phone_masked",
        "relation",
        "youth_age",
        "consent_version",
        "sms_consent",
        "status",
        "assigned_to",
        "case",
    )

    detail_url = "helpdesk:request_detail"

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "status"], name="help_org_status"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_final(self) -> bool:
        return self.status in FINAL


class HelpReply(models.Model):
    """A reply to the requester (public) or a note for the care workers (internal)."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("text"), max_length=2000)
    public = models.BooleanField(
        _("visible to the requester"),
        default=True,
        help_text=_("Public replies are shown to the requester; the others are internal notes."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("written by"), max_length=150)
    #: Written by the requester on the status page (an answer back), not by staff.
    from_requester = models.BooleanField(_("from the requester"), default=False)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.text[:20]}"


class HelpReferral(models.Model):
    """A request handed from one organisation to another, which owns it from then on."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="referrals")
    from_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("referred from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_name = models.CharField(_("referred by"), max_length=150)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_org_id} → {self.to_org_id}"
