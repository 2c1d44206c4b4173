"""What the pivot (``stats.pivot``) counts: its dimensions, the ledgers behind its measures, and
which dimension each ledger can break down by.

A ``Source`` is one kind of row (activities, elders' attendances, organisations, roster
entries, teams, mentorships, care cases, disbursements) of one subtree and period, and the
lookup each dimension reads on it. A measure applies to the dimensions its source declares;
any other combination is refused with a message naming both.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guangong.activities.models import Activity, ActivityElder
from guangong.care.models import Case
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.orgs.models import ESTABLISHED_STATUSES, NOT_DISSOLVED, Organization, Position
from guangong.people.models import Mentorship, Team, active_in_q


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    #: A row may fall under several values (an activity of two teams): the totals are then
    #: counted apart, so that each row counts once in them.
    multi: bool = False


DIMENSIONS = {
    d.key: d
    for d in (
        Dimension("child", _("Child organisation")),
        Dimension("kind", _("Organisation kind")),
        Dimension("group", _("Organisation group")),
        Dimension("type", _("Activity type")),
        Dimension("stat_group", _("Statistical group")),
        Dimension("audience", _("Audience")),
        Dimension("team", _("Team"), multi=True),
        Dimension("team_kind", _("Team kind"), multi=True),
        Dimension("month", _("Month")),
        Dimension("quarter", _("Quarter")),
        Dimension("role", _("Post")),
        Dimension("source", _("Source of member")),
        Dimension("elder_category", _("Five-elders category"), multi=True),
        Dimension("youth_category", _("Youth category")),
        Dimension("outcome", _("Mentorship outcome"), multi=True),
    )
}


@dataclass(frozen=True)
class Source:
    """Rows of one model for a subtree and a period, and their dimensions' lookups."""

    model: type
    #: The lookup to the organisation a row belongs to ("" for organisations themselves).
    org: str
    rows: Callable[[Organization, Period], QuerySet]
    #: Dimension key → lookup (``child``, ``kind`` and ``group`` come from ``org``); a date
    #: lookup for ``month`` and ``quarter``.
    lookups: dict[str, str] = field(default_factory=dict)
    date: str = ""

    def lookup(self, name: str) -> str:
        return f"{self.org}__{name}" if self.org else name

    @property
    def path(self) -> str:
        return self.lookup("path")

    @property
    def org_id(self) -> str:
        return f"{self.org}_id" if self.org else "pk"

    @property
    def dimensions(self) -> tuple[str, ...]:
        dated = ("month", "quarter") if self.date else ()
        return ("child", "kind", "group", *self.lookups, *dated)


def _in(org: Organization, lookup: str) -> Q:
    return subtree_q(lookup, org.path)


def _activities(org: Organization, period: Period) -> QuerySet:
    return Activity.objects.filter(
        _in(org, "organization__path"), date__gte=period.start, date__lte=period.end
    )


def _attendances(org: Organization, period: Period) -> QuerySet:
    return ActivityElder.objects.filter(
        _in(org, "activity__organization__path"),
        activity__date__gte=period.start,
        activity__date__lte=period.end,
    )


def _organizations(org: Organization, period: Period) -> QuerySet:
    """The organisations of the subtree that exist today (not dissolved)."""
    return Organization.objects.filter(_in(org, "path"), NOT_DISSOLVED)


def _committees(org: Organization, period: Period) -> QuerySet:
    return _organizations(org, period).filter(status__in=ESTABLISHED_STATUSES)


def _positions(org: Organization, period: Period) -> QuerySet:
    """Leadership members serving now (the roster keeps no history of the tree)."""
    return Position.objects.current().filter(_in(org, "organization__path"))


def _teams(org: Organization, period: Period) -> QuerySet:
    return Team.objects.filter(_in(org, "organization__path"))


def _mentorships(org: Organization, period: Period) -> QuerySet:
    """Mentorships active at some time in the period (``people.models.active_in_q``, as
    ``stats.people`` and the mentorship list's ``active_from`` / ``active_to``)."""
    return Mentorship.objects.filter(
        _in(org, "organization__path"), active_in_q(period.start, period.end)
    )


def _cases(org: Organization, period: Period) -> QuerySet:
    """Care cases opened in the period."""
    return Case.objects.filter(
        _in(org, "organization__path"), opened_on__gte=period.start, opened_on__lte=period.end
    )


def _disbursed(org: Organization, period: Period) -> QuerySet:
    """Care cases whose money was disbursed in the period (by the date of disbursement)."""
    return Case.objects.filter(
        _in(org, "organization__path"),
        disbursed_on__gte=period.start,
        disbursed_on__lte=period.end,
    )


ACTIVITY_LOOKUPS = {
    "type": "type_id",
    "stat_group": "type__stat_group",
    "audience": "audience_id",
    "team": "teams",
    "team_kind": "teams__kind_id",
}

SOURCES = {
    "activities": Source(Activity, "organization", _activities, ACTIVITY_LOOKUPS, date="date"),
    "attendances": Source(
        ActivityElder,
        "activity__organization",
        _attendances,
        {
            **{k: f"activity__{v}" for k, v in ACTIVITY_LOOKUPS.items()},
            "elder_category": "elder__categories",
        },
        date="activity__date",
    ),
    "organizations": Source(Organization, "", _organizations),
    "committees": Source(Organization, "", _committees),
    "positions": Source(Position, "organization", _positions, {"role": "role", "source": "source"}),
    "teams": Source(Team, "organization", _teams, {"team_kind": "kind_id"}),
    "mentorships": Source(
        Mentorship,
        "organization",
        _mentorships,
        {
            "outcome": "outcomes",
            "youth_category": "youth__category_id",
            "elder_category": "elder__categories",
        },
    ),
    "cases": Source(
        Case, "organization", _cases, {"youth_category": "youth__category_id"}, date="opened_on"
    ),
    "disbursed": Source(
        Case,
        "organization",
        _disbursed,
        {"youth_category": "youth__category_id"},
        date="disbursed_on",
    ),
}


def months_of(period: Period) -> list[int]:
    """The months of the period as ``yyyymm`` numbers, in order."""
    return [m.year * 100 + m.month for m in period.months()]


def quarters_of(period: Period) -> list[int]:
    """The quarters the period touches as ``yyyyq`` numbers, in order."""
    seen: list[int] = []
    for month in period.months():
        key = month.year * 10 + (month.month - 1) // 3 + 1
        if key not in seen:
            seen.append(key)
    return seen


def month_label(key: int) -> str:
    return datetime.date(key // 100, key % 100, 1).strftime("%Y-%m")
