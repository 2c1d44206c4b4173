"""Scheduled site-wide work (discovered by huey.contrib.djhuey in the worker)."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import backup


@db_periodic_task(crontab(hour=str(settings.BACKUP_HOUR), minute="40"))
def nightly_backup() -> str:
    """Every night when BACKUP_DAILY is on: a backup, then backups past BACKUP_KEEP_DAYS go."""
    if not settings.BACKUP_DAILY:
        return ""
    folder = backup.create()
    backup.prune()
    return str(folder)
