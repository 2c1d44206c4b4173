"""Different elders taking part (参与五老人数) by child organisation, month or quarter, from the
stored engaged-elder sets instead of the ledger.

A distinct count cannot be added up, but sets can be united: the elders of a child over a
period are the union of its monthly sets (``EngagedElders``), plus its edge days' — from the
daily sets (``EngagedEldersDay``) where it keeps them, else from the few ledger rows of those
days in its subtree. The organisation's own row (本级: the activities it owns itself, not its
children's) is counted from the ledger: its own activities are few. At a province this reads a
thousand sets instead of grouping millions of elder rows; the figures are the ledger's (the
pivot's property tests compare them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from guangong.activities import bitset
from guangong.activities.models import (
    DAILY_SETS_DEPTH,
    ActivityElder,
    EngagedElders,
    EngagedEldersDay,
)
from guangong.activities.rollup import month_of
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.orgs.models import Organization

from .tally import whole_months

#: The dimensions the sets can answer.
DIMENSIONS = frozenset({"child", "month", "quarter"})
OWN = 0  # as ``pivot.OWN``: the organisation's own row


def applies(measure, dims, filters) -> bool:
    return measure.key == "elders" and set(dims) <= DIMENSIONS and not filters


def _sets(org: Organization, period: Period, children: dict) -> dict:
    """{(unit id or OWN, month): bits} over the period: the organisation (its id), each child
    (its id) and the organisation's own activities (OWN)."""
    units = {org.path: org.pk, **children}  # path → id
    depth = {org.pk: org.depth, **dict.fromkeys(children.values(), org.depth + 1)}
    out: dict = defaultdict(int)
    whole, edges = whole_months(period)
    if whole:
        for pk, month, bits in EngagedElders.objects.filter(
            organization_id__in=list(units.values()), month__gte=whole[0], month__lte=whole[-1]
        ).values_list("organization_id", "month", "bits"):
            out[(pk, month)] |= bitset.decode(bits)
    for piece in edges:
        edge = month_of(piece.start)
        daily = [pk for pk in units.values() if depth[pk] <= DAILY_SETS_DEPTH]
        for pk, bits in EngagedEldersDay.objects.filter(
            organization_id__in=daily, date__gte=piece.start, date__lte=piece.end
        ).values_list("organization_id", "bits"):
            out[(pk, edge)] |= bitset.decode(bits)
        if len(daily) < len(units):  # the others from the ledger rows of the edge days
            _from_ledger(out, org, units, set(daily), piece, edge)
    # The organisation's own activities (本级), every month of the period.
    own: dict = defaultdict(list)
    for day, elder in (
        ActivityElder.objects.filter(
            activity__organization_id=org.pk,
            activity__date__gte=period.start,
            activity__date__lte=period.end,
        )
        .values_list("activity__date", "elder_id")
        .distinct()
    ):
        own[month_of(day)].append(elder)
    for month, elders in own.items():
        out[(OWN, month)] |= bitset.of(elders)
    return out


def _from_ledger(out, org, units: dict, done: set, piece: Period, edge) -> None:
    width = len(org.path) + Organization.steplen
    found: dict = defaultdict(list)
    for path, elder in (
        ActivityElder.objects.filter(
            subtree_q("activity__organization__path", org.path),
            activity__date__gte=piece.start,
            activity__date__lte=piece.end,
        )
        .values_list("activity__organization__path", "elder_id")
        .distinct()
    ):
        for unit in {units[org.path], units.get(path[:width])} - done - {None}:
            found[unit].append(elder)
    for unit, elders in found.items():
        out[(unit, edge)] |= bitset.of(elders)


def _key(dim: str, month: datetime.date, unit: int):
    if dim == "child":
        return unit
    if dim == "month":
        return month.year * 100 + month.month
    return month.year * 10 + (month.month - 1) // 3 + 1


def count(org: Organization, period: Period, dims, children: dict) -> dict:
    """``{(key, …): elders}`` grouped by ``dims`` (⊆ child, month, quarter), as the pivot's
    ledger count gives it."""
    sets = _sets(org, period, children)
    by_child = "child" in dims
    grouped: dict = defaultdict(int)
    for (unit, month), bits in sets.items():
        if by_child == (unit == org.pk):
            continue  # by child: the children and OWN; otherwise the organisation's own set
        grouped[tuple(_key(d, month, unit) for d in dims)] |= bits
    if not dims:
        return {(): grouped.get((), 0).bit_count()}
    return {key: bits.bit_count() for key, bits in grouped.items() if bits}
