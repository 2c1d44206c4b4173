"""The totals of a filtered activity list: the ledger rows behind a figure.

The statistics page links each figure to the activity list filtered the same way (the
subtree, the period, the type or statistical group); the list sums its own rows with these
definitions, which are the statistics layer's, so the two numbers can be compared by anyone.
"""

from decimal import Decimal

from django.db.models import Count, Sum

from .models import ActivityElder


def ledger_totals(activities) -> dict:
    """Sessions, participants, elder attendances, distinct elders and service hours of the
    activities in ``activities`` (a queryset), in three aggregate queries."""
    own = activities.order_by().aggregate(sessions=Count("pk"), participants=Sum("participants"))
    links = ActivityElder.objects.filter(activity__in=activities.order_by().values("pk"))
    elders = links.order_by().aggregate(
        elder_times=Count("pk"),
        elders=Count("elder_id", distinct=True),
        hours=Sum("hours"),
    )
    return {
        "sessions": own["sessions"],
        "participants": own["participants"] or 0,
        "elder_times": elders["elder_times"],
        "elders_engaged": elders["elders"],
        "service_hours": elders["hours"] or Decimal(0),
    }
