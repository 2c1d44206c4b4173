"""The activity statistics (stats.activities) read from the counters equal a count of the
ledger rows, over any subtree and range.

Its own ledger (not conftest's): activities on the edges of months, quarters and years."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from hypothesis import given
from hypothesis import strategies as st

from guangong.activities.models import Activity, ActivityElder
from guangong.activities.tests.conftest import record
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.core.tests.support import examples
from guangong.orgs.models import Organization
from guangong.stats import activities as stats

DAYS = [
    datetime.date(2025, 3, 3),
    datetime.date(2025, 3, 28),
    datetime.date(2025, 4, 1),
    datetime.date(2025, 12, 31),
    datetime.date(2026, 1, 1),
    datetime.date(2026, 3, 5),
    datetime.date(2026, 3, 31),
]


def ledger_summary(org: Organization, period: Period) -> dict:
    """The summary's figures counted straight from the ledger rows (a check on the counters)."""
    activities = Activity.objects.filter(
        subtree_q("organization__path", org.path),
        date__gte=period.start,
        date__lte=period.end,
    )
    links = ActivityElder.objects.filter(activity__in=activities.values("pk"))
    by_type = {
        row["type_id"]: (row["n"], row["p"] or 0)
        for row in activities.values("type_id").annotate(n=Count("pk"), p=Sum("participants"))
    }
    return {
        "sessions": activities.count(),
        "participants": sum(p for _n, p in by_type.values()),
        "elder_times": links.count(),
        "service_hours": sum(links.values_list("hours", flat=True), Decimal(0)),
        "elders_engaged": links.values("elder_id").distinct().count(),
        "by_type": by_type,
    }


@pytest.fixture
def ledger(tree, city_admin, people, types):
    """Activities at every level, several months, with elders and hours."""
    e_a, e_t, e_b = (people[k].elder for k in ("county_a", "township", "county_b"))
    plan = [
        (tree.county_a, "talk", DAYS[0], 60, {e_a: 2}),
        (tree.township, "talk", DAYS[1], 25, {e_t: 3, e_a: 1}),
        (tree.enterprise, "training", DAYS[2], 12, {}),
        (tree.county_b, "care", DAYS[3], 8, {e_b: "1.5"}),
        (tree.city, "talk", DAYS[4], 300, {}),
        (tree.township, "care", DAYS[5], 9, {e_t: 2}),
        (tree.county_b, "talk", DAYS[6], 44, {e_b: 4}),
        (tree.county_a, "training", DAYS[6], 20, {e_a: 1, e_t: 1}),
    ]
    for org, type_key, day, participants, elders in plan:
        record(city_admin, org, types[type_key], day=day, participants=participants, elders=elders)
    return tree


def check_equal(org, period):
    got = stats.summary(org, period, compare=False)
    want = ledger_summary(org, period)
    totals = got["totals"]
    assert totals["sessions"] == want["sessions"]
    assert totals["participants"] == want["participants"]
    assert totals["elder_times"] == want["elder_times"]
    assert totals["service_hours"] == want["service_hours"]
    assert totals["elders_engaged"] == want["elders_engaged"]
    assert {r["type"]: (r["sessions"], r["participants"]) for r in got["by_type"]} == want[
        "by_type"
    ]
    assert sum(m["sessions"] for m in got["by_month"]) == want["sessions"]
    assert sum(g["sessions"] for g in got["by_group"]) == want["sessions"]
    # Each child's line is that child's own subtree total.
    for line in got["by_child"]:
        child = Organization.objects.get(pk=line["organization"])
        assert line["sessions"] == ledger_summary(child, period)["sessions"]


@examples(25)
@given(
    key=st.sampled_from(["province", "city", "county_a", "township", "county_b"]),
    start=st.dates(datetime.date(2025, 1, 1), datetime.date(2026, 4, 30)),
    days=st.integers(min_value=0, max_value=500),
)
def test_any_subtree_and_range_equals_the_ledger(ledger, key, start, days):
    check_equal(ledger[key], Period(start, start + datetime.timedelta(days=days)))


def test_the_city_over_a_year(ledger):
    result = stats.summary(
        ledger.city, Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    )
    totals = result["totals"]
    assert (totals["sessions"], totals["participants"]) == (4, 105)
    assert totals["service_hours"] == Decimal("7.5")
    assert totals["elders_engaged"] == 3
    groups = {g["group"]: g["sessions"] for g in result["by_group"]}
    assert groups["ideology"] == 2 and groups["growth"] == 1 and groups["care"] == 1
    shares = {line["name"]: line["share_sessions"] for line in result["by_child"]}
    assert shares == {"伊宁市": 75.0, "奎屯市": 25.0}
    assert [m["month"] for m in result["by_month"]][:2] == ["2025-01", "2025-02"]
    assert len(result["by_month"]) == 12


def test_year_over_year(ledger, city_admin, types):
    q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    # The city's records begin in March 2025: the first quarter of 2025 is not a base.
    result = stats.summary(ledger.city, q1)
    assert result["records_from"] == datetime.date(2025, 3, 1)
    assert result["previous"] is None
    assert result["change"]["sessions"] is None
    # Recorded from January, it is: 4 sessions against 3.
    record(city_admin, ledger.county_b, types["care"], day=datetime.date(2025, 1, 20))
    result = stats.summary(ledger.city, q1)
    previous = result["previous"]
    assert (result["totals"]["sessions"], previous["sessions"]) == (4, 3)
    assert result["change"]["sessions"] == 33.3
    assert previous["period"]["from"] == datetime.date(2025, 1, 1)
    # County A's own records still begin in March: no 同比 there.
    assert stats.summary(ledger.county_a, q1)["previous"] is None


def test_silent_organisations(ledger):
    march = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    silent = {o.name for o in stats.silent_organizations(ledger.city, march)}
    assert silent == {"恒泰纺织有限公司"}
    quarter = Period(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    silent = {o.name for o in stats.silent_organizations(ledger.province, quarter)}
    assert silent == {"伊宁市", "墩买里街道", "恒泰纺织有限公司"}
