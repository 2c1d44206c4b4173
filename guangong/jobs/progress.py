"""Progress of a running job, published where the web pages can read it at once.

An import saves all its rows in one transaction, so progress written to the job's row inside it
would stay invisible until the end (and SQLite would block a second writer). Live progress
therefore goes to the task queue's own key-value store (the embedded SQLite file or Redis,
which the web process and the worker share; memory in immediate mode), at most every
``interval`` seconds or every ``every`` rows. The job's row gets the phase and the final
figures, written outside the import's transaction.

The same store carries a cancellation request: the next publication raises ``JobCancelled``
inside the handler, and its transaction rolls back.
"""

import time

from huey.contrib.djhuey import HUEY

from .models import Job


class JobCancelled(Exception):
    """The user cancelled the job while it ran."""


def _key(job_id, what: str) -> str:
    return f"guangong:job:{job_id}:{what}"


def live(job: Job) -> dict | None:
    """The latest published progress of a running job: progress, total, message and ``at``
    (when it was published, as a Unix time)."""
    return HUEY.get(_key(job.pk, "progress"), peek=True)


def request_cancel(job: Job) -> None:
    HUEY.put(_key(job.pk, "cancel"), True)


def clear(job: Job) -> None:
    HUEY.delete(_key(job.pk, "progress"))
    HUEY.delete(_key(job.pk, "cancel"))


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
        HUEY.put(
            _key(self.job.pk, "progress"),
            {
                "progress": self.done,
                "total": self.total,
                "message": self.message,
                "at": time.time(),
            },
        )
        if HUEY.get(_key(self.job.pk, "cancel"), peek=True):
            raise JobCancelled
