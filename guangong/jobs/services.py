"""What a user asks of background jobs: start one, cancel it, retry it. Each is an audited
action on the job (``core.actions``); the worker's own bookkeeping of a job (queueing,
claiming, finishing, its files) is ``runner``'s.

Who may act on a job is the Job policy's (``jobs.resources``): its owner, and administrators
who see it; a job one cannot read answers 404.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record
from guangong.core import context
from guangong.core.actions import action, nothing_changed
from guangong.core.services import require

from . import progress as live_progress
from .lease import lease_expired
from .models import Job, Status
from .runner import enqueue, release_input


@action("write", model=Job)
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
    record(actor, Action.CREATE, job, after={"kind": kind})
    return job


def start_job(actor, kind: str, **kwargs) -> Job:
    job = create_job(actor, kind, **kwargs)
    enqueue(job)
    return job


def _require_owner(actor, job: Job, message: str) -> None:
    if job.user_id != actor.pk:
        raise PermissionDenied(message)


@action("write", model=Job)
def cancel_job(actor, job: Job) -> None:
    """Cancel a job of one's own: at once if waiting, interrupted or abandoned by a dead
    worker; at its next progress report if running (its transaction then rolls back)."""
    _require_owner(actor, job, _("Only the user who started a job can cancel it."))
    job.refresh_from_db()
    cancelled = _("Cancelled the job %(job)s.") % {"job": job.label}
    if job.status == Status.RUNNING and not lease_expired(job):
        if not live_progress.request_cancel(job):
            raise ValidationError(
                _(
                    "The cancellation could not be sent: the background job service is "
                    "unavailable. Try again in a moment."
                )
            )
        record(actor, Action.UPDATE, job, message=cancelled)
        return
    if job.status not in (Status.PENDING, Status.INTERRUPTED, Status.RUNNING):
        nothing_changed()
        return
    done = Job.objects.filter(pk=job.pk, status=job.status).update(
        status=Status.CANCELLED,
        message=_("Cancelled. Nothing was changed."),
        finished_at=timezone.now(),
    )
    if done:
        job.status = Status.CANCELLED
        release_input(job)
        record(actor, Action.UPDATE, job, message=cancelled)
    else:
        nothing_changed()
    live_progress.clear(job)


def can_retry(user, job: Job) -> bool:
    return job.status == Status.INTERRUPTED and job.user_id == getattr(user, "pk", None)


def retry_job(actor, job: Job) -> Job:
    """Run an interrupted job again (its owner only). Asking twice queues it once."""
    if requeue_interrupted(actor, job):
        enqueue(job)  # after the commit: the worker sees the job pending
    return job


@action("write", model=Job)
def requeue_interrupted(actor, job: Job) -> bool:
    """Make an interrupted job pending again; False if it is already pending or running."""
    _require_owner(actor, job, _("Only the user who started a job can retry it."))
    retried = Job.objects.filter(pk=job.pk, status=Status.INTERRUPTED).update(
        status=Status.PENDING,
        message="",
        progress=0,
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
    )
    job.refresh_from_db()
    if retried:
        record(
            actor,
            Action.UPDATE,
            job,
            message=_("Retried the interrupted job %(job)s (attempt %(n)d).")
            % {"job": job.label, "n": job.attempts + 1},
        )
        return True
    if job.status not in (Status.PENDING, Status.RUNNING):
        raise ValidationError(_("Only an interrupted job can be retried."))
    nothing_changed()
    return False
