"""Running background jobs: the worker's own bookkeeping of a job (not records).

The database is the truth about a job. ``services.start_job`` saves it and ``enqueue`` hands
its id to the task queue; the worker's ``run_job`` task calls ``execute``, which claims the job
(only a pending one: a task delivered twice does nothing the second time), runs the handler
registered for its kind with the language and request context of the user who started it, and
records how it ended. A handler's failure is stored on the job as a message for the user, never
raised to the worker. A handler that writes data records the job's success with ``finish``
inside its own transaction, so the data and the job's end are committed together or not at
all; execute's own final update only touches a job still running. While a job runs, its worker
beats (``lease.Heartbeat``); a job whose worker died is found by ``lifecycle.sweep``.

The task store (Redis) only carries the queue and live progress: a job's outcome never depends
on it. If a job cannot be queued, it stays pending with a message saying so, and the sweep
queues it again once the store answers.

An upload may hold personal data. It is deleted when its job ends, once that end is committed,
unless the job's type still needs it (a clean check awaiting confirmation: the import that
follows reads it), and at the latest ``JOB_INPUT_RETENTION_HOURS`` after it was uploaded
(``purge_inputs``, a periodic task). It is downloaded only by its uploader and by users who
hold ``reveal`` (the Job policy's ``download``, ``jobs.resources``), each download audited as
a reveal.

What is written here is the job row's state as the worker moves it (claimed, finished, files
purged): the user's own requests (start, cancel, retry, confirm, undo) are audited actions
in ``services`` and ``imports``.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib import djhuey

from guangong.core import context
from guangong.core.files import delete_on_commit
from guangong.core.importer.preview import SEALED
from guangong.notifications import notify

from . import progress as live_progress
from . import registry
from .lease import Heartbeat
from .models import FINISHED, Job, Status, job_file_path
from .progress import JobCancelled, Progress

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """A handler's way to end a job as failed with a message, keeping what it found."""

    def __init__(self, message: str, summary: dict | None = None):
        super().__init__(message)
        self.summary = summary or {}


class JobLost(Exception):
    """The job stopped being this worker's (interrupted or cancelled meanwhile): what the
    handler did is rolled back."""


def immediate() -> bool:
    """Whether tasks run at once in this process (tests, TASKS_IMMEDIATE)."""
    return djhuey.HUEY.immediate


def queue_unavailable_message() -> str:
    return _(
        "The background job service is temporarily unavailable. The job is saved and will "
        "start by itself when the service is back; you can also cancel it."
    )


def put(job: Job) -> bool:
    """Hand the job to the task queue now; False (logged, and said on the job) if the queue
    cannot take it. The sweep queues a job left pending again (``lifecycle.requeue_lost``)."""
    from .tasks import run_job

    Job.objects.filter(pk=job.pk, status=Status.PENDING).update(enqueued_at=timezone.now())
    try:
        run_job(str(job.pk))
    except Exception:  # Redis stopped, the embedded store's disk full…: the job waits
        logger.exception("Job %s could not be queued", job.pk)
        message = queue_unavailable_message()
        Job.objects.filter(pk=job.pk, status=Status.PENDING).update(message=message)
        job.message, job.queue_unavailable = message, True
        return False
    return True


def enqueue(job: Job) -> None:
    """Hand the job to the worker once it is committed.

    In immediate mode (tests, TASKS_IMMEDIATE) the task runs here, in this thread and
    connection, so it sees the job's row even inside a transaction; a real worker only sees it
    after the commit. ``job.queue_unavailable`` tells the caller the queue refused it.
    """
    job.queue_unavailable = False
    if immediate():
        put(job)
    else:
        transaction.on_commit(lambda: put(job))


def store_result(job: Job, content: bytes, filename: str) -> None:
    """Save the job's result file (an error list, a report…)."""
    job.result_file.save(filename, ContentFile(content), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)


def store_file(job: Job, content: bytes, filename: str) -> str:
    """Save a working file of the job beside its upload (not offered for download); returns its
    name in the storage. ``purge_files`` deletes it with the job's other files."""
    return default_storage.save(job_file_path(job, filename), ContentFile(content))


def finish(job: Job, summary: dict, done: int = 0, message: str = "") -> None:
    """Record that a running job succeeded, inside the transaction that writes its data.

    Raises ``JobLost`` (rolling that transaction back) if the job is no longer running — the
    sweep judged its worker dead, or its owner cancelled it — so that what a job saved and
    what its row says never disagree.
    """
    updated = Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.SUCCEEDED,
        message=message[:500],
        summary=summary,
        progress=done,
        total=done,
        finished_at=timezone.now(),
    )
    if not updated:
        raise JobLost(job.pk)
    job.status, job.summary = Status.SUCCEEDED, summary
    release_input(job)


def claim(job_id: str) -> bool:
    """Take a pending job for this worker; False if it is not pending (run or cancelled)."""
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job_id, status=Status.PENDING).update(
            status=Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            message="",
            attempts=F("attempts") + 1,
        )
    )


