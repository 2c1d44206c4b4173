"""A real task worker (``guangong run_huey``) in a subprocess, sharing the test database.

The test process and the worker share the task store (an SQLite file in a temporary folder),
the media folder and the database (the test database: a file on SQLite, ``test_…`` on
PostgreSQL), so the rows the test commits are the worker's. ``hold`` makes the worker stop and
wait at a chosen point of an import — after checking the rows (``check``), or with every row
inserted but not committed (``commit``) — and writes a marker file when it gets there, so that
the test can kill it exactly there.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from huey.contrib import djhuey
from huey.storage import SqliteStorage

from guangong.jobs.models import Job

ROOT = Path(settings.BASE_DIR).parent

BOOT = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guangong.settings")
import django
django.setup()
if os.environ.get("GUANGONG_TEST_HOLD"):
    from guangong.jobs.tests.worker import install_hold
    install_hold(os.environ["GUANGONG_TEST_HOLD"], os.environ["GUANGONG_TEST_MARKER"])
from django.core.management import execute_from_command_line
execute_from_command_line(["guangong", "run_huey", "--workers", "1", "--no-periodic", "-q"])
"""


def install_hold(where: str, marker: str) -> None:
    """In the worker: stop for good at ``where`` of the next import, after writing ``marker``."""

    def hold():
        Path(marker).write_text(where)
        time.sleep(3600)

    if where == "commit":
        from guangong.jobs import imports

        real_finish = imports.finish

        def finish_late(*args, **kwargs):
            hold()  # every row inserted, nothing committed
            return real_finish(*args, **kwargs)

        imports.finish = finish_late
    elif where == "check":
        from guangong.core.importer.base import Importer

        real_validate = Importer.validate

        def validate_then_hold(self, *args, **kwargs):
            result = real_validate(self, *args, **kwargs)
            hold()
            return result

        Importer.validate = validate_then_hold
    else:
        raise ValueError(where)


def database_url() -> str:
    """The test database, as the worker's DATABASE_URL."""
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
    port = f":{conf['PORT']}" if conf["PORT"] else ""
    return f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}{port}/{conf['NAME']}"


class Worker:
    """One worker process; ``kill()`` is SIGKILL: no clean-up of any kind."""

    def __init__(self, folder: Path, hold: str = ""):
        self.folder = folder
        self.marker = folder / f"held-{time.monotonic_ns()}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "GUANGONG_VAR_DIR": str(folder),  # the task store: <folder>/tasks.sqlite3
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "TASKS_IMMEDIATE": "0",
            "JOB_HEARTBEAT_SECONDS": "1",
            "GUANGONG_TEST_HOLD": hold,
            "GUANGONG_TEST_MARKER": str(self.marker),
        }
        env.pop("REDIS_URL", None)
        self.log = (folder / "worker.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", BOOT], cwd=ROOT, env=env, stdout=self.log, stderr=self.log
        )

    def wait_until_held(self, timeout: float = 60) -> None:
        wait_for(self.marker.exists, timeout, self)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def output(self) -> str:
        return (self.folder / "worker.log").read_text(errors="replace")[-3000:]


def wait_for(condition, timeout: float, worker: Worker | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if worker is not None and worker.process.poll() is not None:
            raise AssertionError(f"the worker ended early:\n{worker.output()}")
        if time.monotonic() > deadline:
            raise AssertionError(
                "timed out" + (f"; worker said:\n{worker.output()}" if worker else "")
            )
        time.sleep(0.1)


def wait_for_status(job: Job, statuses, timeout: float = 60, worker: Worker | None = None):
    def ended():
        job.refresh_from_db()
        return job.status in statuses

    wait_for(ended, timeout, worker)
    return job


def share_task_store(monkeypatch, folder: Path) -> None:
    """Queue this process's tasks where the worker reads them (no longer run at once)."""
    huey = djhuey.HUEY
    monkeypatch.setattr(huey, "_immediate", False)
    store = SqliteStorage(huey.name, filename=str(folder / "tasks.sqlite3"))
    monkeypatch.setattr(huey, "storage", store)
