"""The activities of the demo region: deterministic, plausible, and counted exactly."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from guangong.activities import rollup
from guangong.activities.models import Activity, ActivityElder, ActivityMonth
from guangong.core.periods import presets
from guangong.demo.activities import months_back
from guangong.demo.loader import load
from guangong.demo.tests.shared import region_fixture
from guangong.orgs.models import Kind, Organization, Status
from guangong.stats import activities as stats

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)


small = region_fixture(1, today=TODAY)


def test_counters_equal_the_ledger(small):
    assert small.activities == Activity.objects.count() > 1000
    assert ActivityMonth.objects.exists()
    assert rollup.mismatches() == []


def test_two_years_up_to_today_and_never_in_the_future(small):
    dates = list(Activity.objects.values_list("date", "end_date"))
    assert min(d for d, _e in dates) >= datetime.date(2024, 11, 1)
    assert max(d for d, _e in dates) <= TODAY
    assert all(e is None or d < e <= TODAY for d, e in dates)
    months = {d.replace(day=1) for d, _e in dates}
    assert months == set(months_back(TODAY))  # every month has something


def test_the_mix_is_plausible(small):
    by_type = Counter(Activity.objects.values_list("type__label", flat=True))
    top = {label for label, _n in by_type.most_common(4)}
    assert {"主题宣讲", "关爱帮扶", "技能培训/讲座"} <= top
    talks = Activity.objects.filter(type__label="主题宣讲").values_list("participants", flat=True)
    assert min(talks) >= 30 and max(talks) <= 300
    meetings = Activity.objects.filter(type__label="座谈会").values_list("participants", flat=True)
    assert max(meetings) <= 40
    named = Activity.objects.filter(elder_links__isnull=False).distinct().count()
    assert 0.5 < named / Activity.objects.count() < 0.8
    hours = set(ActivityElder.objects.values_list("hours", flat=True))
    assert hours and all(Decimal(1) <= h <= Decimal(4) for h in hours)
    assert Activity.objects.exclude(summary="").exists()
    assert Activity.objects.filter(teams__isnull=False).exists()
    assert Activity.objects.filter(co_organizers__isnull=False).exists()
    # Organisations without a committee record nothing.
    assert not Activity.objects.filter(organization__status=Status.NONE).exists()
    grant_days = Activity.objects.filter(type__label="金秋助学").values_list("date", flat=True)
    grants = Counter(d.month for d in grant_days)
    assert grants[9] > grants[3]


def test_elders_come_from_the_subtree_or_its_county(small):
    kinds = dict(Organization.objects.values_list("path", "kind"))
    step = Organization.steplen
    pairs = ActivityElder.objects.values_list(
        "activity__organization__path", "elder__organization__path"
    )
    assert pairs
    for org_path, elder_path in pairs:
        area = org_path
        while kinds[area] not in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY):
            area = area[:-step]
        assert elder_path.startswith(org_path) or elder_path.startswith(area)


def test_some_committees_are_silent_in_a_month(small):
    """The completeness view has content: established committees that recorded nothing."""
    root = Organization.objects.get(depth=1)
    month = presets(TODAY)["month"]
    silent = stats.silent_organizations(root, month).filter(
        status__in=(Status.ESTABLISHED, Status.CONSOLIDATED)
    )
    established = Organization.objects.filter(status__in=(Status.ESTABLISHED, Status.CONSOLIDATED))
    assert 0 < silent.count() < established.count()
    assert not silent.filter(kind=Kind.PROVINCE).exists()


def test_the_dashboard_has_figures_on_first_run(small):
    root = Organization.objects.get(depth=1)
    summary = stats.summary(root, presets(TODAY)["last_year"], today=TODAY)
    assert summary["totals"]["sessions"] > 500
    assert summary["totals"]["elders_engaged"] > 50
    # The ledger begins in November 2024: 2025 is not compared with 2024, which it does not
    # cover; this year so far is compared with the same days of 2025.
    assert summary["records_from"] == datetime.date(2024, 11, 1)
    assert summary["change"]["sessions"] is None
    this_year = stats.summary(root, presets(TODAY)["year"], today=TODAY)
    assert this_year["change"]["sessions"] is not None


def test_reset_removes_the_activities(small):
    result = load("small", 2, reset=True, today=TODAY)
    assert Activity.objects.count() == result.activities
    assert rollup.mismatches() == []


def test_the_plausible_ranges_come_from_the_demo_ledger(small):
    from guangong.activities import plausibility
    from guangong.activities.models import ActivityRange

    talk = ActivityRange.objects.filter(type__label="主题宣讲", org_kind="", computed=True).get()
    participants = sorted(
        Activity.objects.filter(type=talk.type).values_list("participants", flat=True)
    )
    # The 99.5th percentile, rounded up: almost every demo talk is within it, none far above.
    within = sum(1 for p in participants if p <= talk.max_participants)
    assert within / len(participants) >= 0.995
    assert talk.max_participants <= 2 * participants[-1]
    assert plausibility.plausible_range(talk.type_id, "no-such-kind")[0] == talk.max_participants
