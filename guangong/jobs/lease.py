"""Whether the worker running a job is still alive: its heartbeat and its lease.

A running job is leased to the worker that claimed it for ``JOB_LEASE_SECONDS``, renewed by
any sign of life:

- the job row's ``heartbeat_at``, written every ``JOB_HEARTBEAT_SECONDS`` by a small thread of
  the worker (``Heartbeat``) on its own database connection. On SQLite an import's write
  transaction blocks that write until it ends, so
- the same thread also writes a beat to the task store (``progress.beat``), and every
  publication of progress carries its time too.

The lease has expired when none of these is younger than ``JOB_LEASE_SECONDS``: the worker was
killed, restarted or lost its machine, and the job will never end by itself
(``lifecycle.sweep`` then marks it interrupted). A store that cannot be read proves nothing:
the lease is then judged from the row alone, and only once it is several leases old.
"""

import contextlib
import datetime
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone

from . import progress as live_progress
from .models import Job, Status

logger = logging.getLogger(__name__)

#: Without the store, a job is judged lost only when its row is this many leases old.
BLIND_FACTOR = 5


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def heartbeat_seconds() -> float:
    return float(settings.JOB_HEARTBEAT_SECONDS)


class Heartbeat:
    """While open, beats for ``job_id`` every ``interval`` seconds from a thread of its own."""

    def __init__(self, job_id, interval: float | None = None):
        self.job_id = job_id
        self.interval = heartbeat_seconds() if interval is None else interval
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"job-heartbeat-{job_id}", daemon=True
        )

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval * 2 + 5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self.beat()
        finally:
            connections.close_all()  # this thread's own connection

    def beat(self) -> None:
        live_progress.beat(self.job_id)
        try:
            # Never wait long: on SQLite the job's own import may hold the write lock for
            # minutes, and the beats in the store must go on meanwhile.
            with brief_wait(int(self.interval * 500)):
                Job.objects.filter(pk=self.job_id, status=Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except DatabaseError:  # SQLite busy: the store's beat stands in
            logger.debug("Heartbeat of job %s not written to the database", self.job_id)


def last_sign_of_life(job: Job) -> tuple[datetime.datetime, bool]:
    """The latest sign of life of a running job, and whether the store could be read."""
    times = [t for t in (job.heartbeat_at, job.started_at, job.created_at) if t]
    try:
        beat = live_progress.last_beat(job)
    except live_progress.StoreUnavailable:
        return max(times), False
    if beat is not None:
        times.append(datetime.datetime.fromtimestamp(beat, tz=datetime.UTC))
    return max(times), True


def lease_expired(job: Job, now: datetime.datetime | None = None) -> bool:
    """Whether a running job's worker has shown no sign of life for longer than its lease."""
    if job.status != Status.RUNNING:
        return False
    now = now or timezone.now()
    last, seen = last_sign_of_life(job)
    return now - last > (lease() if seen else lease() * BLIND_FACTOR)


@contextlib.contextmanager
def brief_wait(milliseconds: int = 500):
    """On SQLite, wait at most ``milliseconds`` for the write lock (another job's import may
    hold it for minutes): for writes a page makes on the side, which may as well fail."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")
