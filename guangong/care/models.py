"""Care cases (关爱帮扶): one young person helped, through a fixed workflow.

A case holds children's data. Only users with the ``care`` verb (关爱专干, and administrators
given that capability) open cases in their scope; everyone else reads counts. The most
sensitive fields — address, family situation, health — are encrypted at rest and shown masked
until a reveal, which asks for a reason and is written to the case's access log and the audit
log. Every opening of a case is logged (``CaseAccess``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core import dates
from guangong.core.attachments import Attachment as BaseAttachment
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Timestamped, WorkflowStep
from guangong.core.scope import ScopedQuerySet
from guangong.dicts.models import DictItem, DictKind


class Status(models.TextChoices):
    """The stage a case is in; each transition in ``workflow`` moves it one stage."""

    REGISTERED = "registered", _("Registration")  # 登记
    ASSESSMENT = "assessment", _("Assessment")  # 评估
    APPROVAL = "approval", pgettext_lazy("case stage", "Approval")  # 审批
    IMPLEMENTATION = "implementation", _("Implementation / disbursement")  # 实施/发放
    FOLLOW_UP = "follow_up", _("Follow-up")  # 回访
    CLOSED = "closed", _("Closed")  # 结案


class CaseQuerySet(ScopedQuerySet):
    """Scope: ``care.resources`` (only care workers open a case; everyone counts them)."""

    def open(self):
        return self.exclude(status=Status.CLOSED)


class Case(DetailPage, Timestamped):
    #: Masked field name → encrypted column.
    SENSITIVE_FIELDS = {
        "address": "address_enc",
        "family_situation": "family_situation_enc",
        "health": "health_enc",
    }

    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    youth = models.ForeignKey(
        "people.Youth",
        verbose_name=_("person helped"),
        on_delete=models.PROTECT,
        related_name="care_cases",
        null=True,  # anonymised cases keep no link to the person
        blank=True,
    )
    kind = models.ForeignKey(
        DictItem,
        verbose_name=_("kind of help"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": DictKind.CASE_KIND},
        related_name="+",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="care_cases",
    )
    care_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible care worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_cases",
    )
    elders = models.ManyToManyField(
        "people.Elder", verbose_name=_("helping elders"), related_name="care_cases", blank=True
    )
    teams = models.ManyToManyField(
        "people.Team", verbose_name=_("helping teams"), related_name="care_cases", blank=True
    )
    situation = models.TextField(_("situation"), max_length=5000, blank=True)
    address_enc = models.TextField(blank=True, editable=False)
    family_situation_enc = models.TextField(blank=True, editable=False)
    health_enc = models.TextField(blank=True, editable=False)
    assessment = models.TextField(_("assessment"), max_length=5000, blank=True)
    plan = models.TextField(_("plan of help"), max_length=5000, blank=True)
    amount_requested = models.DecimalField(
        _("amount requested (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_approved = models.DecimalField(
        _("amount approved (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_disbursed = models.DecimalField(
        _("amount disbursed (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    disbursed_on = BoundedDateField(_("disbursed on"), null=True, blank=True, within=dates.WORK)
    funding_source = models.ForeignKey(
        DictItem,
        verbose_name=_("funding source"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": DictKind.FUNDING_SOURCE},
        related_name="+",
        null=True,
        blank=True,
    )
    consent_by = models.CharField(_("consent given by"), max_length=50, blank=True)
    consent_relation = models.CharField(_("relation to the child"), max_length=20, blank=True)
    consent_on = BoundedDateField(_("consent date"), null=True, blank=True, within=dates.WORK)
    consent_note = models.CharField(_("how consent was given"), max_length=200, blank=True)
    status = models.CharField(
        _("stage"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    opened_on = BoundedDateField(_("opened on"), within=dates.WORK)
    closed_on = BoundedDateField(_("closed on"), null=True, blank=True, within=dates.WORK)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    objects = CaseQuerySet.as_manager()

    audit_fields = (
        "youth",
        "kind",
        "organization",
        "care_worker",
        "situation",
        "assessment",
        "plan",
        "amount_requested",
        "amount_approved",
        "amount_disbursed",
        "disbursed_on",
        "funding_source",
        "consent_by",
        "consent_relation",
        "consent_on",
        "status",
        "opened_on",
        "closed_on",
    )

    detail_url = "care:case_detail"

    class Meta:
        verbose_name = _("care case")
        verbose_name_plural = _("care cases")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "status"], name="case_org_status"),
            models.Index(fields=["status", "closed_on"], name="case_status_closed"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("new case"))

    @property
    def has_consent(self) -> bool:
        return bool(self.consent_by and self.consent_on)

    def has_sensitive(self, name: str) -> bool:
        return bool(getattr(self, self.SENSITIVE_FIELDS[name]))


class Transition(WorkflowStep):
    """One step of a case's workflow: who, when, from which stage to which, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(
        pgettext_lazy("case stage", "from"), max_length=20, choices=Status.choices
    )
    to_status = models.CharField(
        pgettext_lazy("case stage", "to"), max_length=20, choices=Status.choices
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("case transition")
        verbose_name_plural = _("case transitions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class FollowUp(models.Model):
    """A follow-up visit (回访) to the person helped."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    date = BoundedDateField(_("date"), within=dates.WORK)
    content = models.TextField(_("what was found"), max_length=3000)
    visitor = models.CharField(_("visited by"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.date}"


def case_file_path(instance, filename: str) -> str:
    return f"care/{instance.case_id}/{filename}"


class Attachment(BaseAttachment):
    """A document or photo of a case; photos are sensitive (shown only after a reveal)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=case_file_path, max_length=255)

    class Meta(BaseAttachment.Meta):
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")


class AccessQuerySet(ScopedQuerySet):
    """Scope: ``care.resources`` (the access log is read by auditors)."""


class Access(models.Model):
    """Every opening of a case, reveal of a sensitive field, export and download."""

    class Kind(models.TextChoices):
        OPEN = "open", pgettext_lazy("case access", "Opened")
        REVEAL = "reveal", _("Revealed")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded")

    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="accesses"
    )
    case_number = models.CharField(_("case number"), max_length=20, blank=True)
    org_path = models.CharField(max_length=255, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(_("user"), max_length=150)
    kind = models.CharField(_("access"), max_length=10, choices=Kind.choices)
    detail = models.CharField(_("what"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("case access")
        verbose_name_plural = _("case access log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.username} {self.kind} {self.case_number}"
