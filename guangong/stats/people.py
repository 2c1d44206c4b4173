"""People figures of a subtree: elders, young people, teams, mentorships, the busiest elders.

Counted live over one indexed path range (people change far less often than activities are
recorded, and no counter table holds them).
"""

from django.db.models import Sum

from guangong.activities.models import ActivityElder
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.orgs.models import Organization
from guangong.people.models import Elder, Mentorship, Team, Youth, active_in_q

from .models import Population, PopulationKind


def _in(org: Organization):
    return subtree_q("organization__path", org.path)


def elders(org: Organization, category: int | None = None) -> int:
    """Active five-elders volunteers (of one category, if given)."""
    qs = Elder.objects.current().filter(_in(org), active=True)
    if category:
        qs = qs.filter(categories=category)
    return qs.count()


def youth(org: Organization, category: int | None = None) -> int:
    """Young people registered (of one category, if given)."""
    qs = Youth.objects.current().filter(_in(org))
    if category:
        qs = qs.filter(category_id=category)
    return qs.count()


def population(org: Organization, year: int) -> Population | None:
    """The population recorded for the organisation for ``year`` or the latest year before it
    (a yearbook gives last year's number): young people living there, else young employees;
    None where nothing is recorded (a rate is then not shown)."""
    rows = Population.objects.filter(organization=org, year__lte=year).order_by("-year", "kind")
    found = {}
    for row in rows[:4]:
        found.setdefault(row.kind, row)
    youth, workers = found.get(PopulationKind.YOUTH), found.get(PopulationKind.YOUNG_WORKERS)
    if youth and workers:
        return youth if youth.year >= workers.year else workers
    return youth or workers


def teams(org: Organization) -> int:
    return Team.objects.filter(_in(org)).count()


def mentorships_active(org: Organization, period: Period) -> int:
    """Mentorships active at some time in the period."""
    return Mentorship.objects.filter(_in(org), active_in_q(period.start, period.end)).count()


def mentorships_new(org: Organization, period: Period) -> int:
    """Mentorships that began in the period."""
    return Mentorship.objects.filter(
        _in(org), start_date__gte=period.start, start_date__lte=period.end
    ).count()


def top_elders(org: Organization, period: Period, n: int = 3) -> list[dict]:
    """The elders who gave the most hours in the period: name, organisation name, hours."""
    return list(
        ActivityElder.objects.filter(
            subtree_q("activity__organization__path", org.path),
            activity__date__gte=period.start,
            activity__date__lte=period.end,
        )
        .values("elder_id", "elder__name", "elder__organization__name")
        .annotate(h=Sum("hours"))
        .order_by("-h", "elder_id")[:n]
    )
