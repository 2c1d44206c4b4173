"""Every figure of the pivot opens its records (``stats.pivot_links``): the list linked from
each cell, row and column total and the total is filtered so that its totals line (activities)
or its row count equals the figure, for every dimension and, by hypothesis, random subtrees,
periods and pairs; no link where no list counts the same records."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from guangong.core.periods import Period
from guangong.core.tests.support import examples
from guangong.stats.pivot import MEASURES, pivot

from .conftest import YEAR_2025
from .pivot_world import KEYS

#: What the activity list's totals line calls each activity measure.
LIST_FIGURES = {
    "sessions": "sessions",
    "participants": "participants",
    "elder_times": "elder_times",
    "elders": "elders_engaged",
    "hours": "service_hours",
}
#: The measures counted by the rows of a list (its count is the figure).
COUNTED = ("organizations", "committees", "positions", "teams", "mentorships", "cases")
ACTIVITY_DIMS = list(MEASURES["sessions"].dimensions)


def _all_links(result, user):
    from guangong.stats.pivot_links import links

    found = links(result, user)
    yield from ((key, found.cells.get(key), value) for key, value in result.cells.items())
    yield from ((("row", k), found.rows.get(k), v) for k, v in result.row_totals.items())
    yield from ((("col", k), found.cols.get(k), v) for k, v in result.col_totals.items())
    yield ("total", found.total, result.total)


class Lists:
    """The lists opened, each once: their totals line (activities) or their row count."""

    def __init__(self, client):
        self.client, self.seen = client, {}

    def __call__(self, url):
        if url not in self.seen:
            response = self.client.get(url)
            assert response.status_code == 200, url
            count = response.context["table"].paginator.count
            totals = response.context.get("totals")
            if totals is not None:
                assert count == totals["sessions"], url
            self.seen[url] = totals or {"count": count}
        return self.seen[url]


def check_activity_links(org, period, rows, cols, group_set, user, lists):
    for measure, figure in LIST_FIGURES.items():
        result = pivot(org, period, measure, rows, cols, group_set=group_set)
        for what, url, value in _all_links(result, user):
            if not value:
                assert url is None, (measure, what)
                continue
            assert url, (measure, rows, cols, what)  # every figure with records links
            assert lists(url)[figure] == value, (measure, rows, cols, what, url)


ACTIVITY_PAIRS = [
    (rows, cols) for rows in ACTIVITY_DIMS for cols in (None, *ACTIVITY_DIMS) if cols != rows
]


def test_every_activity_figure_opens_a_list_that_sums_to_it(world, city_admin, client):
    """For each dimension alone and with the child organisations or the months: every cell,
    total and the total of the five activity measures links to the activity list, whose
    totals line (and row count) equals it."""
    tree, group_set = world
    client.force_login(city_admin)
    lists = Lists(client)
    pairs = [(d, None) for d in ACTIVITY_DIMS]
    pairs += [("child", d) for d in ACTIVITY_DIMS if d != "child"]
    pairs += [(d, "month") for d in ACTIVITY_DIMS if d not in ("month", "quarter")]
    for rows, cols in pairs:
        check_activity_links(tree.city, YEAR_2025, rows, cols, group_set, city_admin, lists)


@examples(8)
@given(
    key=st.sampled_from(KEYS[1:]),  # what the city's administrator sees
    pair=st.sampled_from(ACTIVITY_PAIRS),
    start=st.dates(datetime.date(2024, 1, 1), datetime.date(2026, 6, 30)),
    days=st.integers(min_value=0, max_value=800),
)
def test_any_activity_figure_opens_its_records(world, city_admin, client, key, pair, start, days):
    tree, group_set = world
    client.force_login(city_admin)
    period = Period(start, start + datetime.timedelta(days=days))
    check_activity_links(tree[key], period, *pair, group_set, city_admin, Lists(client))


def test_counted_figures_open_lists_of_as_many_rows(world, city_admin, client):
    """Organisations, committees, the roster, teams, mentorships and cases: the list has as
    many rows."""
    tree, group_set = world
    client.force_login(city_admin)
    lists = Lists(client)
    for measure in COUNTED:
        for rows in MEASURES[measure].dimensions:
            for cols in (None, "child"):
                if cols == rows:
                    continue
                result = pivot(tree.city, YEAR_2025, measure, rows, cols, group_set=group_set)
                for what, url, value in _all_links(result, city_admin):
                    if url is not None:
                        assert lists(url)["count"] == value, (measure, rows, what, url)
                    elif value and rows != "youth_category":
                        raise AssertionError((measure, rows, cols, what))


MENTORSHIP_DIMS = list(MEASURES["mentorships"].dimensions)
MENTORSHIP_PAIRS = [
    (rows, cols) for rows in MENTORSHIP_DIMS for cols in (None, *MENTORSHIP_DIMS) if cols != rows
]


def check_mentorship_links(org, period, rows, cols, group_set, user, lists):
    """Every mentorship figure with records links to the mentorship list (active in the
    period), whose row count equals it; a figure of zero has no link."""
    result = pivot(org, period, "mentorships", rows, cols, group_set=group_set)
    for what, url, value in _all_links(result, user):
        if not value:
            assert url is None, what
            continue
        assert url, (rows, cols, what)
        assert lists(url)["count"] == value, (rows, cols, what, url)


def test_every_mentorship_figure_opens_as_many_mentorships(world, city_admin, client):
    tree, group_set = world
    client.force_login(city_admin)
    lists = Lists(client)
    for rows, cols in MENTORSHIP_PAIRS:
        check_mentorship_links(tree.city, YEAR_2025, rows, cols, group_set, city_admin, lists)


@examples(10)
@given(
    key=st.sampled_from(KEYS[1:]),  # what the city's administrator sees
    pair=st.sampled_from(MENTORSHIP_PAIRS),
    start=st.dates(datetime.date(2023, 1, 1), datetime.date(2026, 6, 30)),
    days=st.integers(min_value=0, max_value=800),
)
def test_any_mentorship_figure_opens_its_mentorships(
    world, city_admin, client, key, pair, start, days
):
    """Random subtrees, periods and pairs: the linked list's row count is the figure (the
    list's ``active_from`` / ``active_to`` and the pivot count the same mentorships)."""
    tree, group_set = world
    client.force_login(city_admin)
    period = Period(start, start + datetime.timedelta(days=days))
    check_mentorship_links(tree[key], period, *pair, group_set, city_admin, Lists(client))


def test_no_link_where_no_list_matches(world, city_admin):
    """Amounts and the elders' categories of activities have no list that counts the same."""
    from guangong.stats.pivot_links import links

    tree, group_set = world
    pairs = (("amounts", "child"), ("elders", "elder_category"))
    for measure, rows in pairs:
        result = pivot(tree.city, YEAR_2025, measure, rows, group_set=group_set)
        found = links(result, city_admin)
        assert not any(found.rows.values()), measure
        if result.total or measure == "elders":
            assert found.note
