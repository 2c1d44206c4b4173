"""Liveness and readiness, for load balancers, orchestrators and monitoring.

- ``/healthz``: the process answers (200 ``{"status": "ok"}``); it touches nothing else, so a
  database outage does not get healthy processes restarted.
- ``/readyz``: the process can do its work. Each check answers ``ok``, ``skipped`` or ``fail``;
  any ``fail`` makes it a 503. The answer names the checks only: no host, path, error text or
  version.

  ``database``  a ``SELECT 1``;
  ``redis``     a ``PING`` when ``REDIS_URL`` is set (skipped otherwise);
  ``worker``    a task worker ran the heartbeat task within ``HEALTH_WORKER_MAX_AGE`` seconds
                (skipped when tasks run inside the web process, ``TASKS_IMMEDIATE``);
  ``migrations`` no migration is waiting to be applied;
  ``disk``      the file systems of ``VAR_DIR`` and ``MEDIA_ROOT`` have at least
                ``HEALTH_MIN_FREE_DISK_MB`` free.

The worker's heartbeat is a row of ``core.WorkerHeartbeat`` written by the task ``heartbeat``
(``core/tasks.py``) three times a minute, through the queue itself: a fresh heartbeat means the
worker is running *and* takes tasks from the queue. The database is where it is kept, so every
web process reads the same truth.
"""

import datetime
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from .models import WorkerHeartbeat

log = logging.getLogger(__name__)

HEARTBEAT_NAME = "worker"
OK, SKIPPED, FAIL = "ok", "skipped", "fail"


class CheckFailed(Exception):
    """A readiness check found the service not ready (the reason goes to the log only)."""


# --- Heartbeat ------------------------------------------------------------------------------


def beat(now: datetime.datetime | None = None) -> None:
    """Record that a task worker is alive and taking tasks."""
    WorkerHeartbeat.objects.update_or_create(
        name=HEARTBEAT_NAME, defaults={"beat_at": now or timezone.now()}
    )


def last_beat() -> datetime.datetime | None:
    return (
        WorkerHeartbeat.objects.filter(name=HEARTBEAT_NAME)
        .values_list("beat_at", flat=True)
        .first()
    )


# --- Checks ---------------------------------------------------------------------------------


def check_database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_redis() -> str:
    url = settings.REDIS_URL
    if not url:
        return SKIPPED
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        if not client.ping():
            raise CheckFailed("Redis did not answer PING")
    finally:
        client.close()
    return OK


def check_worker() -> str:
    if settings.HUEY.get("immediate"):
        return SKIPPED
    beat_at = last_beat()
    if beat_at is None:
        raise CheckFailed("no task worker has ever beaten")
    age = (timezone.now() - beat_at).total_seconds()
    if age > settings.HEALTH_WORKER_MAX_AGE:
        raise CheckFailed(f"the task worker last beat {age:.0f} s ago")
    return OK


_migrations_applied = False  # once all are applied, only a new release (a new process) adds one


def check_migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return OK
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CheckFailed(f"{len(plan)} migrations are not applied")
    _migrations_applied = True
    return OK


def _existing(path: Path) -> Path:
    """The folder itself, or its nearest existing parent (a folder not made yet)."""
    path = Path(path).resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk() -> str:
    minimum = settings.HEALTH_MIN_FREE_DISK_MB * 1024 * 1024
    for folder in {_existing(settings.VAR_DIR), _existing(settings.MEDIA_ROOT)}:
        free = shutil.disk_usage(folder).free
        if free < minimum:
            raise CheckFailed(f"{folder}: {free // (1024 * 1024)} MB free")
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
    "migrations": check_migrations,
    "disk": check_disk,
}


def readiness() -> tuple[bool, dict[str, str]]:
    """``(ready, {check: "ok" | "skipped" | "fail"})``; why a check failed goes to the log."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a check is "not ready", never a 500
            log.warning("Readiness check %s failed: %s", name, exc)
            results[name] = FAIL
    return all(result != FAIL for result in results.values()), results


# --- Responses (served by core.middleware.HealthProbeMiddleware) ----------------------------


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response


def liveness_response(request: HttpRequest) -> JsonResponse:
    return _no_store(JsonResponse({"status": "ok"}))


def readiness_response(request: HttpRequest) -> JsonResponse:
    ready, results = readiness()
    status = "ready" if ready else "unavailable"
    return _no_store(
        JsonResponse({"status": status, "checks": results}, status=200 if ready else 503)
    )
