"""The 督办 figures: what is counted, for a subtree (see docs/meetings.md).

- 联合成员单位开展活动场次 (``joint_activities``): activities owned in the subtree, dated in the
  period, that name at least one member unit as co-organiser; each activity counts once.
- Action items by status (``items_by_status``): 未开始, 推进中, 逾期 (not completed, past the due
  date; such an item is counted as overdue only) and 已完成, for items of meetings organised in
  the subtree.
- Action items by owner (``items_by_owner``): the same, one row per owning organisation or
  member unit.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from guangong.activities.models import Activity
from guangong.core.periods import Period
from guangong.core.resources import policy_for
from guangong.core.scope import subtree_q

from .models import OVERDUE, SHOWN_STATUSES, ActionItem, ItemStatus, MemberUnit


def joint_activities(user, organization, period: Period | None = None) -> int:
    """Activities in ``organization``'s subtree (and the user's scope), in ``period`` (all time
    when None), with at least one member unit as co-organiser."""
    rows = policy_for(Activity).instances(user, "count", Activity.objects.all())
    rows = rows.filter(subtree_q("organization__path", organization.path))
    if period is not None:
        rows = rows.filter(date__gte=period.start, date__lte=period.end)
    joint = MemberUnit.activities.through.objects.values("activity_id")
    return rows.filter(pk__in=joint).count()


def _buckets(today: datetime.date) -> dict:
    overdue = ~Q(status=ItemStatus.DONE) & Q(due_date__lt=today)
    return {
        ItemStatus.NOT_STARTED: Q(status=ItemStatus.NOT_STARTED) & ~overdue,
        ItemStatus.IN_PROGRESS: Q(status=ItemStatus.IN_PROGRESS) & ~overdue,
        OVERDUE: overdue,
        ItemStatus.DONE: Q(status=ItemStatus.DONE),
    }


def items_in(user, organization, period: Period | None = None):
    """Action items the user reads, of meetings organised in ``organization``'s subtree (held
    in ``period`` when given)."""
    rows = policy_for(ActionItem).instances(user, "read", ActionItem.objects.all())
    rows = rows.filter(subtree_q("meeting__organization__path", organization.path))
    if period is not None:
        rows = rows.filter(meeting__date__gte=period.start, meeting__date__lte=period.end)
    return rows


def items_by_status(items, today: datetime.date | None = None) -> dict[str, int]:
    buckets = _buckets(today or timezone.localdate())
    counts = items.aggregate(**{key: Count("pk", filter=q) for key, q in buckets.items()})
    return {key: counts[key] or 0 for key, _label in SHOWN_STATUSES}


def items_by_owner(items, today: datetime.date | None = None) -> list[dict]:
    """One row per owner: its name and its counts by status, the most open first."""
    buckets = _buckets(today or timezone.localdate())
    rows = (
        items.order_by()
        .values("owner_org__name", "owner_unit__name")
        .annotate(total=Count("pk"), **{key: Count("pk", filter=q) for key, q in buckets.items()})
    )
    found = []
    for row in rows:
        name = row["owner_unit__name"] or row["owner_org__name"] or ""
        counts = {key: row[key] for key, _label in SHOWN_STATUSES}
        found.append({"owner": name, "counts": counts, "total": row["total"]})
    found.sort(key=lambda r: (-(r["total"] - r["counts"][ItemStatus.DONE]), r["owner"]))
    return found
