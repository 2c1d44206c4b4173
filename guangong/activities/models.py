"""The activity ledger (活动台账) and the counters that make its statistics live.

``Activity`` is the ledger: one row per 宣讲, training, visit or care activity, owned by the
organisation that recorded it. A joint activity (联合开展) lists its co-organisers: each of them
sees it, and it is counted once, for the owner.

``ActivityMonth`` and ``EngagedElders`` are derived data kept exact by ``services`` in the same
transaction as every change to the ledger (and by ``signals`` when an organisation moves): for
every organisation, the totals of the activities owned anywhere in its subtree, per month and
type, and the set of elders who took part. ``stats`` reads them; ``rollup.mismatches`` proves
them equal to the ledger.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guangong.core import dates
from guangong.core.attachments import Attachment
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Searchable, SearchQuerySet, Timestamped
from guangong.core.scope import ScopedQuerySet
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Kind as OrgKind


class ActivityQuerySet(SearchQuerySet, ScopedQuerySet):
    """Scope: ``activities.resources`` (co-organisers read joint activities)."""


class Activity(DetailPage, Searchable, Timestamped):
    search_fields = ("title",)

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    type = models.ForeignKey(
        DictItem,
        verbose_name=_("activity type"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": DictKind.ACTIVITY_TYPE},
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    date = BoundedDateField(_("date"), db_index=True, within=dates.WORK)
    end_date = BoundedDateField(_("end date"), null=True, blank=True, within=dates.WORK)
    place = models.CharField(_("place"), max_length=200, blank=True)
    audience = models.ForeignKey(
        DictItem,
        verbose_name=_("audience"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": DictKind.YOUTH_CATEGORY},
        related_name="+",
        null=True,
        blank=True,
    )
    participants = models.PositiveIntegerField(
        _("participants (person-times)"),
        default=0,
        help_text=_("How many people took part, counted per attendance (人次)."),
    )
    summary = models.TextField(_("summary"), blank=True, max_length=5000)
    elders = models.ManyToManyField(
        "people.Elder",
        verbose_name=_("elders"),
        through="ActivityElder",
        related_name="activities",
        blank=True,
    )
    teams = models.ManyToManyField(
        "people.Team", verbose_name=_("teams"), related_name="activities", blank=True
    )
    youths = models.ManyToManyField(
        "people.Youth",
        verbose_name=_("named participants"),
        related_name="activities",
        blank=True,
    )
    co_organizers = models.ManyToManyField(
        "orgs.Organization",
        verbose_name=_("co-organisers"),
        related_name="co_organized_activities",
        blank=True,
    )
    import_batch = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ActivityQuerySet.as_manager()

    audit_fields = (
        "organization",
        "type",
        "title",
        "date",
        "end_date",
        "place",
        "audience",
        "participants",
        "summary",
    )

    detail_url = "activities:activity_detail"

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"], name="activity_org_date")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("date"))
                ),
                name="activity_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActivityElder(models.Model):
    """An elder who organised or served at an activity, with the hours they gave."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="elder_links")
    elder = models.ForeignKey("people.Elder", on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("service hours"), max_digits=6, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("elder at an activity")
        verbose_name_plural = _("elders at activities")
        constraints = [
            models.UniqueConstraint(fields=["activity", "elder"], name="activity_elder_unique"),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="activity_hours_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.elder_id} @ {self.activity_id}"


def attachment_path(instance, filename: str) -> str:
    return f"activities/{instance.activity_id}/{filename}"


class ActivityAttachment(Attachment):
    """A photo or document attached to an activity (type and size checked on upload)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)

    class Meta(Attachment.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class ActivityRange(Timestamped):
    """What is plausible for one activity type at one kind of organisation (合理范围).

    An activity above it is saved only once its recorder confirms the figures
    (``plausibility``). ``org_kind`` empty: every kind without a range of its own. Rows marked
    ``computed`` come from the ledger's own distribution (``plausible_ranges`` command, the demo)
    and are recomputed; an administrator's edit makes a row theirs.
    """

    type = models.ForeignKey(
        DictItem,
        verbose_name=_("activity type"),
        on_delete=models.CASCADE,
        limit_choices_to={"kind": DictKind.ACTIVITY_TYPE},
        related_name="+",
    )
    org_kind = models.CharField(
        _("organisation kind"),
        max_length=12,
        choices=OrgKind.choices,
        blank=True,
        help_text=_("Leave empty for every kind without a range of its own."),
    )
    max_participants = models.PositiveIntegerField(
        _("most participants (person-times)"),
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
    )
    max_hours = models.DecimalField(
        _("most service hours of an elder a day"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(24))],
    )
    computed = models.BooleanField(_("computed from the ledger"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    audit_fields = ("type", "org_kind", "max_participants", "max_hours", "computed")

    class Meta:
        verbose_name = _("plausible range")
        verbose_name_plural = _("plausible ranges")
        ordering = ["type__order", "type_id", "org_kind"]
        constraints = [
            models.UniqueConstraint(fields=["type", "org_kind"], name="activity_range_unique")
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.get_org_kind_display() or ''}".strip()

    def get_absolute_url(self) -> str:
        return reverse("activities:activityrange_list")


# --- Derived counters (never edited by hand) ------------------------------------------------


class Counters(models.Model):
    """Totals of the activities owned in an organisation's subtree, for one period and type
    (the period is the concrete model's: a month, a year)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    type = models.ForeignKey(DictItem, on_delete=models.CASCADE, related_name="+")
    sessions = models.IntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    elder_times = models.IntegerField(default=0)  # elder attendances (人次)
    hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)

    class Meta:
        abstract = True


class ActivityMonth(Counters):
    """Totals of the activities owned in an organisation's subtree, for one month and type."""

    month = models.DateField()  # the first day of the month

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month", "type"], name="activity_month_unique"
            )
        ]
        indexes = [
            # The statistics read a node's months and sum its children's: with the counters in
            # the index, PostgreSQL answers from the index alone instead of scattered heap
            # pages (≈ 10× fewer reads at a province's top; SQLite has no INCLUDE and uses
            # the unique index).
            models.Index(
                fields=["organization", "month"],
                include=["type", "sessions", "participants", "elder_times", "hours"],
                name="activity_month_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} {self.type_id}"


class ActivityYear(Counters):
    """The same totals as ``ActivityMonth`` for a whole calendar year (its twelve months
    added up), kept in step by the same writes: a question over whole years (the pivot by
    child organisation and type) reads one row where the months would give twelve."""

    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "type"], name="activity_year_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "year"],
                include=["type", "sessions", "participants", "elder_times", "hours"],
                name="activity_year_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.type_id}"


#: Daily rows are kept for the organisations this near the top of the tree (the root is depth
#: 1): their subtrees are large, so the days at the edges of a period (1–6 December, a year
#: earlier) would otherwise be counted from millions of ledger rows. Counters go one level
#: deeper than the sets: a summary reads its own days and its children's.
DAILY_DEPTH = 3
DAILY_SETS_DEPTH = DAILY_DEPTH - 1


class ActivityDay(Counters):
    """The same totals as ``ActivityMonth`` for one day, of organisations of depth at most
    ``DAILY_DEPTH`` only (``activities.daily``)."""

    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "date", "type"], name="activity_day_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "date"],
                include=["type", "sessions", "participants", "elder_times", "hours"],
                name="activity_day_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.date:%Y-%m-%d} {self.type_id}"


class EngagedElders(models.Model):
    """The set of elders who took part in activities of an organisation's subtree in a month.

    Stored as a compact bit set of elder ids (see ``bitset``) so that the number of different
    elders over any run of months is a union and a bit count, never a scan of the ledger.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    bits = models.BinaryField(default=b"")

    period_field = "month"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="engaged_elders_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m}"


class EngagedEldersDay(models.Model):
    """The elders who took part in a subtree's activities on one day, of organisations of depth
    at most ``DAILY_SETS_DEPTH`` (a bit set, as ``EngagedElders``)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    bits = models.BinaryField(default=b"")

    period_field = "date"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "date"], name="engaged_elders_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.date:%Y-%m-%d}"
