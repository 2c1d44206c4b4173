"""Site-wide scheduled work: the worker's heartbeat and the nightly backup (discovered by
huey.contrib.djhuey in the worker).

Every minute the scheduler queues ``heartbeat``, which beats and queues two more beats 20 and
40 seconds later: ``/readyz`` sees a beat about every 20 seconds while the worker takes tasks.
A worker whose field keys do not fit the stored data (``core.canary``) does not beat: it logs
why, and ``/readyz`` reports the worker as failing.
"""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import backup, canary, health

log = logging.getLogger(__name__)

BEAT_EVERY = 20  # seconds

_keys_fit = False  # checked once per worker process, then trusted


def keys_fit() -> bool:
    global _keys_fit
    if not _keys_fit:
        found = canary.problems()
        if found:
            log.error("The task worker does not beat: %s See %s.", " ".join(found), canary.DOCS)
            return False
        _keys_fit = True
    return True


@db_task()
def beat() -> None:
    if keys_fit():
        health.beat()


@db_periodic_task(crontab())
def heartbeat() -> None:
    beat.call_local()
    for delay in range(BEAT_EVERY, 60, BEAT_EVERY):
        beat.schedule(delay=delay)


@HUEY.on_startup()
def beat_on_start() -> None:
    """A worker that just started is ready at once, not at the next full minute."""
    from django.db import close_old_connections

    try:
        if keys_fit():
            health.beat()
    except Exception:
        log.exception("The task worker could not record its heartbeat at start-up.")
    finally:
        close_old_connections()


@db_periodic_task(crontab(hour=str(settings.BACKUP_HOUR), minute="40"))
def nightly_backup() -> str:
    """Every night when BACKUP_DAILY is on: a backup, then backups past BACKUP_KEEP_DAYS go."""
    if not settings.BACKUP_DAILY:
        return ""
    folder = backup.create()
    backup.prune()
    return str(folder)
