"""Core holds no domain models (see scope.py for the scoped queryset every app uses); only two
small tables of the running system itself: the task worker's heartbeat (``health``) and the
value that proves the field keys are the right ones (``canary``).

It also holds the abstract parts the apps' models share: ``Timestamped`` (when a row was
created and last changed), ``Searchable`` with ``SearchQuerySet`` (found by name, its
pinyin initials or full pinyin), ``DetailPage`` (the row's own page) and ``WorkflowStep`` (a
step of a record's history).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import crypto
from .pinyin import search_key


class DetailPage:
    """``get_absolute_url``: the page that ``detail_url`` (a URL name) shows for the row's pk."""

    detail_url: str

    def get_absolute_url(self) -> str:
        return reverse(self.detail_url, args=[self.pk])


class Timestamped(models.Model):
    """When a row was created and when it was last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Searchable(models.Model):
    """A row found by the text of its ``search_fields`` as typed, or by their pinyin initials or
    full pinyin, which ``save`` keeps in ``search_text`` (see ``SearchQuerySet``)."""

    search_fields: tuple[str, ...] = ("name",)

    search_text = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = search_key(*(getattr(self, name) for name in self.search_fields))
        super().save(*args, **kwargs)


class WorkflowStep(models.Model):
    """One step in a record's history: what was done, by whom and when. The actor's name is
    kept as it was, so the history still reads right once the account is renamed or gone."""

    action = models.CharField(_("action"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True


class SearchQuerySet(models.QuerySet):
    """``search(q)`` for a ``Searchable`` model: rows whose search fields contain ``q``, or
    whose pinyin keys do."""

    def search(self, q: str):
        q = (q or "").strip()
        if not q:
            return self
        return self.filter(self.search_condition(q))

    def search_condition(self, q: str) -> models.Q:
        condition = models.Q(search_text__contains=q.lower())
        for name in self.model.search_fields:
            condition |= models.Q(**{f"{name}__icontains": q})
        return condition


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
