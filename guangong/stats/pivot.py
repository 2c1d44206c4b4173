"""The pivot (统计分析 · 交叉表): any measure of a subtree and period by one or two dimensions.

``pivot(org, period, measure, rows, cols)`` counts the rows of the measure's source
(``pivot_sources``) grouped by the dimensions, in the database, once; totals are the sum of the
cells where that is exact (an additive measure over dimensions each row falls under once), and
are counted apart otherwise (different elders; an activity of two teams is one activity). The
activity figures over whole months come from the live counters (``ActivityYear`` for whole
calendar years, ``ActivityMonth`` for the other months), the edge days of a range from the
ledger, as the statistics page's summary does.

The organisation is already the caller's (resolved through its policy); every row counted is
owned within its subtree, so an activity co-organised by several organisations counts once, for
the organisation that recorded it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import ExtractMonth, ExtractQuarter, ExtractYear, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.activities.models import DAILY_DEPTH, ActivityDay, ActivityMonth, ActivityYear
from guangong.core.periods import Period
from guangong.dicts.models import DictItem, DictKind
from guangong.orggroups.models import Assignment, GroupSet
from guangong.orgs.models import Organization

from . import pivot_elders, pivot_labels
from .pivot_sources import DIMENSIONS, SOURCES, Source
from .tally import whole_months

OWN = 0  # the ``child`` key of the organisation's own rows (本级)
#: Dimensions the activity counters hold over whole months.
COUNTER_DIMENSIONS = frozenset({"child", "type", "stat_group", "month", "quarter"})


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    source: str
    #: The field summed (participants, hours, amounts); none: the rows are counted.
    sums: str = ""
    #: Counts different values of this field (different elders) instead.
    distinct: str = ""
    #: Cells add up to the totals (counts and sums of rows; not different elders).
    additive: bool = True
    decimals: int = 0
    #: The ``ActivityMonth`` column holding it, if the counters do.
    counter: str = ""

    @property
    def dimensions(self) -> tuple[str, ...]:
        return SOURCES[self.source].dimensions

    def aggregate(self, multi: bool):
        """The aggregate over rows that a multi-valued dimension may repeat (one row per
        team): counted once each by their key."""
        if self.distinct:
            return Count(self.distinct, distinct=True)
        if self.sums:
            return Sum(self.sums)
        return Count("pk", distinct=multi)


MEASURES = {
    m.key: m
    for m in (
        Measure(
            "sessions",
            gettext_lazy("Sessions"),
            "activities",
            counter="sessions",
        ),
        Measure(
            "participants",
            gettext_lazy("Participants (person-times)"),
            "activities",
            sums="participants",
            counter="participants",
        ),
        Measure(
            "elder_times",
            gettext_lazy("Elder attendances"),
            "attendances",
            counter="elder_times",
        ),
        Measure(
            "elders",
            gettext_lazy("Elders taking part"),
            "attendances",
            distinct="elder_id",
            additive=False,
        ),
        Measure(
            "hours",
            gettext_lazy("Service hours"),
            "attendances",
            sums="hours",
            decimals=1,
            counter="hours",
        ),
        Measure("organizations", gettext_lazy("Organisations"), "organizations"),
        Measure("committees", gettext_lazy("Committees established"), "committees"),
        Measure("positions", gettext_lazy("Leadership members"), "positions"),
        Measure("teams", gettext_lazy("Teams"), "teams"),
        Measure("mentorships", gettext_lazy("Mentorships"), "mentorships"),
        Measure("cases", gettext_lazy("Care cases opened"), "cases"),
        Measure(
            "amounts",
            gettext_lazy("Amounts disbursed (yuan)"),
            "disbursed",
            sums="amount_disbursed",
            decimals=2,
        ),
    )
}


class PivotError(ValueError):
    """A question the pivot cannot answer, in words for the user (a 400)."""

    def __init__(self, message: str, field: str = "non_field_errors"):
        super().__init__(message)
        self.message, self.field = message, field


def check(measure: str, rows: str, cols: str | None, group_set) -> Measure:
    """The measure, if it applies to both dimensions; else a ``PivotError`` in words."""
    if measure not in MEASURES:
        raise PivotError(_("Unknown measure “%(key)s”.") % {"key": measure}, "measure")
    m = MEASURES[measure]
    for side, key in (("rows", rows), ("cols", cols)):
        if key is None:
            continue
        if key not in DIMENSIONS:
            raise PivotError(_("Unknown dimension “%(key)s”.") % {"key": key}, side)
        if key not in m.dimensions:
            raise PivotError(
                _("“%(measure)s” cannot be broken down by “%(dimension)s”.")
                % {"measure": m.label, "dimension": DIMENSIONS[key].label},
                side,
            )
        if key == "group" and group_set is None:
            raise PivotError(_("Choose the group set to break down by."), "set")
    if rows == cols:
        raise PivotError(_("Rows and columns must be different dimensions."), "cols")
    return m


@dataclass
class Filters:
    kind: str = ""
    group: int | None = None  # an OrgGroup id: only organisations in it

    def __bool__(self) -> bool:
        return bool(self.kind or self.group)


@dataclass
class Pivot:
    organization: Organization
    period: Period
    measure: Measure
    dims: tuple[str, ...]
    group_set: GroupSet | None
    cells: dict = field(default_factory=dict)  # (row key, col key) or (row key,) → value
    row_totals: dict = field(default_factory=dict)
    col_totals: dict = field(default_factory=dict)
    total: int | Decimal = 0
    headers: list = field(default_factory=list)  # per dimension: [(key, label)]


# --- Counting the ledger ----------------------------------------------------------------------


def _expression(source: Source, dim: str, org: Organization, group_set):
    if dim == "child":
        return Substr(source.path, 1, len(org.path) + Organization.steplen)
    if dim == "kind":
        return F(source.lookup("kind"))
    if dim == "group":
        chosen = Assignment.objects.filter(
            organization_id=OuterRef(source.org_id), group_set_id=group_set.pk
        ).values("group_id")[:1]
        return Subquery(chosen, output_field=IntegerField())
    if dim in ("month", "quarter"):
        year = ExtractYear(source.date) * Value(100 if dim == "month" else 10)
        return year + (ExtractMonth if dim == "month" else ExtractQuarter)(source.date)
    return F(source.lookups[dim])


def _filtered(source: Source, qs, filters: Filters):
    if filters.kind:
        qs = qs.filter(**{source.lookup("kind"): filters.kind})
    if filters.group:
        members = Assignment.objects.filter(group_id=filters.group).values("organization_id")
        qs = qs.filter(**{f"{source.org_id}__in": members})
    return qs


def _count(measure: Measure, org, period, dims, group_set, filters, children) -> dict:
    """``{(key, …): value}`` grouped by ``dims`` (none: ``{(): total}``), counted in the
    database."""
    source = SOURCES[measure.source]
    qs = _filtered(source, source.rows(org, period), filters).order_by()
    multi = any(DIMENSIONS[d].multi for d in dims)
    if not dims:
        return {(): qs.aggregate(v=measure.aggregate(False))["v"] or 0}
    names = {f"d{i}": _expression(source, dim, org, group_set) for i, dim in enumerate(dims)}
    qs = qs.annotate(**names)
    if multi and measure.sums:
        # A sum over rows a team dimension repeats: each (row, cell) once, added up here.
        rows = qs.values_list(*names, "pk", measure.sums).distinct()
        rows = ((*row[:-2], row[-1]) for row in rows)
    else:
        rows = qs.values(*names).annotate(v=measure.aggregate(multi)).values_list(*names, "v")
    out: dict = defaultdict(int)
    for row in rows:
        key = tuple(
            children.get(value, OWN) if dim == "child" else value
            for dim, value in zip(dims, row[:-1], strict=True)
        )
        out[key] += row[-1] or 0
    return dict(out)


def _counter_spans(whole: list, by_month: bool) -> list[tuple]:
    """The counter reads that cover the whole months: ``(model, field, first, last)``, whole
    calendar years from ``ActivityYear`` (a twelfth of the rows) unless the question is by
    month or quarter, the other months from ``ActivityMonth``."""
    if not whole:
        return []
    years = sorted({m.year for m in whole if not by_month})
    years = [y for y in years if sum(1 for m in whole if m.year == y) == 12]
    spans = []
    if years:
        spans.append((ActivityYear, "year", years[0], years[-1]))
    rest = [m for m in whole if m.year not in years]
    before = [m for m in rest if not years or m.year < years[0]]
    after = [m for m in rest if years and m.year > years[-1]]
    for run in (before, after):
        if run:
            spans.append((ActivityMonth, "month", run[0], run[-1]))
    return spans


def _counter_key(dim: str, row, at: dict, groups: dict):
    """The key of ``dim`` on a counter row (``at``: the position of each field read)."""
    if dim == "child":
        return row[at["organization_id"]]
    if dim == "type":
        return row[at["type_id"]]
    if dim == "stat_group":
        return groups.get(row[at["type_id"]])
    month = row[at["month"]]
    if dim == "month":
        return month.year * 100 + month.month
    return month.year * 10 + (month.month - 1) // 3 + 1


def _from_counters(measure: Measure, org, period, dims, children) -> dict:
    """The same grouping from the counters over whole months (``ActivityYear`` for whole
    years, ``ActivityMonth`` for the others); the edge days from ``ActivityDay`` where the
    organisation and its children keep daily rows, else from the ledger."""
    whole, edges = whole_months(period)
    out: dict = defaultdict(int)
    by_child = "child" in dims
    by_month = bool({"month", "quarter"} & set(dims))
    ids = [org.pk, *children.values()] if by_child else [org.pk]
    groups = None
    spans = _counter_spans(whole, by_month)
    if org.depth < DAILY_DEPTH:  # the organisation and its children keep daily rows
        spans += [(ActivityDay, "date", piece.start, piece.end) for piece in edges]
        edges = []
    for model, name, first, last in spans:
        fields = ["organization_id"] if by_child else []
        if {"type", "stat_group"} & set(dims):
            fields.append("type_id")
        if by_month:
            fields.append("date" if model is ActivityDay else "month")
        if groups is None:
            groups = dict(
                DictItem.objects.filter(kind=DictKind.ACTIVITY_TYPE).values_list("pk", "stat_group")
            )
        rows = (
            model.objects.filter(
                organization_id__in=ids, **{f"{name}__gte": first, f"{name}__lte": last}
            )
            .values(*fields)
            .annotate(v=Sum(measure.counter))
            .order_by()
            .values_list(*fields, "v")
        )
        at = {("month" if f == "date" else f): i for i, f in enumerate(fields)}
        for row in rows:
            value = row[-1] or 0
            if not value:
                continue
            keys = tuple(_counter_key(d, row, at, groups) for d in dims)
            if by_child and row[0] != org.pk:
                out[keys] += value
                value = -value  # a child's rows are not the organisation's own
            if by_child:
                keys = tuple(OWN if d == "child" else k for d, k in zip(dims, keys, strict=True))
            out[keys] += value
    for piece in edges:
        for key, value in _count(measure, org, piece, dims, None, Filters(), children).items():
            out[key] += value
    return {k: v for k, v in out.items() if v}


def pivot(
    org: Organization,
    period: Period,
    measure: str,
    rows: str,
    cols: str | None = None,
    *,
    group_set: GroupSet | None = None,
    filters: Filters | None = None,
) -> Pivot:
    m = check(measure, rows, cols, group_set)
    filters = filters or Filters()
    dims = (rows, cols) if cols else (rows,)
    children = dict(Organization.objects.get_children(org).values_list("path", "pk"))
    fast = m.counter and set(dims) <= COUNTER_DIMENSIONS and not filters
    from_sets = pivot_elders.applies(m, dims, filters)

    def count(ds):
        if fast:
            return _from_counters(m, org, period, ds, children)
        if from_sets:
            return pivot_elders.count(org, period, ds, children)
        return _count(m, org, period, ds, group_set, filters, children)

    result = Pivot(org, period, m, dims, group_set)
    result.cells = count(dims)
    exact_sums = m.additive and not any(DIMENSIONS[d].multi for d in dims)
    if exact_sums:
        for key, value in result.cells.items():
            result.row_totals[key[0]] = result.row_totals.get(key[0], 0) + value
            if cols:
                result.col_totals[key[1]] = result.col_totals.get(key[1], 0) + value
        result.total = sum(result.row_totals.values())
    else:  # counted apart (not the fast path: the counters hold only additive figures)

        def apart(ds):
            if from_sets:
                return pivot_elders.count(org, period, ds, children)
            return _count(m, org, period, ds, group_set, filters, children)

        source = result.cells if not cols else apart((rows,))
        result.row_totals = {k[0]: v for k, v in source.items()}
        if cols:
            result.col_totals = {k[0]: v for k, v in apart((cols,)).items()}
        result.total = apart(())[()]
    result.headers = [
        pivot_labels.headers(d, result, org, period, group_set, index)
        for index, d in enumerate(dims)
    ]
    return result
