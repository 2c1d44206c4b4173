"""Counting the activity ledger for any subtree and date range, from the counters.

Whole months come from ``ActivityMonth`` (the totals of each organisation's subtree) and
``EngagedElders`` (who took part); a range that starts or ends inside a month adds its edge
days: from the daily rows (``ActivityDay``, ``EngagedEldersDay``) where the organisation and
its children keep them (the top levels, whose subtrees are large), else from the ledger rows
of those days. The result equals a count of the ledger rows (the tests compare the two for
random ranges) and is current as soon as a change commits.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DateField, Sum, Value
from django.db.models.functions import Substr, TruncMonth

from guangong.activities import bitset
from guangong.activities.models import (
    DAILY_DEPTH,
    Activity,
    ActivityDay,
    ActivityElder,
    ActivityMonth,
    EngagedElders,
    EngagedEldersDay,
)
from guangong.activities.rollup import month_of
from guangong.core import dates
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.orggroups.selection import in_group_q
from guangong.orgs.models import Organization

ZERO = Decimal(0)
SUMS = {"s": Sum("sessions"), "p": Sum("participants"), "e": Sum("elder_times"), "h": Sum("hours")}


@dataclass
class Line:
    sessions: int = 0
    participants: int = 0
    elder_times: int = 0
    hours: Decimal = ZERO

    def add(self, s: int, p: int, e: int, h: Decimal) -> None:
        self.sessions += s
        self.participants += p
        self.elder_times += e
        self.hours += h

    def as_dict(self) -> dict:
        return {
            "sessions": self.sessions,
            "participants": self.participants,
            "elder_times": self.elder_times,
            "service_hours": self.hours,
        }


@dataclass
class Tally:
    """Counts by (child organisation id or None for the node itself, month, type id)."""

    lines: dict = field(default_factory=lambda: defaultdict(Line))
    elders_by_month: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, child, month, type_id, s, p, e, h) -> None:
        self.lines[(child, month, type_id)].add(s, p, e, h)

    def total(self, types: set[int] | None = None) -> Line:
        """The subtree's line, of the given activity types only (None: every type)."""
        out = Line()
        for (child, _month, type_id), line in self.lines.items():
            if child is None and (types is None or type_id in types):
                out.add(line.sessions, line.participants, line.elder_times, line.hours)
        return out

    def engaged(self) -> int:
        """The set of elders who took part in any month, as bits."""
        bits = 0
        for month_bits in self.elders_by_month.values():
            bits |= month_bits
        return bits


def whole_months(period: Period) -> tuple[list[datetime.date], list[Period]]:
    """The months wholly inside the period, and the edge pieces that are not."""
    whole, edges = [], []
    for month in period.months():
        last = dates.last_of_month(month.year, month.month)
        start, end = max(month, period.start), min(last, period.end)
        if (start, end) == (month, last):
            whole.append(month)
        else:
            edges.append(Period(start, end))
    return whole, edges


def _from_counters(tally: Tally, org: Organization, children: dict, months) -> None:
    """The node's own rows by month and type (at most 16 a month); each child's rows summed
    by the database into one line (the breakdown by child needs no month or type)."""
    if not months:
        return
    span = {"month__gte": months[0], "month__lte": months[-1]}  # whole months are contiguous
    for month, type_id, s, p, e, h in ActivityMonth.objects.filter(
        organization_id=org.pk, **span
    ).values_list("month", "type_id", "sessions", "participants", "elder_times", "hours"):
        tally.add(None, month, type_id, s, p, e, h)
    if children:
        for pk, s, p, e, h in (
            ActivityMonth.objects.filter(organization_id__in=list(children.values()), **span)
            .values("organization_id")
            .annotate(**SUMS)
            .order_by()
            .values_list("organization_id", *SUMS)
        ):
            tally.add(pk, None, None, s, p, e, h)
    for month, bits in EngagedElders.objects.filter(
        organization_id=org.pk, month__in=months
    ).values_list("month", "bits"):
        tally.elders_by_month[month] |= bitset.decode(bits)


