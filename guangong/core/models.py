"""Core holds no domain models (see scope.py for the scoped queryset every app uses); only two
small tables of the running system itself: the task worker's heartbeat (``health``) and the
value that proves the field keys are the right ones (``canary``).
"""

from django.db import models

from . import crypto


class WorkerHeartbeat(models.Model):
    """When a task worker last ran a task: ``/readyz`` reads it (``core.health``)."""

    name = models.CharField(max_length=40, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class KeyCanary(models.Model):
    """A known text encrypted with the field keys, and its blind index (``core.canary``).

    Written once, when the database is first migrated; at start-up Guangong refuses keys that
    do not decrypt it. ``rotate_field_keys`` re-encrypts it like every registered column.
    """

    token = models.TextField()
    index = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"key check {self.pk}"


crypto.register(KeyCanary, "token")  # rotate_field_keys re-encrypts it with the rest
