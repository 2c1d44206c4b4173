"""Background jobs by state, for ``/metrics`` (core/metrics.py)."""

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from .models import Job, Status


class JobCollector:
    def collect(self):
        jobs = GaugeMetricFamily("guangong_jobs", "Background jobs by state.", labels=["status"])
        counts = dict.fromkeys(Status.values, 0)
        for row in Job.objects.order_by().values("status").annotate(n=Count("pk")):
            counts[row["status"]] = row["n"]
        for status, n in sorted(counts.items()):
            jobs.add_metric([status], n)
        yield jobs
