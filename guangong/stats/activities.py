"""Statistics of the activity ledger for any subtree and date range, read from the counters.

Whole months come from ``ActivityMonth`` (the totals of each organisation's subtree) and
``EngagedElders`` (who took part); a range that starts or ends inside a month adds the ledger
rows of those edge days. The result equals a count of the ledger rows (the tests compare the
two for random ranges) and is current as soon as a change commits.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DateField, Min, Sum, Value
from django.db.models.functions import Substr, TruncMonth

from guangong.activities import bitset
from guangong.activities.models import Activity, ActivityElder, ActivityMonth, EngagedElders
from guangong.activities.rollup import month_of
from guangong.core import dates
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.dicts.models import DictItem, DictKind, StatGroup
from guangong.orggroups.selection import in_group_q
from guangong.orgs.models import Organization

from . import people

ZERO = Decimal(0)


# --- Tallies ----------------------------------------------------------------------------------


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


def _whole_months(period: Period) -> tuple[list[datetime.date], list[Period]]:
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
            .annotate(
                s=Sum("sessions"), p=Sum("participants"), e=Sum("elder_times"), h=Sum("hours")
            )
            .order_by()
            .values_list("organization_id", "s", "p", "e", "h")
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


def tally(org: Organization, period: Period, group=None) -> Tally:
    """The subtree's counts; of an ``OrgGroup``'s organisations only from the ledger."""
    children = dict(Organization.objects.get_children(org).values_list("path", "pk"))  # path -> id
    result = Tally()
    if group is not None:
        _from_ledger(result, org, children, period, group)
        return result
    whole, edges = _whole_months(period)
    _from_counters(result, org, children, whole)
    for piece in edges:
        _from_ledger(result, org, children, piece)
    return result


# --- The summary ------------------------------------------------------------------------------


def _change(now: int | Decimal, before: int | Decimal) -> float | None:
    """Year-over-year change in per cent (None when there is nothing to compare with)."""
    if not before:
        return None
    return round(float((Decimal(now) - Decimal(before)) * 100 / Decimal(before)), 1)


def summary(
    org: Organization,
    period: Period,
    *,
    compare: bool = True,
    count_youth: bool = True,
    today: datetime.date | None = None,
    rate: bool = True,
    org_group=None,
) -> dict:
    """Totals, by type, by group, by month and by child organisation, with 同比.

    With an organisation group (``org_group``), only the activities its organisations own (no
    youth count nor rate per 10,000: the population is the region's, not the group's).

    ``period.complete`` says whether the period is over on ``today`` (local); ``as_of`` is the
    last day counted. 同比 compares like for like: a period not yet over with the same elapsed
    days a year earlier (``Period.comparable``)."""
    today = today or dates.today()
    current = tally(org, period, org_group)
    if org_group is not None:
        count_youth = rate = False
    types = {t.pk: t for t in DictItem.objects.filter(kind=DictKind.ACTIVITY_TYPE)}
    group_labels = dict(StatGroup.choices)

    total = Line()
    by_type: dict[int, Line] = defaultdict(Line)
    by_month: dict[datetime.date, Line] = {m: Line() for m in period.months()}
    by_child: dict[int, Line] = defaultdict(Line)
    for (child, month, type_id), line in current.lines.items():
        parts = (line.sessions, line.participants, line.elder_times, line.hours)
        if child is None:
            total.add(*parts)
            by_type[type_id].add(*parts)
            by_month[month].add(*parts)
        else:
            by_child[child].add(*parts)
    by_group: dict[str, Line] = {key: Line() for key, _label in StatGroup.choices}
    for type_id, line in by_type.items():
        group = types[type_id].stat_group if type_id in types else ""
        if group in by_group:
            by_group[group].add(line.sessions, line.participants, line.elder_times, line.hours)

    engaged = current.engaged()
    youth = people.youth(org) if count_youth else None  # the year before needs no youth count
    # 每万名青少年: over the population recorded for the region or unit, never over the young
    # people registered here (they are whom the committees work with, not everyone).
    base = people.population(org, period.end.year) if rate else None
    children = Organization.objects.get_children(org).only("pk", "name", "path", "kind")
    result = {
        "organization": {"id": org.pk, "name": org.name},
        "period": {
            "from": period.start,
            "to": period.end,
            "complete": period.complete(today),
            "as_of": min(period.end, today) if today >= period.start else None,
        },
        "totals": {
            **total.as_dict(),
            "elders_engaged": engaged.bit_count(),
            "youth": youth,
            "sessions_per_10k_youth": (
                round(total.sessions * 10000 / base.count, 1) if base is not None else None
            ),
        },
        "denominator": (
            {
                "kind": base.kind,
                "label": str(base.get_kind_display()),
                "year": base.year,
                "count": base.count,
                "source": base.source,
            }
            if base is not None
            else None
        ),
        "by_type": [
            {
                "type": type_id,
                "label": types[type_id].label if type_id in types else "",
                "group": types[type_id].stat_group if type_id in types else "",
                **line.as_dict(),
            }
            for type_id, line in sorted(by_type.items(), key=lambda kv: -kv[1].sessions)
        ],
        "by_group": [
            {"group": key, "label": str(group_labels[key]), **line.as_dict()}
            for key, line in by_group.items()
        ],
        "by_month": [
            {
                "month": month.strftime("%Y-%m"),
                **line.as_dict(),
                "elders_engaged": current.elders_by_month.get(month, 0).bit_count(),
            }
            for month, line in sorted(by_month.items())
        ],
        "by_child": [
            {
                "organization": child.pk,
                "name": child.name,
                **by_child[child.pk].as_dict(),
                "share_sessions": (
                    round(by_child[child.pk].sessions * 100 / total.sessions, 1)
                    if total.sessions
                    else 0.0
                ),
                "share_participants": (
                    round(by_child[child.pk].participants * 100 / total.participants, 1)
                    if total.participants
                    else 0.0
                ),
            }
            for child in children
        ],
    }
    if compare:
        earlier = period.comparable(today)
        result["records_from"] = records_begin(org)
        if earlier is not None and not covered(result["records_from"], earlier):
            earlier = None  # the ledger does not reach back that far: no 同比 (docs/statistics.md)
        before = (
            summary(
                org,
                earlier,
                compare=False,
                count_youth=False,
                today=today,
                rate=False,
                org_group=org_group,
            )["totals"]
            if earlier is not None
            else None
        )
        result["previous"] = (
            {
                "period": {"from": earlier.start, "to": earlier.end},
                **{k: before[k] for k in COMPARED},
            }
            if before is not None
            else None
        )
        result["change"] = {
            k: _change(result["totals"][k], before[k]) if before is not None else None
            for k in COMPARED
        }
    return result


def records_begin(org: Organization) -> datetime.date | None:
    """The first month in which the subtree has activities (None: it has none)."""
    return (
        ActivityMonth.objects.filter(organization_id=org.pk, sessions__gt=0)
        .order_by()
        .aggregate(first=Min("month"))["first"]
    )


def covered(first_month: datetime.date | None, earlier: Period) -> bool:
    """Whether the subtree's records reach back to the month the earlier period starts: a
    year-on-year change against a time before anything was recorded here (the ledger not
    yet in use) would not be a comparison."""
    return first_month is not None and first_month <= month_of(earlier.start)


#: The totals a summary compares with a year earlier.
COMPARED = ("sessions", "participants", "service_hours", "elders_engaged")


def silent_organizations(org: Organization, period: Period):
    """Organisations of the subtree whose subtree recorded no activity in the period's months."""
    months = period.months()
    active = ActivityMonth.objects.filter(
        month__gte=months[0], month__lte=months[-1], sessions__gt=0
    ).values("organization_id")
    return (
        Organization.objects.filter(subtree_q("path", org.path))
        .exclude(pk__in=active)
        .order_by("path")
    )