def _by_child_and_type(rows, path: str, type_field: str, width: int, date_field=None, **sums):
    """``rows`` summed by the path prefix of their organisation's child (``width`` characters:
    the organisation itself has a shorter path), by activity type and, given ``date_field``, by
    month: (month or None, prefix, type, *sums)."""
    month = TruncMonth(date_field) if date_field else Value(None, output_field=DateField())
    return (
        rows.annotate(prefix=Substr(path, 1, width), m=month)
        .values("m", "prefix", type_field)
        .annotate(**sums)
        .order_by()
        .values_list("m", "prefix", type_field, *sums)
    )


def _from_ledger(
    tally: Tally, org: Organization, children: dict, piece: Period, group=None
) -> None:
    """Count the ledger rows of some days directly (the edges of a range, each within a month;
    with an organisation ``group``, the whole period of its organisations only, by month),
    summed by the database by child organisation and type: never brought into Python."""
    width = len(org.path) + Organization.steplen
    activities = Activity.objects.filter(
        subtree_q("organization__path", org.path), date__gte=piece.start, date__lte=piece.end
    )
    by_month = group is not None
    if by_month:
        activities = activities.filter(in_group_q("organization_id", group))
    links = ActivityElder.objects.filter(activity__in=activities.values("pk"))
    lines: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, ZERO])
    for month, prefix, type_id, sessions, participants in _by_child_and_type(
        activities,
        "organization__path",
        "type_id",
        width,
        "date" if by_month else None,
        n=Count("pk"),
        p=Sum("participants"),
    ):
        lines[(month, prefix, type_id)][0:2] = sessions, participants or 0
    for month, prefix, type_id, times, hours in _by_child_and_type(
        links,
        "activity__organization__path",
        "activity__type_id",
        width,
        "activity__date" if by_month else None,
        n=Count("pk"),
        h=Sum("hours"),
    ):
        lines[(month, prefix, type_id)][2:4] = times, hours or ZERO
    edge = month_of(piece.start)
    for (month, prefix, type_id), (s, p, e, h) in lines.items():
        tally.add(None, month or edge, type_id, s, p, e, h)
        child = children.get(prefix) if len(prefix) > len(org.path) else None
        if child is not None:
            tally.add(child, month or edge, type_id, s, p, e, h)
    engaged = defaultdict(list)
    month_expr = TruncMonth("activity__date") if by_month else Value(None, DateField())
    for month, elder in links.annotate(m=month_expr).values_list("m", "elder_id").distinct():
        engaged[month or edge].append(elder)
    for month, elders in engaged.items():
        tally.elders_by_month[month] |= bitset.of(elders)


def _from_days(tally: Tally, org: Organization, children: dict, piece: Period) -> None:
    """Count some days within a month (an edge of a range) from the daily rows of the
    organisation (by type, with its engaged elders) and of its children (one line each)."""
    span = {"date__gte": piece.start, "date__lte": piece.end}
    edge = month_of(piece.start)
    own = ActivityDay.objects.filter(organization_id=org.pk, **span)
    for type_id, s, p, e, h in (
        own.values("type_id").annotate(**SUMS).order_by().values_list("type_id", *SUMS)
    ):
        tally.add(None, edge, type_id, s, p, e, h)
    if children:
        for pk, s, p, e, h in (
            ActivityDay.objects.filter(organization_id__in=list(children.values()), **span)
            .values("organization_id")
            .annotate(**SUMS)
            .order_by()
            .values_list("organization_id", *SUMS)
        ):
            tally.add(pk, None, None, s, p, e, h)
    for bits in EngagedEldersDay.objects.filter(organization_id=org.pk, **span).values_list(
        "bits", flat=True
    ):
        tally.elders_by_month[edge] |= bitset.decode(bits)


def tally(org: Organization, period: Period, group=None) -> Tally:
    """The subtree's counts; of an ``OrgGroup``'s organisations only from the ledger."""
    children = dict(Organization.objects.get_children(org).values_list("path", "pk"))  # path -> id
    result = Tally()
    if group is not None:
        _from_ledger(result, org, children, period, group)
        return result
    whole, edges = whole_months(period)
    _from_counters(result, org, children, whole)
    # The organisation and its children keep daily rows when the children are at most
    # DAILY_DEPTH deep (activities.daily); below, a subtree's edge days are few ledger rows.
    from_days = org.depth < DAILY_DEPTH
    for piece in edges:
        (_from_days if from_days else _from_ledger)(result, org, children, piece)
    return result
