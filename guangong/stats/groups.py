"""The statistics page's breakdown by organisation group (按分组): a subtree's activities in a
period by the groups of one set, and 未分组.

An activity counts once, for the group of the organisation that owns it (a co-organiser's
groups never count it). Counted from the ledger rows in the database, grouped by the owner's
group of the set (one indexed look-up in the assignment table per row); the lines add up to
the subtree's totals (within a chosen group, if any).
"""

from decimal import Decimal

from django.db.models import Count, Sum

from guangong.activities.models import Activity, ActivityElder
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.orggroups.models import GroupSet, OrgGroup
from guangong.orggroups.selection import group_of, in_group_q, slots
from guangong.orgs.models import Organization

ZERO = Decimal(0)


def activities_by_group(
    org: Organization, period: Period, group_set: GroupSet, group: OrgGroup | None = None
) -> list[dict]:
    """Per group of ``group_set`` (then 未分组): sessions, participants, elder attendances,
    elders taking part and service hours of the activities owned in ``org``'s subtree over
    ``period`` (of ``group``'s organisations only, if given); each with its ``slot``."""
    activities = Activity.objects.filter(
        subtree_q("organization__path", org.path), date__gte=period.start, date__lte=period.end
    )
    if group is not None:
        activities = activities.filter(in_group_q("organization_id", group))
    own = {
        g: (n, p or 0)
        for g, n, p in activities.annotate(g=group_of("organization_id", group_set))
        .values("g")
        .annotate(n=Count("pk"), p=Sum("participants"))
        .order_by()
        .values_list("g", "n", "p")
    }
    links = ActivityElder.objects.filter(activity__in=activities.values("pk"))
    elders = {
        g: (times, engaged, hours or ZERO)
        for g, times, engaged, hours in links.annotate(
            g=group_of("activity__organization_id", group_set)
        )
        .values("g")
        .annotate(t=Count("pk"), e=Count("elder_id", distinct=True), h=Sum("hours"))
        .order_by()
        .values_list("g", "t", "e", "h")
    }
    lines = []
    for slot in slots(group_set):
        sessions, participants = own.get(slot.key, (0, 0))
        times, engaged, hours = elders.get(slot.key, (0, 0, ZERO))
        lines.append(
            {
                "slot": slot,
                "label": slot.label,
                "sessions": sessions,
                "participants": participants,
                "elder_times": times,
                "elders_engaged": engaged,
                "service_hours": hours,
            }
        )
    return lines
