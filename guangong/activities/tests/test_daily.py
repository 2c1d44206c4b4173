"""The daily rows of the top levels (``activities.daily``): kept with every write, moved with
organisations that change depth, and what the statistics read for the days at the edges of a
period instead of the ledger."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from guangong.activities import bulk, daily, rollup, services
from guangong.activities.models import (
    ActivityDay,
    ActivityMonth,
    ActivityYear,
    EngagedElders,
    EngagedEldersDay,
)
from guangong.core.periods import Period
from guangong.orgs import services as org_services
from guangong.stats.tally import tally

from .conftest import record

DEC_3 = datetime.date(2025, 12, 3)


def day_rows(org) -> dict:
    return {
        (row.date, row.type_id): (row.sessions, row.participants, row.elder_times, row.hours)
        for row in ActivityDay.objects.filter(organization=org)
    }


def day_elders(org, day) -> set[int]:
    from guangong.activities import bitset

    row = EngagedEldersDay.objects.filter(organization=org, date=day).first()
    return set(bitset.members(bitset.decode(row.bits))) if row else set()


def test_the_top_levels_keep_days_and_the_lower_ones_do_not(tree, city_admin, people, types):
    elder = people["township"].elder
    activity = record(
        city_admin, tree.enterprise, types["talk"], day=DEC_3, participants=30, elders={elder: 2}
    )
    for org in (tree.province, tree.city, tree.county_a):  # depth 1 to 3
        assert day_rows(org) == {(DEC_3, types["talk"].pk): (1, 30, 1, 2)}
    assert day_rows(tree.township) == day_rows(tree.enterprise) == {}
    # The sets are read for an organisation's own total only: kept one level less deep.
    assert day_elders(tree.province, DEC_3) == day_elders(tree.city, DEC_3) == {elder.pk}
    assert day_elders(tree.county_a, DEC_3) == set()

    # Another day of the same month: the monthly rows stay, the daily ones move.
    activity.date = DEC_3 + datetime.timedelta(days=7)
    services.save_activity(city_admin, activity)
    assert day_rows(tree.city) == {(activity.date, types["talk"].pk): (1, 30, 1, 2)}
    assert day_elders(tree.city, DEC_3) == set()
    assert day_elders(tree.city, activity.date) == {elder.pk}
    assert rollup.mismatches() == []

    services.delete_activity(city_admin, activity)
    # No row is left with no session, in any of the counter tables (nor an empty set).
    for model in (ActivityDay, EngagedEldersDay, ActivityMonth, ActivityYear, EngagedElders):
        assert not model.objects.exists(), model


def test_an_organisation_moving_up_or_down_gains_or_loses_its_days(tree, city_admin, people, types):
    elder = people["township"].elder
    record(city_admin, tree.enterprise, types["talk"], day=DEC_3, elders={elder: 1})
    record(city_admin, tree.enterprise, types["care"], day=DEC_3)
    # The enterprise (depth 5) moves under the city: depth 3, with daily rows now.
    org_services.move_organization(city_admin, tree.enterprise, tree.city)
    assert sum(row[0] for row in day_rows(tree.enterprise).values()) == 2
    assert day_rows(tree.county_a) == {}
    assert rollup.mismatches() == []
    # And down under a township: depth 5 again, no daily rows; the county's count follows.
    org_services.move_organization(city_admin, tree.enterprise, tree.township)
    assert day_rows(tree.enterprise) == {}
    assert sum(row[0] for row in day_rows(tree.county_a).values()) == 2
    assert rollup.mismatches() == []


def test_the_edge_days_at_the_top_are_read_from_the_daily_rows(tree, city_admin, people, types):
    elders = [people["township"].elder, people["county_a"].elder]
    record(
        city_admin,
        tree.enterprise,
        types["talk"],
        day=DEC_3,
        participants=12,
        elders={elders[0]: 1},
    )
    record(
        city_admin, tree.county_b, types["care"], day=DEC_3, participants=5, elders={elders[1]: 2}
    )
    record(city_admin, tree.county_b, types["care"], day=datetime.date(2025, 12, 9))
    record(city_admin, tree.county_a, types["care"], day=datetime.date(2025, 11, 30))
    period = Period(datetime.date(2025, 11, 1), datetime.date(2025, 12, 6))  # an edge: 1–6 Dec
    for org in (tree.province, tree.city):
        with CaptureQueriesContext(connection) as queries:
            result = tally(org, period)
        ledger = [q["sql"] for q in queries if '"activities_activity"' in q["sql"]]
        assert ledger == []  # no ledger row read
        total = result.total()
        assert (total.sessions, total.participants, total.elder_times) == (3, 57, 2)
        assert result.engaged().bit_count() == 2
    children = {
        child: line.sessions
        for (child, _m, _t), line in tally(tree.city, period).lines.items()
        if child
    }
    assert children == {tree.county_a.pk: 1 + 1, tree.county_b.pk: 1}


def test_the_daily_rows_are_rebuilt_from_the_ledger(tree, city_admin, people, types):
    record(
        city_admin, tree.enterprise, types["talk"], day=DEC_3, elders={people["township"].elder: 1}
    )
    record(city_admin, tree.county_b, types["care"], day=DEC_3)
    ActivityDay.objects.update(sessions=7)
    EngagedEldersDay.objects.all().delete()
    assert rollup.mismatches() != []
    daily.rebuild()
    assert rollup.mismatches() == []
    ActivityDay.objects.all().delete()
    bulk.rebuild()
    assert rollup.mismatches() == []
