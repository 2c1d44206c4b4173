"""Statistics of the activity ledger for any subtree and date range: the summary (totals, by
type, group, month and child organisation, with a like-for-like 同比), counted by ``tally``
from the counters."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Min

from guangong.activities.models import ActivityMonth
from guangong.activities.rollup import month_of
from guangong.core import dates
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.dicts.models import DictItem, DictKind, StatGroup
from guangong.orgs.models import Organization

from . import people
from .tally import Line, Tally, tally

__all__ = ["Line", "Tally", "summary", "tally"]


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
