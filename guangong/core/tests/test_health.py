"""``/healthz`` says the process answers; ``/readyz`` says it can work, check by check."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from guangong.core import canary, health, tasks
from guangong.core.models import WorkerHeartbeat

CHECKS = {"database", "redis", "worker", "migrations", "disk"}


@pytest.fixture
def worker(settings):
    """Tasks go to a separate worker (as in production), which has just beaten."""
    settings.HUEY = {**settings.HUEY, "immediate": False}
    health.beat()
    return settings


@pytest.fixture
def database_down(db):
    """Every new cursor fails as with a stopped server (restored before the test database is
    cleaned up)."""
    error = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(connection, "cursor", side_effect=error):
        yield


def ready(client) -> tuple[int, dict]:
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


# --- Liveness -------------------------------------------------------------------------------


def test_healthz_answers_while_the_database_is_down(client, db, database_down):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_probes_need_no_login_and_no_known_host_name(client, db, worker):
    """An orchestrator names the server by its address, which ALLOWED_HOSTS does not list."""
    for path in ("/healthz", "/readyz"):
        assert client.get(path, HTTP_HOST="10.1.2.3:8000").status_code == 200


# --- Readiness ------------------------------------------------------------------------------


def test_readyz_is_ready_when_every_check_passes(client, db, worker):
    status, body = ready(client)

    assert status == 200
    assert body == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "redis": "skipped",  # no REDIS_URL in the tests
            "worker": "ok",
            "migrations": "ok",
            "disk": "ok",
        },
    }


def test_readyz_fails_while_the_database_is_down(client, db, worker, database_down):
    status, body = ready(client)

    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "fail"
    assert "Connection refused" not in str(body)


def test_readyz_fails_when_redis_cannot_be_reached(client, db, worker):
    worker.REDIS_URL = "redis://127.0.0.1:1/8"  # nothing listens on port 1

    status, body = ready(client)

    assert status == 503
    assert body["checks"]["redis"] == "fail"
    assert body["checks"]["database"] == "ok"
    assert "127.0.0.1" not in str(body)


def test_readyz_pings_a_redis_that_answers(client, db, worker):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/8"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    worker.REDIS_URL = url

    status, body = ready(client)

    assert (status, body["checks"]["redis"]) == (200, "ok")


def test_readyz_fails_when_the_worker_has_not_beaten_for_a_minute(client, db, worker):
    health.beat(timezone.now() - datetime.timedelta(seconds=61))

    status, body = ready(client)

    assert (status, body["checks"]["worker"]) == (503, "fail")

    health.beat(timezone.now() - datetime.timedelta(seconds=30))
    assert ready(client)[0] == 200


def test_readyz_fails_when_no_worker_ever_beat(client, db, worker):
    WorkerHeartbeat.objects.all().delete()

    status, body = ready(client)

    assert (status, body["checks"]["worker"]) == (503, "fail")


def test_the_worker_check_is_skipped_when_tasks_run_in_the_web_process(client, db, settings):
    settings.HUEY = {**settings.HUEY, "immediate": True}
    WorkerHeartbeat.objects.all().delete()

    status, body = ready(client)

    assert (status, body["checks"]["worker"]) == (200, "skipped")


def test_readyz_fails_while_a_migration_is_not_applied(client, db, worker, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    [(app, name)] = loader.graph.leaf_nodes("core")
    # a consolidated migration counts as applied while the ones it replaces are recorded
    names = [name, *(replaced for _app, replaced in loader.get_migration(app, name).replaces)]
    MigrationRecorder(connection).migration_qs.filter(app=app, name__in=names).delete()

    status, body = ready(client)

    assert (status, body["checks"]["migrations"]) == (503, "fail")


def test_readyz_fails_when_the_disk_is_nearly_full(client, db, worker):
    worker.HEALTH_MIN_FREE_DISK_MB = 1024 * 1024 * 1024  # a petabyte: no disk has that free

    status, body = ready(client)

    assert (status, body["checks"]["disk"]) == (503, "fail")


# --- The heartbeat task ---------------------------------------------------------------------


def test_the_heartbeat_task_records_a_beat(db, monkeypatch):
    monkeypatch.setattr(tasks, "_keys_fit", False)
    WorkerHeartbeat.objects.all().delete()
    before = timezone.now()

    tasks.heartbeat.call_local()

    assert health.last_beat() >= before


def test_a_worker_with_the_wrong_field_keys_does_not_beat(db, settings, monkeypatch):
    from guangong.core import crypto

    monkeypatch.setattr(tasks, "_keys_fit", False)
    WorkerHeartbeat.objects.all().delete()
    canary.write()  # with the keys of the data
    settings.FIELD_ENCRYPTION_KEYS = "other:" + crypto.generate_key()

    tasks.heartbeat.call_local()

    assert health.last_beat() is None
