"""stats.figures.Figures: each group of figures against the ledger, read once, lazily."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from guangong.core.periods import Period
from guangong.dicts.models import StatGroup
from guangong.stats.figures import Figures, activity_types

from .conftest import YEAR_2025, count_ledger


def test_activity_figures_match_the_ledger(ledger):
    for org in (ledger.city, ledger.county_a, ledger.township, ledger.county_b):
        figures = Figures(org, YEAR_2025)
        want = count_ledger(org, YEAR_2025)
        line = figures.activity_line()
        assert (line.sessions, line.participants, line.elder_times, line.hours) == (
            want.sessions,
            want.participants,
            want.elder_times,
            want.service_hours,
        )
        assert figures.elders_engaged == want.elders_engaged
        totals = figures.activities["totals"]
        assert totals["sessions"] == want.sessions
        if org in (ledger.township, ledger.county_b):
            # Their records begin after January 2024: 2024 is no base for a comparison.
            assert figures.year_earlier is None and figures.activities["previous"] is None
            continue
        earlier = count_ledger(org, YEAR_2025.year_earlier())
        assert figures.year_earlier.activity_line().sessions == earlier.sessions
        assert figures.activities["previous"]["sessions"] == earlier.sessions


def test_activity_figures_of_a_group_add_up(ledger):
    figures = Figures(ledger.city, YEAR_2025)
    by_group = {g["group"]: g["sessions"] for g in figures.activities["by_group"]}
    for group, _label in StatGroup.choices:
        assert figures.activity_line(activity_types(group)).sessions == by_group[group]
    assert sum(by_group.values()) <= figures.activity_line().sessions


def test_people_figures_and_the_busiest_elders(ledger, people):
    figures = Figures(ledger.city, YEAR_2025)
    assert figures.elders >= 3 and figures.youth >= 1 and figures.teams >= 0
    top = figures.top_elders
    assert top and top[0]["h"] == max(t["h"] for t in top)
    assert sum(t["h"] for t in top) <= figures.activity_line().hours
    county_b = Figures(
        ledger.county_b, Period(datetime.date(2025, 12, 31), datetime.date(2025, 12, 31))
    )
    assert [t["h"] for t in county_b.top_elders] == [Decimal("1.5")]


def test_each_group_is_computed_when_first_read_and_only_then(ledger):
    figures = Figures(ledger.county_a, YEAR_2025, compare=False, count_youth=False)
    with CaptureQueriesContext(connection) as first:
        line = figures.activity_line()
        engaged = figures.elders_engaged
    assert line.sessions and engaged
    assert not any("care_case" in q["sql"] for q in first.captured_queries)
    with CaptureQueriesContext(connection) as again:
        assert (figures.activity_line(), figures.elders_engaged) == (line, engaged)
    assert len(again.captured_queries) == 0
    assert figures.cases() == 0 and figures.disbursed() == Decimal("0.00")
    assert figures.committees() == figures.coverage.total.established
