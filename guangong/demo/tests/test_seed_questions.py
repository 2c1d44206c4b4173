"""The questions the source documents answer by hand, asked of the demo region's pivot and
distributions: each answer is there, and equals the records counted one by one.

- “全州企业关工委领导班子成员280名”: leadership members by organisation kind;
- “建有5个以上工作团队的有81个，建有1至4个工作团队的有21个”: townships by number of teams;
- “150个乡镇(街道)中，已建立‘四化’型工作模式的有87个，占58%”: townships by group (test_org_groups);
- “12个五老宣讲团深入企业开展…宣讲65场次”: sessions by team;
- “受教育青年职工6200余人次”: participants by audience;
- “先后发展20多名青年职工入党”: mentorships by outcome.
"""

import datetime

import pytest

from guangong.activities.models import Activity
from guangong.core.periods import Period
from guangong.demo.tests.shared import region_fixture
from guangong.orgs.models import UNIT_KINDS, Kind, Organization, Position
from guangong.people.models import Mentorship, Team
from guangong.stats.distribution import distribution
from guangong.stats.pivot import pivot

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)
region = region_fixture(1, today=TODAY)
PERIOD = Period(datetime.date(2025, 1, 1), TODAY)


@pytest.fixture
def city(region):
    return Organization.objects.get(kind=Kind.CITY, name__startswith="伊犁")


def in_subtree(queryset, org, field="organization__path"):
    return queryset.filter(**{f"{field}__startswith": org.path})


def test_leadership_members_by_kind_of_organisation(city):
    result = pivot(city, PERIOD, "positions", "kind")
    current = in_subtree(Position.objects.current(), city)
    enterprises = (Kind.STATE_ENTERPRISE, Kind.PRIVATE_ENTERPRISE)
    by_kind = {k: current.filter(organization__kind=k).count() for k in Kind.values}
    assert (
        sum(result.row_totals.get(k, 0) for k in enterprises)
        == sum(by_kind[k] for k in enterprises)
        > 0
    )
    assert result.total == current.count()
    assert any(result.row_totals.get(k) for k in UNIT_KINDS)


def test_townships_by_number_of_teams(city):
    result = distribution(city, "teams", PERIOD, kind=Kind.TOWNSHIP, bins=(1, 5))
    townships = in_subtree(Organization.objects, city, "path").filter(kind=Kind.TOWNSHIP)
    counts = [b["organizations"] for b in result["buckets"]]
    assert result["denominator"] == townships.count()
    assert sum(counts) == townships.count() > 0
    teams = in_subtree(Team.objects, city)
    five_or_more = sum(
        1 for t in townships if teams.filter(organization__path__startswith=t.path).count() >= 5
    )
    assert counts[-1] == five_or_more


def test_sessions_by_team(city):
    result = pivot(city, PERIOD, "sessions", "team")
    talks = in_subtree(Activity.objects, city).filter(
        date__gte=PERIOD.start, date__lte=PERIOD.end, teams__isnull=False
    )
    assert result.row_totals and sum(1 for v in result.row_totals.values() if v) > 1
    for team_id, sessions in result.row_totals.items():
        if team_id is not None:
            assert sessions == talks.filter(teams=team_id).count()


def test_participants_by_audience(city):
    result = pivot(city, PERIOD, "participants", "audience")
    ledger = in_subtree(Activity.objects, city).filter(date__gte=PERIOD.start, date__lte=PERIOD.end)
    assert result.total == sum(ledger.values_list("participants", flat=True))
    named = {k: v for k, v in result.row_totals.items() if k is not None and v}
    assert len(named) > 1
    for audience_id, participants in named.items():
        assert participants == sum(
            ledger.filter(audience_id=audience_id).values_list("participants", flat=True)
        )


def test_mentorships_by_outcome(city):
    """Mentorships active in the period, by outcome (one mentorship may have several)."""
    result = pivot(city, PERIOD, "mentorships", "outcome")
    with_outcome = {k: v for k, v in result.row_totals.items() if k is not None and v}
    assert with_outcome, "the demo's mentorships record outcomes (入党, 就业…)"
    active = (
        in_subtree(Mentorship.objects, city)
        .filter(start_date__lte=PERIOD.end)
        .exclude(end_date__lt=PERIOD.start)
    )
    assert result.total == active.count()
    for outcome_id, mentorships in with_outcome.items():
        assert mentorships == active.filter(outcomes=outcome_id).count()
