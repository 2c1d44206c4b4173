"""Teams (工作团队), mentorships (结对帮带) and their visits."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core import dates
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Searchable, Timestamped
from guangong.core.scope import ScopedQuerySet
from guangong.dicts.models import DictKind

from .persons import Elder, NamedQuerySet, Youth, dict_fk, dict_m2m


class Team(DetailPage, Searchable, Timestamped):
    """A work team (工作团队): 宣讲团, 专家顾问团, 心理健康关爱团队…"""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = dict_fk(DictKind.TEAM_KIND, _("kind"))
    leader = models.ForeignKey(
        Elder,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_teams",
    )
    members = models.ManyToManyField(
        Elder, verbose_name=_("members"), related_name="teams", blank=True
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    import_batch = models.CharField(max_length=32, blank=True, db_index=True, editable=False)

    objects = NamedQuerySet.as_manager()

    audit_fields = ("organization", "name", "kind", "leader", "description")

    detail_url = "people:team_detail"

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organization", "name"]

    def __str__(self) -> str:
        return self.name


def active_in_q(start: datetime.date | None = None, end: datetime.date | None = None) -> models.Q:
    """Mentorships active at some time in [``start``, ``end``] (both days included; an end not
    given is open): begun by ``end`` and not ended before ``start``; one without an end date
    is still going. The one definition of “active in a period”, which the mentorship list's
    filters (``active_from`` / ``active_to``), the statistics and the pivot all use."""
    q = models.Q()
    if end is not None:
        q &= models.Q(start_date__lte=end)
    if start is not None:
        q &= models.Q(end_date__isnull=True) | models.Q(end_date__gte=start)
    return q


class MentorshipQuerySet(ScopedQuerySet):
    def active_in(self, start: datetime.date | None = None, end: datetime.date | None = None):
        """Active at some time in [``start``, ``end``] (``active_in_q``)."""
        return self.filter(active_in_q(start, end))

    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=on))

    def ended(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)

    def search(self, q: str):
        """The elder's or the young person's name, pinyin initials or full pinyin."""
        q = (q or "").strip()
        if not q:
            return self
        key = q.lower()
        return self.filter(
            models.Q(elder__name__icontains=q)
            | models.Q(elder__search_text__contains=key)
            | models.Q(youth__name__icontains=q)
            | models.Q(youth__search_text__contains=key)
        )


class Mentorship(DetailPage, Timestamped):
    """One elder mentoring one young person (结对帮带 / 传帮带)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    elder = models.ForeignKey(
        Elder,
        verbose_name=_("five-elders volunteer"),
        on_delete=models.PROTECT,
        related_name="mentorships",
    )
    youth = models.ForeignKey(
        Youth, verbose_name=_("young person"), on_delete=models.PROTECT, related_name="mentorships"
    )
    start_date = BoundedDateField(_("start date"), within=dates.PLAN)
    end_date = BoundedDateField(_("end date"), null=True, blank=True, within=dates.PLAN)
    goals = dict_m2m(DictKind.MENTORSHIP_GOAL, _("goals"), "mentorships_with_goal")
    outcomes = dict_m2m(DictKind.MENTORSHIP_OUTCOME, _("outcomes"), "mentorships_with_outcome")
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    objects = MentorshipQuerySet.as_manager()

    audit_fields = ("organization", "elder", "youth", "start_date", "end_date", "notes")

    detail_url = "people:mentorship_detail"

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.elder.name} → {self.youth.name}"

    @property
    def is_active(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()


class VisitQuerySet(ScopedQuerySet):
    """Scope: ``people.resources`` (a visit belongs to its mentorship's organisation)."""


class MentorshipVisit(models.Model):
    mentorship = models.ForeignKey(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="visits"
    )
    date = BoundedDateField(_("date"), within=dates.WORK)
    content = models.CharField(_("content"), max_length=500)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    audit_fields = ("mentorship", "date", "content", "duration_minutes")

    class Meta:
        verbose_name = _("mentorship visit")
        verbose_name_plural = _("mentorship visits")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.content[:20]}"
