"""Member units (成员单位), meetings (会议), their decisions and the action items that follow
them up (督办).

A member unit is a government department or body that sits on an organisation's committee or
joint meeting; activities may name member units as co-organisers (``MemberUnit.activities``).
A meeting is owned by its organiser; its decisions and their action items are the organiser's
too (an action item is also read by the organisation it is assigned to, which reports on it).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core import dates
from guangong.core.attachments import Attachment
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Searchable, SearchQuerySet, Timestamped
from guangong.core.scope import ScopedQuerySet
from guangong.dicts.fields import dict_fk
from guangong.dicts.models import DictKind


class UnitQuerySet(SearchQuerySet, ScopedQuerySet):
    def current(self, on: datetime.date | None = None):
        """Units that are members on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            models.Q(joined_on__isnull=True) | models.Q(joined_on__lte=on),
            models.Q(left_on__isnull=True) | models.Q(left_on__gte=on),
        )


class MemberUnit(DetailPage, Searchable, Timestamped):
    search_fields = ("name",)

    organization = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        verbose_name=_("organisation"),
        related_name="member_units",
    )
    kind = dict_fk(DictKind.MEMBER_UNIT, verbose_name=_("kind of member unit"))
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("The department's full name; left empty, the kind's name."),
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    joined_on = BoundedDateField(_("member since"), null=True, blank=True, within=dates.HISTORY)
    left_on = BoundedDateField(_("member until"), null=True, blank=True, within=dates.PLAN)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    activities = models.ManyToManyField(
        "activities.Activity",
        verbose_name=_("co-organised activities"),
        related_name="member_units",
        blank=True,
    )

    objects = UnitQuerySet.as_manager()
    audit_fields = (
        "organization",
        "kind",
        "name",
        "contact_person",
        "phone",
        "joined_on",
        "left_on",
        "notes",
    )
    detail_url = "meetings:memberunit_detail"

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["organization__path", "name", "id"]

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting", "Planned")  # 计划召开
    HELD = "held", pgettext_lazy("meeting", "Held")  # 已召开
    MINUTED = "minuted", pgettext_lazy("meeting", "Minuted")  # 已形成纪要


class MeetingQuerySet(SearchQuerySet, ScopedQuerySet):
    pass


class Meeting(DetailPage, Searchable, Timestamped):
    search_fields = ("title",)

    organization = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        verbose_name=_("organiser"),
        related_name="meetings",
    )
    kind = dict_fk(DictKind.MEETING_KIND, verbose_name=_("kind of meeting"))
    title = models.CharField(_("title"), max_length=200)
    date = BoundedDateField(_("date"), within=dates.PLAN, db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.CharField(_("chair"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attending users"), related_name="+", blank=True
    )
    elders = models.ManyToManyField(
        "people.Elder", verbose_name=_("attending elders"), related_name="meetings", blank=True
    )
    units = models.ManyToManyField(
        MemberUnit, verbose_name=_("attending member units"), related_name="meetings", blank=True
    )
    committees = models.ManyToManyField(
        "orgs.Organization",
        verbose_name=_("attending committees"),
        related_name="meetings_attended",
        blank=True,
    )
    head_count = models.PositiveIntegerField(
        _("number of people attending"), default=0, validators=[MaxValueValidator(100_000)]
    )
    agenda = models.TextField(_("agenda"), max_length=5000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    speeches = models.TextField(_("speeches"), max_length=20000, blank=True)
    series = models.CharField(
        _("schedule"),
        max_length=100,
        blank=True,
        help_text=_("Regular meetings created from one schedule share its name."),
    )

    objects = MeetingQuerySet.as_manager()
    audit_fields = (
        "organization",
        "kind",
        "title",
        "date",
        "place",
        "chair",
        "status",
        "head_count",
        "series",
    )
    detail_url = "meetings:meeting_detail"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{filename}"


class MeetingAttachment(Attachment):
    """A photo or document of a meeting's minutes (checked on upload)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)

    class Meta(Attachment.Meta):
        verbose_name = _("minutes attachment")
        verbose_name_plural = _("minutes attachments")


class Decision(models.Model):
    """One decision (议定事项) of a meeting, numbered within it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"), max_length=2000)

    audit_fields = ("meeting", "number", "text")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()

    @property
    def organization(self):
        return self.meeting.organization


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")  # 未开始
    IN_PROGRESS = "in_progress", _("In progress")  # 推进中
    DONE = "done", _("Completed")  # 已完成


#: The statuses a 督办 table counts: the stored ones, and 逾期 (open and past its due date).
OVERDUE = "overdue"
SHOWN_STATUSES = (
    (ItemStatus.NOT_STARTED, ItemStatus.NOT_STARTED.label),
    (ItemStatus.IN_PROGRESS, ItemStatus.IN_PROGRESS.label),
    (OVERDUE, _("Overdue")),
    (ItemStatus.DONE, ItemStatus.DONE.label),
)


class ActionItemQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=ItemStatus.DONE)

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class ActionItem(DetailPage, Timestamped):
    """A task a decision assigns (督办事项): to an organisation or a member unit, due by a date.

    Its owner reports progress; the owner asks for it to be closed and the organiser's side
    approves (it is 已完成 from then on, and takes no more reports)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="items", verbose_name=_("decision")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", editable=False
    )
    task = models.CharField(_("task"), max_length=500)
    owner_org = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        verbose_name=_("owner organisation"),
        related_name="action_items",
        null=True,
        blank=True,
    )
    owner_unit = models.ForeignKey(
        MemberUnit,
        models.PROTECT,
        verbose_name=_("owner member unit"),
        related_name="action_items",
        null=True,
        blank=True,
    )
    responsible = models.CharField(_("responsible person"), max_length=50, blank=True)
    due_date = BoundedDateField(_("due date"), within=dates.PLAN)
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    closure_requested_at = models.DateTimeField(_("closure requested"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()
    audit_fields = (
        "decision",
        "task",
        "owner_org",
        "owner_unit",
        "responsible",
        "due_date",
        "status",
        "closure_requested_at",
        "closed_at",
    )
    detail_url = "meetings:actionitem_detail"

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="action_item_status_due")]

    def __str__(self) -> str:
        return self.task[:40]

    @property
    def owner_name(self) -> str:
        if self.owner_unit_id:
            return self.owner_unit.name
        return self.owner_org.name if self.owner_org_id else ""

    @property
    def is_overdue(self) -> bool:
        return self.status != ItemStatus.DONE and self.due_date < timezone.localdate()

    @property
    def shown_status(self) -> str:
        return OVERDUE if self.is_overdue else self.status

    @property
    def shown_status_label(self) -> str:
        return str(dict(SHOWN_STATUSES)[self.shown_status])

    @property
    def closed(self) -> bool:
        return self.status == ItemStatus.DONE


def evidence_path(instance, filename: str) -> str:
    return f"meetings/items/{instance.item_id}/{filename}"


class ProgressReport(Attachment):
    """A progress report on an action item: what was done, with an optional file as evidence."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("progress"), max_length=2000)
    kind = models.CharField(_("kind"), max_length=10, choices=Attachment.Kind.choices, blank=True)
    name = models.CharField(_("file name"), max_length=200, blank=True)
    file = models.FileField(_("evidence"), upload_to=evidence_path, max_length=255, blank=True)
    author_name = models.CharField(_("reported by"), max_length=150)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]
