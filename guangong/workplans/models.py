"""Annual work points (工作要点): an organisation's plan for a year, its numbered tasks in
sections, and the progress reported on each task.

A plan is owned by its organisation; once published it is read by the subtree below, which
adopts it into plans of its own (each adopted task keeps a link to the task it was copied
from, ``PlanTask.source``). A task may name a figure of the statistics layer
(``reporting.metrics``) and a minimum: its progress is then computed live for the plan's
organisation's subtree over the year so far.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core import dates
from guangong.core.attachments import Attachment
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Searchable, SearchQuerySet, Timestamped
from guangong.core.scope import ScopedQuerySet

MIN_YEAR, MAX_YEAR = 2000, 2100


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    PUBLISHED = "published", _("Published")  # 已印发


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("workplan", "Not started")  # 未开始
    IN_PROGRESS = "in_progress", pgettext_lazy("workplan", "In progress")  # 推进中
    DONE = "done", pgettext_lazy("workplan", "Completed")  # 已完成


class PlanQuerySet(SearchQuerySet, ScopedQuerySet):
    pass


class WorkPlan(DetailPage, Searchable, Timestamped):
    search_fields = ("title",)

    organization = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        verbose_name=_("organisation"),
        related_name="work_plans",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), max_length=5000, blank=True)
    #: The headings of the sections (一、二、…), in order, without their numbers.
    sections = models.JSONField(_("sections"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    source = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("adopted from"),
    )

    objects = PlanQuerySet.as_manager()
    audit_fields = ("organization", "year", "title", "sections", "status", "source")
    detail_url = "workplans:workplan_detail"

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-year", "organization__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_plan_a_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED


class TaskQuerySet(ScopedQuerySet):
    pass


class PlanTask(DetailPage, Timestamped):
    """A numbered task of a plan (within its section), with its lead and cooperating units,
    its due date, and the figure that measures it."""

    plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("work plan")
    )
    section = models.PositiveSmallIntegerField(
        _("section"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    number = models.PositiveSmallIntegerField(pgettext_lazy("workplan", "number"), default=0)
    text = models.TextField(pgettext_lazy("workplan", "task"), max_length=2000)
    lead_unit = models.ForeignKey(
        "meetings.MemberUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("lead member unit"),
    )
    lead_org = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("lead organisation"),
    )
    cooperating_units = models.ManyToManyField(
        "meetings.MemberUnit",
        blank=True,
        related_name="cooperating_tasks",
        verbose_name=_("cooperating member units"),
    )
    due_date = BoundedDateField(
        pgettext_lazy("workplan", "due date"), null=True, blank=True, within=dates.PLAN
    )
    metric = models.CharField(_("measure"), max_length=40, blank=True)
    metric_param = models.CharField(_("of"), max_length=40, blank=True)
    target = models.DecimalField(
        _("target (at least)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    target_text = models.CharField(_("target as written"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(
        _("percent done"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    source = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("adopted from"),
    )

    objects = TaskQuerySet.as_manager()
    audit_fields = (
        "plan",
        "section",
        "number",
        "text",
        "lead_unit",
        "lead_org",
        "due_date",
        "metric",
        "metric_param",
        "target",
        "target_text",
        "status",
        "percent",
        "source",
    )
    detail_url = "workplans:plantask_detail"

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["plan", "section", "number", "id"]

    def __str__(self) -> str:
        return f"{self.section}.{self.number} {self.text[:30]}"

    @property
    def organization(self):
        return self.plan.organization

    @property
    def lead_name(self) -> str:
        if self.lead_unit_id:
            return self.lead_unit.name
        return self.lead_org.name if self.lead_org_id else ""


def evidence_path(instance, filename: str) -> str:
    return f"workplans/tasks/{instance.task_id}/{filename}"


class TaskProgress(Attachment):
    """A progress report on a task: what was done, how far (a status, a percentage), and a
    file as evidence if any."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("progress"), max_length=2000)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices)
    percent = models.PositiveSmallIntegerField(
        _("percent done"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Attachment.Kind.choices, blank=True)
    name = models.CharField(_("file name"), max_length=200, blank=True)
    file = models.FileField(
        pgettext_lazy("workplan", "evidence"), upload_to=evidence_path, max_length=255, blank=True
    )
    author_name = models.CharField(pgettext_lazy("workplan", "reported by"), max_length=150)

    class Meta:
        verbose_name = _("task progress report")
        verbose_name_plural = _("task progress reports")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]
