"""Metrics in Prometheus' text format at ``/metrics``, for the local network only.

``MetricsMiddleware`` counts every request by view name, method and status class and times it
(``guangong_http_requests_total``, ``guangong_http_request_duration_seconds``); the view name,
not the path, keeps the number of series small. At each scrape the database adds how many jobs
are in each state (jobs/metrics.py) and how old the worker's last heartbeat is.

``/metrics`` answers only clients inside ``METRICS_ALLOWED_NETWORKS`` (loopback by default), as
the audit log sees their address; anyone else gets a plain 404. Under gunicorn with several
processes, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder (deploy/gunicorn.conf.py clears
it at start) so that a scrape sums every process.
"""

from __future__ import annotations

import ipaddress
import os
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from .middleware import client_ip

REQUESTS = Counter(
    "guangong_http_requests_total",
    "Requests answered, by view, method and status class.",
    ["view", "method", "status"],
)
DURATION = Histogram(
    "guangong_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def allowed(request) -> bool:
    address = client_ip(request)
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net) for net in settings.METRICS_ALLOWED_NETWORKS)


#: Collectors of figures read at scrape time; apps add theirs in ``AppConfig.ready``.
_collectors: list = []


def register(collector) -> None:
    """Add a collector (an object with ``collect()`` yielding metric families) to scrapes."""
    if collector not in _collectors:
        _collectors.append(collector)


class HeartbeatCollector:
    def collect(self):
        from . import health

        last = health.last_beat()
        age = GaugeMetricFamily(
            "guangong_worker_heartbeat_age_seconds",
            "Seconds since the task worker last beat (-1: never).",
        )
        age.add_metric([], (timezone.now() - last).total_seconds() if last else -1)
        yield age


register(HeartbeatCollector())


def registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        scrape = CollectorRegistry()
        multiprocess.MultiProcessCollector(scrape)
    else:
        scrape = CollectorRegistry()
        for collector in (REQUESTS, DURATION):
            scrape.register(collector)
    for collector in _collectors:
        scrape.register(collector)
    return scrape


def metrics_response(request) -> HttpResponse:
    if not allowed(request):
        return HttpResponseNotFound()
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Answers ``/metrics`` (before host and session checks, like the health probes) and counts
    and times every other request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/metrics":
            return metrics_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unmatched"
        REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
        DURATION.labels(view).observe(time.perf_counter() - started)
        return response
