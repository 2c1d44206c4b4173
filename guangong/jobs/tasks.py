"""Task-queue entry points (discovered by huey.contrib.djhuey in the worker)."""

import datetime

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import lifecycle, runner


@db_task()
def run_job(job_id: str, **headers) -> None:
    """``headers``: what a monitoring integration of the sending process adds to every task
    (Sentry's ``sentry_headers``), which a worker without it must not choke on."""
    runner.execute(job_id)


@db_periodic_task(crontab(minute="*"))
def sweep_jobs() -> None:
    """Interrupted jobs (their worker died) and lost tasks, every minute."""
    lifecycle.sweep()


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_job_files() -> None:
    days = settings.JOB_FILE_RETENTION_DAYS
    runner.purge_files(datetime.timedelta(days=days))


@db_periodic_task(crontab(minute="*/15"))
def purge_job_inputs() -> None:
    """Uploads are kept ``JOB_INPUT_RETENTION_HOURS`` at most (most go as their import ends)."""
    runner.purge_inputs()
