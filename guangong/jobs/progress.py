"""Progress of a running job, published where the web pages can read it at once.

An import saves all its rows in one transaction, so progress written to the job's row inside it
would stay invisible until the end (and SQLite would block a second writer). Live progress
therefore goes to the task queue's own key-value store (the embedded SQLite file or Redis,
which the web process and the worker share; memory in immediate mode), at most every
``interval`` seconds or every ``every`` rows. The job's row gets the phase and the final
figures, written outside the import's transaction.

The same store carries a cancellation request: the next publication raises ``JobCancelled``
inside the handler, and its transaction rolls back.

The store only reports: a job's outcome never depends on it. Every access is guarded — an
unreachable store (Redis stopped) is logged, a publication is skipped, a cancellation flag
that cannot be read counts as “not cancelled”, and the pages fall back to the job's row.
"""

import logging
import time

from huey.contrib import djhuey

from .models import Job

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """The user cancelled the job while it ran."""


class StoreUnavailable(Exception):
    """The task store (Redis, or the embedded file) could not be read."""


def _key(job_id, what: str) -> str:
    return f"guangong:job:{job_id}:{what}"


def _store():
    return djhuey.HUEY


def _get(key: str, strict: bool = False):
    try:
        return _store().get(key, peek=True)
    except Exception as exc:  # the store is a convenience: Redis down must not stop anything
        logger.warning("Task store unavailable: cannot read %s", key, exc_info=True)
        if strict:
            raise StoreUnavailable from exc
        return None


def _put(key: str, value) -> bool:
    try:
        _store().put(key, value)
    except Exception:
        logger.warning("Task store unavailable: cannot write %s", key, exc_info=True)
        return False
    return True


def live(job: Job, strict: bool = False) -> dict | None:
    """The latest published progress of a running job: progress, total, message and ``at``
    (when it was published, as a Unix time); None if nothing was published or the store is
    unreachable (``strict``: ``StoreUnavailable``)."""
    value = _get(_key(job.pk, "progress"), strict)
    return value if isinstance(value, dict) else None


def last_beat(job: Job) -> float | None:
    """When the worker running the job last said it was alive, as a Unix time: its heartbeat
    or its latest publication, whichever is later; None if there is neither.
    ``StoreUnavailable`` if the store cannot be read."""
    beat = _get(_key(job.pk, "beat"), strict=True)
    published = live(job, strict=True)
    times = [t for t in (beat, published and published.get("at")) if isinstance(t, int | float)]
    return max(times) if times else None


def beat(job_id) -> bool:
    return _put(_key(job_id, "beat"), time.time())


def request_cancel(job: Job) -> bool:
    """Ask the running job to stop; False if the store could not take the request."""
    return _put(_key(job.pk, "cancel"), True)


def cancel_requested(job: Job) -> bool:
    return bool(_get(_key(job.pk, "cancel")))


def clear(job: Job) -> None:
    for what in ("progress", "cancel", "beat"):
        try:
            _store().delete(_key(job.pk, what))
        except Exception:
            logger.warning("Task store unavailable: cannot clear job %s", job.pk, exc_info=True)
            return


class Progress:
    """Callable as ``progress(done, total)``; ``phase(message, total)`` starts a new stage."""

    interval = 0.5  # seconds between publications
    every = 10_000  # rows between publications, whatever the time

    def __init__(self, job: Job, *, interval: float | None = None, every: int | None = None):
        self.job = job
        if interval is not None:
            self.interval = interval
        if every is not None:
            self.every = every
        self.message = ""
        self.done = 0
        self.total = 0
        self.publications = 0
        self._last_at = 0.0
        self._last_done = 0

    def phase(self, message, total: int = 0) -> None:
        """A new stage (reading, checking, saving): written to the job's row and published.

        Call it outside the handler's own transaction, or the row change waits for its end.
        """
        self.message, self.done, self.total = str(message), 0, total
        Job.objects.filter(pk=self.job.pk).update(message=self.message, progress=0, total=total)
        self.publish()

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if now - self._last_at >= self.interval or done - self._last_done >= self.every:
            self.publish(now)

    def publish(self, now: float | None = None) -> None:
        self._last_at = time.monotonic() if now is None else now
        self._last_done = self.done
        self.publications += 1
        _put(
            _key(self.job.pk, "progress"),
            {
                "progress": self.done,
                "total": self.total,
                "message": self.message,
                "at": time.time(),
            },
        )
        if cancel_requested(self.job):
            raise JobCancelled
