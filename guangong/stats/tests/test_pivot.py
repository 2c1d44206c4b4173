"""The pivot: every supported measure × dimension pair equals a count of the ledger rows made
row by row in Python, for random subtrees and periods (hypothesis); totals count each record
once."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guangong.activities.models import Activity, ActivityElder
from guangong.activities.tests.conftest import record
from guangong.care.models import Case
from guangong.core.periods import Period
from guangong.core.tests.support import examples
from guangong.orggroups import services as group_services
from guangong.orggroups.models import Assignment, GroupSet, OrgGroup
from guangong.orgs.models import ESTABLISHED_STATUSES, Organization, Position
from guangong.people.models import Mentorship, Team
from guangong.stats.pivot import MEASURES, OWN, pivot

from .conftest import YEAR_2025

KEYS = ["province", "city", "county_a", "township", "county_b"]


@pytest.fixture
def world(ledger, tree, city_admin, people, types, categories, roster):
    """The statistics ledger, plus activities with teams and an audience, a mentorship
    outcome, and a group set sorting the tree."""
    record(
        city_admin,
        tree.township,
        types["talk"],
        day=datetime.date(2025, 5, 20),
        participants=70,
        teams=[people["township"].team, people["county_a"].team],
        elders={people["township"].elder: 2},
    )
    Activity.objects.filter(title__contains="主题宣讲").update(audience=categories["student"])
    mentorship = people["county_b"].mentorship
    mentorship.outcomes.add(categories["outcome_job"])
    group_set = group_services.save_group_set(
        city_admin, GroupSet(organization=tree.city, name="四化型工作模式")
    )
    built, _not = (
        group_services.save_group(city_admin, OrgGroup(group_set=group_set, name=name, order=i))
        for i, name in enumerate(("已建立", "未建立"))
    )
    for org in (tree.county_a, tree.township):
        group_services.save_assignment(city_admin, Assignment(organization=org, group=built))
    return tree, group_set


# --- The reference: the rows, one by one ------------------------------------------------------


def _child(org, path: str):
    step = Organization.steplen
    if len(path) == len(org.path):
        return OWN
    return Organization.objects.get(path=path[: len(org.path) + step]).pk


def _org_values(org, owner, group_of):
    return {
        "child": [_child(org, owner.path)],
        "kind": [owner.kind],
        "group": [group_of.get(owner.pk)],
    }


def _dated(day):
    return {
        "month": [day.year * 100 + day.month],
        "quarter": [day.year * 10 + (day.month - 1) // 3 + 1],
    }


def _many(ids):
    return list(ids) or [None]


def reference(org, period, measure, group_set):
    """[(values by dimension, value, identity)] of the measure's rows."""
    group_of = dict(
        Assignment.objects.filter(group_set=group_set).values_list("organization_id", "group_id")
    )
    inside = [o for o in Organization.objects.all() if o.path.startswith(org.path)]
    out = []

    def within(day):
        return period.start <= day <= period.end

    source = MEASURES[measure].source
    if source in ("activities", "attendances"):
        for a in Activity.objects.filter(organization__in=inside):
            if not within(a.date):
                continue
            base = {
                **_org_values(org, a.organization, group_of),
                **_dated(a.date),
                "type": [a.type_id],
                "stat_group": [a.type.stat_group],
                "audience": [a.audience_id],
                "team": _many(a.teams.values_list("pk", flat=True)),
                "team_kind": _many(set(a.teams.values_list("kind_id", flat=True))),
            }
            if source == "activities":
                value = 1 if measure == "sessions" else a.participants
                out.append((base, value, a.pk))
                continue
            for link in ActivityElder.objects.filter(activity=a):
                cats = _many(link.elder.categories.values_list("pk", flat=True))
                value = {"elder_times": 1, "hours": link.hours, "elders": link.elder_id}[measure]
                out.append(({**base, "elder_category": cats}, value, link.pk))
    elif source in ("organizations", "committees"):
        for o in inside:
            if source == "committees" and o.status not in ESTABLISHED_STATUSES:
                continue
            out.append((_org_values(org, o, group_of), 1, o.pk))
    elif source == "positions":
        for p in Position.objects.current().filter(organization__in=inside):
            values = {**_org_values(org, p.organization, group_of), "role": [p.role]}
            out.append(({**values, "source": [p.source]}, 1, p.pk))
    elif source == "teams":
        for t in Team.objects.filter(organization__in=inside):
            out.append(
                ({**_org_values(org, t.organization, group_of), "team_kind": [t.kind_id]}, 1, t.pk)
            )
    elif source == "mentorships":
        for m in Mentorship.objects.filter(organization__in=inside):
            if m.start_date > period.end or (m.end_date and m.end_date < period.start):
                continue
            values = {
                **_org_values(org, m.organization, group_of),
                "outcome": _many(m.outcomes.values_list("pk", flat=True)),
                "youth_category": [m.youth.category_id],
                "elder_category": _many(m.elder.categories.values_list("pk", flat=True)),
            }
            out.append((values, 1, m.pk))
    else:
        for c in Case.objects.filter(organization__in=inside):
            day = c.opened_on if source == "cases" else c.disbursed_on
            if day is None or not within(day):
                continue
            values = {
                **_org_values(org, c.organization, group_of),
                **_dated(day),
                "youth_category": [c.youth.category_id if c.youth else None],
            }
            out.append((values, 1 if source == "cases" else c.amount_disbursed, c.pk))
    return out


