"""Starting, running and cancelling background jobs.

``start_job`` saves the job and hands its id to the task queue; the worker's ``run_job`` task
calls ``execute``, which claims the job, runs the handler registered for its kind with the
language and request context of the user who started it, and records how it ended. A
handler's failure is stored on the job as a message for the user, never raised to the worker.

An upload may hold personal data. It is deleted when its job ends, once that end is committed,
unless the job's type still needs it (a clean check awaiting confirmation: the import that
follows reads it), and at the latest ``JOB_INPUT_RETENTION_HOURS`` after it was uploaded
(``purge_inputs``, a periodic task). It is downloaded only by its uploader and by users who
hold ``reveal`` (``may_download``), each download audited as a reveal.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import HUEY

from guangong.core import context
from guangong.core.files import delete_on_commit
from guangong.core.importer.preview import SEALED
from guangong.core.scope import has_verb
from guangong.core.services import require

from . import progress as live_progress
from . import registry
from .models import FINISHED, Job, Status, job_file_path
from .progress import JobCancelled, Progress

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """A handler's way to end a job as failed with a message, keeping what it found."""

    def __init__(self, message: str, summary: dict | None = None):
        super().__init__(message)
        self.summary = summary or {}


def create_job(
    actor, kind: str, *, params: dict | None = None, upload=None, input_name: str = ""
) -> Job:
    """Save a pending job for ``actor`` (the upload, if any, under MEDIA_ROOT/jobs/<id>/)."""
    require(actor, "view")
    ctx = context.current()
    job = Job(
        user=actor,
        organization_id=actor.organization_id,
        kind=kind,
        params={
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "ip": ctx.ip,
            "request_id": ctx.request_id,
            **(params or {}),
        },
    )
    if upload is not None:
        job.input_file.save(upload.name, upload, save=False)
    elif input_name:
        job.input_file.name = input_name
    job.save()
    return job


def enqueue(job: Job) -> None:
    """Hand the job to the worker once it is committed.

    In immediate mode (tests, TASKS_IMMEDIATE) the task runs here, in this thread and
    connection, so it sees the job's row even inside a transaction; a real worker only sees it
    after the commit.
    """
    from .tasks import run_job

    if HUEY.immediate:
        run_job(str(job.pk))
    else:
        transaction.on_commit(lambda: run_job(str(job.pk)))


def start_job(actor, kind: str, **kwargs) -> Job:
    job = create_job(actor, kind, **kwargs)
    enqueue(job)
    return job


def store_result(job: Job, content: bytes, filename: str) -> None:
    """Save the job's result file (an error list, a report…)."""
    job.result_file.save(filename, ContentFile(content), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)


def store_file(job: Job, content: bytes, filename: str) -> str:
    """Save a working file of the job beside its upload (not offered for download); returns its
    name in the storage. ``purge_files`` deletes it with the job's other files."""
    return default_storage.save(job_file_path(job, filename), ContentFile(content))


def execute(job_id: str) -> None:
    """Run one job to its end. Called by the ``run_job`` task."""
    claimed = Job.objects.filter(pk=job_id, status=Status.PENDING).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # cancelled before it started, or run already
        return
    job = Job.objects.select_related("user", "organization").get(pk=job_id)
    progress = Progress(job)
    params = job.params
    bound = context.RequestContext(
        ip=params.get("ip"), request_id=params.get("request_id") or context.current().request_id
    )
    status, summary = Status.FAILED, {}
    language = params.get("language") or settings.LANGUAGE_CODE
    with translation.override(language), context.bind(bound):
        try:
            summary = registry.get(job.kind).handler(job, progress) or {}
            status, message = Status.SUCCEEDED, ""
        except JobCancelled:
            status, message = Status.CANCELLED, _("Cancelled. Nothing was changed.")
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
    live_progress.clear(job)
    done = progress.total if status == Status.SUCCEEDED else progress.done
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=status,
            message=message[:500],
            summary=summary,
            progress=done,
            total=max(progress.total, done),
            finished_at=timezone.now(),
        )
        job.status, job.summary = status, summary
        release_input(job)


def cancel_job(actor, job: Job) -> None:
    """Cancel a job of one's own: at once if waiting, at its next progress report if running."""
    if job.user_id != actor.pk:
        raise PermissionDenied(_("Only the user who started a job can cancel it."))
    if job.status == Status.PENDING:
        with transaction.atomic():
            cancelled = Job.objects.filter(pk=job.pk, status=Status.PENDING).update(
                status=Status.CANCELLED,
                message=_("Cancelled. Nothing was changed."),
                finished_at=timezone.now(),
            )
            if cancelled:
                job.status = Status.CANCELLED
                release_input(job)
    elif job.status == Status.RUNNING:
        live_progress.request_cancel(job)


# --- Uploaded files --------------------------------------------------------------------------


def may_download(user, job: Job) -> bool:
    """A job's files (its upload, the upload with its errors marked) are for the user who
    uploaded them and for users who may reveal sensitive fields; to others they do not exist."""
    return bool(user and user.is_authenticated) and (
        job.user_id == user.pk or has_verb(user, "reveal")
    )


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
    return datetime.timedelta(hours=getattr(settings, "JOB_INPUT_RETENTION_HOURS", 24))


def purge_inputs(older_than: datetime.timedelta | None = None) -> int:
    """Delete the uploads older than ``older_than`` (``JOB_INPUT_RETENTION_HOURS``), whatever
    their jobs' state, and the files of imports with the upload's rows marked; returns how many
    files. An upload shared by a check and its import counts from the check."""
    cutoff = timezone.now() - (older_than or input_retention())
    old = Job.objects.filter(created_at__lt=cutoff)
    names = set(old.exclude(input_file="").values_list("input_file", flat=True))
    for name in names:
        discard_input(name)
    marked = old.filter(kind__startswith="import:").exclude(result_file="")
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
