"""The pivot: every supported measure × dimension pair equals a count of the ledger rows made
row by row in Python, for random subtrees and periods (hypothesis); totals count each record
once."""

import datetime
from collections import defaultdict
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guangong.activities.models import Activity, ActivityElder
from guangong.care.models import Case
from guangong.core.periods import Period
from guangong.core.tests.support import examples
from guangong.orggroups.models import Assignment, OrgGroup
from guangong.orgs.models import ESTABLISHED_STATUSES, Organization, Position
from guangong.people.models import Mentorship, Team
from guangong.stats.pivot import MEASURES, OWN, pivot

from .conftest import YEAR_2025
from .pivot_world import KEYS

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