def execute(job_id: str) -> None:
    """Run one job to its end. Called by the ``run_job`` task."""
    if not claim(job_id):  # cancelled before it started, or run already
        return
    job = Job.objects.select_related("user", "organization").get(pk=job_id)
    progress = Progress(job)
    params = job.params
    bound = context.RequestContext(
        ip=params.get("ip"), request_id=params.get("request_id") or context.current().request_id
    )
    status, summary = Status.FAILED, {}
    language = params.get("language") or settings.LANGUAGE_CODE
    heartbeat = None if immediate() else Heartbeat(job.pk)
    with translation.override(language), context.bind(bound):
        if heartbeat is not None:
            heartbeat.__enter__()
        try:
            summary = registry.get(job.kind).handler(job, progress) or {}
            status, message = Status.SUCCEEDED, ""
        except JobCancelled:
            status, message = Status.CANCELLED, _("Cancelled. Nothing was changed.")
        except JobLost:
            logger.warning("Job %s ended elsewhere while it ran; its work was undone", job.pk)
            status, message = Status.CANCELLED, ""
        except JobFailed as exc:
            message, summary = str(exc), exc.summary
        except (ValidationError, PermissionDenied) as exc:
            message = " ".join(getattr(exc, "messages", None) or [str(exc)])
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            message = _(
                "The job stopped because of an internal error. Please tell your "
                "administrator the job number %(id)s."
            ) % {"id": job.pk}
        finally:
            if heartbeat is not None:
                heartbeat.__exit__(None, None, None)
    live_progress.clear(job)
    done = progress.total if status == Status.SUCCEEDED else progress.done
    with transaction.atomic():
        # Only a job still running: one that finished itself (``finish``), or was interrupted
        # or cancelled meanwhile, keeps what its row says.
        updated = Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            status=status,
            message=message[:500],
            summary=summary,
            progress=done,
            total=max(progress.total, done),
            finished_at=timezone.now(),
        )
        if updated:
            job.status, job.summary = status, summary
            release_input(job)
    notify("job_finished", job=job)  # to its owner, when it succeeded or failed


# --- Uploaded files --------------------------------------------------------------------------


def needs_input(job: Job) -> bool:
    """Whether a finished job still needs its upload, as its type says."""
    try:
        keeps = registry.get(job.kind).keeps_input
    except KeyError:
        return False
    return bool(keeps and keeps(job))


def release_input(job: Job) -> None:
    """Delete the upload of a job that has ended, unless it is still needed, once the
    transaction recording the end commits (never before: a rollback would keep the job)."""
    name = job.input_file.name
    if name and not needs_input(job):
        transaction.on_commit(lambda: discard_input(name))


def discard_input(name: str) -> None:
    """Delete an upload, and what was kept of it for the jobs that used it: the converted rows
    of a check and the clear values of its preview. The jobs keep their figures."""
    default_storage.delete(name)
    with transaction.atomic():
        for job in Job.objects.select_for_update().filter(input_file=name):
            summary = dict(job.summary)
            kept = summary.pop("kept_rows", "")
            if kept:
                default_storage.delete(kept)
            preview = summary.get("preview")
            if isinstance(preview, dict) and SEALED in preview:
                summary["preview"] = {k: v for k, v in preview.items() if k != SEALED}
            Job.objects.filter(pk=job.pk).update(input_file="", summary=summary)


def input_retention() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.JOB_INPUT_RETENTION_HOURS)


def purge_inputs(older_than: datetime.timedelta | None = None) -> int:
    """Delete the uploads older than ``older_than`` (``JOB_INPUT_RETENTION_HOURS``), whatever
    their jobs' state, the files of imports with the upload's rows marked and the files of list
    exports; returns how many files. An upload shared by a check and its import counts from
    the check."""
    cutoff = timezone.now() - (older_than or input_retention())
    old = Job.objects.filter(created_at__lt=cutoff)
    names = set(old.exclude(input_file="").values_list("input_file", flat=True))
    for name in names:
        discard_input(name)
    marked = old.filter(Q(kind__startswith="import:") | Q(kind__startswith="export:"))
    marked = marked.exclude(result_file="")
    count = len(names)
    for pk, name in marked.values_list("pk", "result_file"):
        default_storage.delete(name)
        Job.objects.filter(pk=pk).update(result_file="")
        count += 1
    return count


def purge_files(older_than: datetime.timedelta) -> int:
    """Delete the files of finished jobs older than ``older_than``; returns how many.

    Uploads may hold personal data; the job rows (who imported what, when) stay. A file shared
    with a younger job (a confirmed check and its import) waits for the younger one.
    """
    cutoff = timezone.now() - older_than
    old = Job.objects.filter(created_at__lt=cutoff, status__in=FINISHED)
    names = set()
    for field in ("input_file", "result_file"):
        names.update(old.exclude(**{field: ""}).values_list(field, flat=True))
    kept = {
        name
        for name in old.filter(summary__has_key="kept_rows").values_list(
            "summary__kept_rows", flat=True
        )
        if name
    }
    young = Job.objects.filter(created_at__gte=cutoff)
    names -= set(young.values_list("input_file", flat=True))
    with transaction.atomic():
        for field in ("input_file", "result_file"):
            old.filter(**{f"{field}__in": names}).update(**{field: ""})
        for name in names | kept:
            delete_on_commit(name)  # once the rows no longer name them
    return len(names)
