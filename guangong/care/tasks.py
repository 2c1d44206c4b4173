"""Scheduled care work (discovered by huey.contrib.djhuey in the worker)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import exports, retention


@db_periodic_task(crontab(hour="2", minute="30"))
def anonymise_closed_cases() -> int:
    """Every night: anonymise the cases closed longer ago than CARE_RETENTION_DAYS (each one
    audited as the system)."""
    return retention.anonymise_due()


@db_periodic_task(crontab(minute="7"))
def delete_expired_exports() -> int:
    """Every hour: delete encrypted case exports past their download time."""
    return exports.purge_expired()
