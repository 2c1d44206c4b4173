"""Report forms (统计报表) defined by an organisation for its subtree, and the reports filed.

A form lists sections of items; an item is computed from the ledgers (a metric of
``metrics.METRICS``) or entered by hand, with rules. A report is one organisation's answer for
one period: opened prefilled, then 草稿 → 已提交 → 已审核 (by the organisation above it that
collects the form) or 退回 → resubmitted. An approved report is locked.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core import dates
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Timestamped, WorkflowStep
from guangong.core.scope import ScopedQuerySet

from .periods import PeriodType


def _today():
    return timezone.localdate()


class FormQuerySet(ScopedQuerySet):
    """Scope: ``reporting.resources`` (forms defined above reach down)."""


class ReportForm(DetailPage, Timestamped):
    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("defined by"),
        on_delete=models.PROTECT,
        related_name="report_forms",
    )
    name = models.CharField(_("name"), max_length=100)
    period_type = models.CharField(_("period"), max_length=10, choices=PeriodType.choices)
    reporting_kinds = models.JSONField(
        _("organisation kinds that report"),
        default=list,
        help_text=_("Organisations of these kinds in the subtree must file the report."),
    )
    due_days = models.PositiveSmallIntegerField(_("due (days after the period ends)"), default=10)
    starts_on = BoundedDateField(
        _("reporting starts"),
        default=_today,
        help_text=_("The first period to report is the one containing this day."),
        within=dates.PLAN,
    )
    description = models.TextField(_("instructions"), blank=True, max_length=2000)
    active = models.BooleanField(_("in use"), default=True)
    early_submission = models.BooleanField(
        _("may be submitted before the period ends"),
        default=False,
        help_text=_(
            "Off: a report is submitted once its period is over, so its computed figures "
            "cover the whole period."
        ),
    )

    objects = FormQuerySet.as_manager()

    #: The fields that define a form (the editor's form and the API change them).
    DEFINITION = (
        "name",
        "period_type",
        "reporting_kinds",
        "due_days",
        "starts_on",
        "description",
        "active",
        "early_submission",
    )

    audit_fields = (
        "owner",
        "name",
        "period_type",
        "reporting_kinds",
        "due_days",
        "starts_on",
        "active",
        "early_submission",
    )

    detail_url = "reporting:form_detail"

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["owner__path", "name"]

    def __str__(self) -> str:
        return self.name

    def first_period(self):
        from .periods import period_containing

        return period_containing(self.period_type, self.starts_on)

    def items(self):
        return FormItem.objects.filter(section__form=self).order_by("section__order", "order", "pk")


class FormSection(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=10)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from the ledgers")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    TEXT = "text", _("Text")


class FormItem(models.Model):
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(
        _("code"), max_length=10, help_text=_("Short and unique within the form, e.g. A1.")
    )
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    metric = models.CharField(_("computed from"), max_length=40, blank=True)
    metric_param = models.CharField(_("which"), max_length=40, blank=True)
    overridable = models.BooleanField(
        _("may be overridden"),
        default=False,
        help_text=_("The reporter may correct the computed value; both stay visible."),
    )
    required = models.BooleanField(_("required"), default=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=10)

    #: The fields that define an item (the editor's form and the API show them).
    DEFINITION = (
        "code",
        "label",
        "kind",
        "metric",
        "metric_param",
        "overridable",
        "required",
        "min_value",
        "max_value",
        "unit",
        "order",
    )

    class Meta:
        verbose_name = _("report item")
        verbose_name_plural = _("report items")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def numeric(self) -> bool:
        return self.kind != ItemKind.TEXT


class Operator(models.TextChoices):
    GE = ">=", "≥"
    LE = "<=", "≤"
    EQ = "==", "="
    GT = ">", ">"
    LT = "<", "<"


class FormRule(models.Model):
    """A rule between two numeric items, e.g. 人次 ≥ 场次."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="rules")
    left = models.ForeignKey(FormItem, on_delete=models.CASCADE, related_name="+")
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices)
    right = models.ForeignKey(FormItem, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("message"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return f"{self.left.code} {self.operator} {self.right.code}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    NOT_REPORTED = "not_reported", _("Not reported")


class Report(DetailPage, Timestamped):
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="reports"
    )
    period_start = BoundedDateField(_("period from"), within=dates.PLAN)
    period_end = BoundedDateField(_("period to"), within=dates.PLAN)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    audit_fields = ("form", "organization", "period_start", "period_end", "status", "note")

    detail_url = "reporting:report_detail"

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "organization", "period_start"], name="report_unique_period"
            )
        ]
        indexes = [models.Index(fields=["form", "period_start", "status"], name="report_period")]

    def __str__(self) -> str:
        return f"{self.form} {self.organization} {self.period_start:%Y-%m}"

    @property
    def locked(self) -> bool:
        return self.status in (ReportStatus.APPROVED, ReportStatus.NOT_REPORTED)

    @property
    def editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportValue(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    item = models.ForeignKey(FormItem, on_delete=models.CASCADE, related_name="+")
    computed = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)
    overridden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="report_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class ReportEvent(WorkflowStep):
    """The report's history: who did what, when, with which comment."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    comment = models.TextField(_("comment"), blank=True, max_length=1000)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"
