"""What happens to a job whose worker is gone: interruption, retry, and the sweep.

    pending ──claim──▶ running ──▶ succeeded | failed | cancelled
       ▲                  │ lease expired (worker killed, restarted, machine lost)
       │                  ▼
       └──── retry ── interrupted ──cancel──▶ cancelled

``sweep`` runs every minute in the worker (``tasks.sweep_jobs``): it marks interrupted every
running job whose lease expired (``lease.lease_expired``), and queues again every job still
pending ``JOB_REQUEUE_SECONDS`` after it was queued whose task is no longer in the queue (lost
with Redis, or never queued because the queue was down). Queuing twice is harmless:
``runner.claim`` takes only a pending job. A job's page also checks its own lease, so an
abandoned job is shown interrupted even when no worker runs at all.
"""

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib import djhuey

from . import progress as live_progress
from . import registry, runner
from .lease import lease, lease_expired
from .models import Job, Status

logger = logging.getLogger(__name__)


def interrupted_message(job: Job) -> str:
    """What the job's page says, in the language of its starter."""
    try:
        atomic = registry.get(job.kind).atomic
    except KeyError:
        atomic = False
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        if atomic:  # it writes in one transaction: the database rolled everything back
            return _(
                "The background job stopped unexpectedly. Nothing was saved. "
                "Click “Retry” to run it again."
            )
        return _("The background job stopped unexpectedly. Click “Retry” to run it again.")


def interrupt(job: Job, now: datetime.datetime | None = None) -> bool:
    """Mark a running job whose lease has expired as interrupted; True if it was."""
    now = now or timezone.now()
    if not lease_expired(job, now):
        return False
    updated = Job.objects.filter(
        pk=job.pk, status=Status.RUNNING, heartbeat_at=job.heartbeat_at
    ).update(status=Status.INTERRUPTED, message=interrupted_message(job), finished_at=now)
    if updated:
        logger.warning("Job %s (%s) interrupted: its worker stopped", job.pk, job.kind)
        job.status = Status.INTERRUPTED
        live_progress.clear(job)
    return bool(updated)


def requeue_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_REQUEUE_SECONDS)


def queued_job_ids() -> set[str] | None:
    """Ids of the jobs whose task waits in the queue; None if the queue cannot be read."""
    from .tasks import run_job

    try:
        tasks = djhuey.HUEY.pending()
    except Exception:
        logger.warning("Task queue unavailable: lost jobs not looked for", exc_info=True)
        return None
    return {str(t.args[0]) for t in tasks if isinstance(t, run_job.task_class) and t.args}


def requeue_lost(now: datetime.datetime | None = None) -> int:
    """Queue again the pending jobs whose task was lost; returns how many."""
    cutoff = (now or timezone.now()) - requeue_after()
    waiting = list(
        Job.objects.filter(status=Status.PENDING).filter(
            Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True, created_at__lt=cutoff)
        )
    )
    if not waiting:
        return 0
    queued = queued_job_ids()
    if queued is None:
        return 0
    count = 0
    for job in waiting:
        if str(job.pk) not in queued and runner.put(job):
            count += 1
    return count


def sweep(now: datetime.datetime | None = None) -> dict:
    """Interrupt the running jobs whose worker died; queue again the lost pending ones."""
    now = now or timezone.now()
    stale = Job.objects.filter(status=Status.RUNNING).filter(
        Q(heartbeat_at__lt=now - lease()) | Q(heartbeat_at__isnull=True)
    )
    interrupted = 0
    for job in stale:
        try:
            interrupted += interrupt(job, now)
        except DatabaseError:  # SQLite busy with another job's import: next minute
            logger.warning("Job %s could not be marked interrupted yet", job.pk, exc_info=True)
    return {"interrupted": interrupted, "requeued": requeue_lost(now)}
