"""Information items as statistics: per sending unit, how many were sent in a period and how
many of those were adopted (采用率 = adopted ÷ sent, both counted over the items sent in the
period, whatever became of them later)."""

import datetime

from django.db.models import Count, Q

from guangong.core.scope import subtree_q
from guangong.orgs.models import Organization

from .models import InfoItem, ItemStatus


def adoption(user, start: datetime.date, end: datetime.date, org=None) -> list[dict]:
    """One row per unit that sent items in ``start``–``end`` (within ``org``'s subtree if
    given), in tree order: ``org``, ``sent``, ``adopted``, ``rate`` (text; — when none sent)."""
    items = InfoItem.objects.countable_by(user).filter(sent_on__gte=start, sent_on__lte=end)
    if org is not None:
        items = items.filter(subtree_q("organization__path", org.path))
    counts = (
        items.order_by()
        .values("organization")
        .annotate(sent=Count("pk"), adopted=Count("pk", filter=Q(status=ItemStatus.ACCEPTED)))
    )
    by_org = {row["organization"]: row for row in counts}
    orgs = Organization.objects.filter(pk__in=by_org).order_by("path")
    rows = []
    for unit in orgs:
        row = by_org[unit.pk]
        rows.append(
            {
                "org": unit,
                "sent": row["sent"],
                "adopted": row["adopted"],
                "rate": f"{row['adopted'] * 100 / row['sent']:.1f}%" if row["sent"] else "—",
            }
        )
    return rows