def tally(rows, dims, distinct: bool):
    """Cells keyed by the dimensions' values; ``distinct``: how many different values."""
    cells = defaultdict(set if distinct else int)
    for values, value, _pk in rows:
        keys = [()]
        for dim in dims:
            keys = [(*k, v) for k in keys for v in values[dim]]
        for key in keys:
            if distinct:
                cells[key].add(value)
            else:
                cells[key] += value
    if distinct:
        return {k: len(v) for k, v in cells.items()}
    return {k: v for k, v in cells.items() if v}


PAIRS = [
    (measure, rows, cols)
    for measure, m in MEASURES.items()
    for rows in m.dimensions
    for cols in (None, *m.dimensions)
    if cols != rows
]


def check_pair(org, period, measure, rows, cols, group_set):
    dims = (rows, cols) if cols else (rows,)
    result = pivot(org, period, measure, rows, cols, group_set=group_set)
    refs = reference(org, period, measure, group_set)
    distinct = measure == "elders"
    cells = tally(refs, dims, distinct)
    got = {k: v for k, v in result.cells.items() if v}
    assert got == cells, (measure, dims)
    assert result.total == (tally(refs, (), distinct).get((), 0)), (measure, "total")
    rows_want = {k[0]: v for k, v in tally(refs, (rows,), distinct).items()}
    assert {k: v for k, v in result.row_totals.items() if v} == rows_want, (measure, "rows")
    if cols:
        cols_want = {k[0]: v for k, v in tally(refs, (cols,), distinct).items()}
        assert {k: v for k, v in result.col_totals.items() if v} == cols_want, (measure, "cols")


def test_every_pair_over_2025_at_the_city(world):
    tree, group_set = world
    for measure, rows, cols in PAIRS:
        check_pair(tree.city, YEAR_2025, measure, rows, cols, group_set)


@examples(10)
@given(
    key=st.sampled_from(KEYS),
    pair=st.sampled_from(PAIRS),
    start=st.dates(datetime.date(2024, 1, 1), datetime.date(2026, 6, 30)),
    days=st.integers(min_value=0, max_value=800),
)
def test_any_pair_subtree_and_period(world, key, pair, start, days):
    tree, group_set = world
    check_pair(tree[key], Period(start, start + datetime.timedelta(days=days)), *pair, group_set)


ELDERS_FROM_SETS = [
    pair
    for pair in PAIRS
    if pair[0] == "elders" and {pair[1], pair[2]} <= {"child", "month", "quarter", None}
]


#: Periods whose edges inside months hold activities with elders (3 and 28 March 2025,
#: 6 January 2024), and one of whole months.
EDGED = [
    Period(datetime.date(2025, 3, 2), datetime.date(2025, 3, 28)),
    Period(datetime.date(2024, 1, 6), datetime.date(2025, 3, 3)),
    Period(datetime.date(2025, 3, 4), datetime.date(2025, 12, 31)),
    YEAR_2025,
]


def test_different_elders_from_the_stored_sets_equal_the_ledger(world):
    """By child, month or quarter the different elders are united from the monthly and daily
    sets (``pivot_elders``), edges inside months included, at every level of the tree."""
    tree, group_set = world
    for key in KEYS:
        for period in EDGED:
            for pair in ELDERS_FROM_SETS:
                check_pair(tree[key], period, *pair, group_set)


def test_the_seeds_share_with_its_denominator(world):
    """“已建立…的有N个，占x%”: organisations of the city by group, with 未分组."""
    tree, group_set = world
    result = pivot(tree.city, YEAR_2025, "organizations", "group", group_set=group_set)
    built = OrgGroup.objects.get(name="已建立").pk
    assert result.row_totals[built] == 2
    assert result.total == Organization.objects.filter(path__startswith=tree.city.path).count()
    assert result.row_totals[None] == result.total - 2
    assert isinstance(result.total, int) and not isinstance(result.total, Decimal)


# --- Every figure opens its records ------------------------------------------------------------

#: What the activity list's totals line calls each activity measure.
LIST_FIGURES = {
    "sessions": "sessions",
    "participants": "participants",
    "elder_times": "elder_times",
    "elders": "elders_engaged",
    "hours": "service_hours",
}
#: The measures counted by the rows of a list (its count is the figure).
COUNTED = ("organizations", "committees", "positions", "teams", "cases")
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
    """Organisations, committees, the roster, teams and cases: the list has as many rows."""
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


def test_no_link_where_no_list_matches(world, city_admin):
    """Mentorships, amounts and the elders' categories have no list that counts the same."""
    from guangong.stats.pivot_links import links

    tree, group_set = world
    pairs = (("mentorships", "child"), ("amounts", "child"), ("elders", "elder_category"))
    for measure, rows in pairs:
        result = pivot(tree.city, YEAR_2025, measure, rows, group_set=group_set)
        found = links(result, city_admin)
        assert not any(found.rows.values()), measure
        if result.total or measure == "elders":
            assert found.note
