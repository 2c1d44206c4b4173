"""Permission policies: who may see and act on which rows (数据范围 and 权限, in one place).

Every scoped model has one ``Policy``, declared in its app's ``resources.py`` (``core.resources``).
A policy answers four questions, and every list, detail, choice, related field, search, export,
statistic and API queryset asks it rather than deciding for itself:

- ``instances(user, op)`` — which rows this user may see (``read``), change (``write``),
  approve, reveal, or only count (``count``: the number, not the content);
- ``allows(user, op, obj)`` — may this user do ``op`` on this row (scope, verbs, and the
  operation's ``rules``, such as which level approves);
- ``get(user, pk, op)`` — the row, or the same 404 whether it is out of scope or absent;
- ``users_with(op, path)`` — which users may do ``op`` at an organisation (for to-do lists and
  notifications).

A row belongs to the organisation its ``owner`` lookup reaches; a user sees their organisation's
subtree. ``reach`` adds read-only reach (co-organisers of an activity, the organisations a help
request was referred from); ``reach_up`` lets rows owned above the user reach down (a report form
defined by the city is read by every county below it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404

from .ids import is_integer_key, parse_id
from .scope import ancestor_paths, scope_path, subtree_q

#: The operations a policy knows, and the verbs each needs by default.
DEFAULT_VERBS: dict[str, tuple[str, ...]] = {
    "read": ("view",),
    "write": ("edit",),
    "approve": ("approve",),
    "reveal": ("reveal",),
    "count": ("view",),
    "download": ("view",),
}
#: Operations that follow ``reach`` and ``reach_up`` (the others need ownership in scope).
READ_OPS = frozenset({"read"})


def has_verbs(user, verbs) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return all(user.has_verb(verb) for verb in verbs)


@dataclass(frozen=True)
class Policy:
    #: Lookup from the model to the path of the organisation that owns a row; None: the rows
    #: are the whole network's (dictionaries), and only the verbs decide.
    owner: str | None = "organization__path"
    #: Lookup to the user a row belongs to (a job's uploader): that user may do the
    #: ``own_ops`` on it (by default: read it) even without the verbs or outside the scope.
    own: str | None = None
    own_ops: frozenset[str] = READ_OPS
    #: Verbs per operation, over the defaults (e.g. ``{"read": ("view", "care")}``).
    verbs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Extra read-only reach: lookups to organisation paths that also make a row visible.
    reach: tuple[str, ...] = ()
    #: Rows owned by an ancestor of the user's organisation are readable too.
    reach_up: bool = False
    #: Per-operation rules a row must also pass, beyond scope and verbs (``rule(user, obj)``):
    #: e.g. who approves a case is its organisation or the one directly above it.
    rules: dict[str, Callable] = field(default_factory=dict)
    #: The model the policy was registered for (``core.resources.register`` binds it): where
    #: ``get`` looks when given no queryset.
    model: type[models.Model] | None = field(default=None, compare=False, repr=False)

    def with_owner(self, owner: str) -> Policy:
        return replace(self, owner=owner)

    # -- Verbs -----------------------------------------------------------------------------

    def verbs_for(self, op: str) -> tuple[str, ...]:
        if op in self.verbs:  # an operation of the model's own (``merge``) or a default's verbs
            return self.verbs[op]
        try:
            return DEFAULT_VERBS[op]
        except KeyError:
            raise ValueError(f"unknown operation {op!r}") from None

    def may(self, user, op: str) -> bool:
        """Whether the user's role allows ``op`` at all (scope aside); any active user may do
        the ``own_ops`` on rows of their own."""
        if self.own and op in self.own_ops and has_verbs(user, ()):
            return True
        return has_verbs(user, self.verbs_for(op)) and scope_path(user) is not None

    # -- Rows ------------------------------------------------------------------------------

    def scope_q(self, path: str, op: str = "read", model=None) -> models.Q:
        """The rows of ``model`` that a user whose scope is ``path`` may ``op``."""
        if self.owner is None:
            return models.Q()
        q = subtree_q(self.owner, path)
        if path == "" or op not in READ_OPS:
            return q
        if self.reach_up:
            q |= models.Q(**{f"{self.owner}__in": ancestor_paths(path, include_self=False)})
        for lookup in self.reach:
            q |= models.Q(Exists(_reach_subquery(model, lookup, path)))
        return q

    def instances(self, user, op: str = "read", queryset=None):
        """The rows of ``queryset`` this user may ``op`` (none if the role lacks the verbs)."""
        if queryset is None:
            raise TypeError("instances() needs the queryset to scope")
        path = scope_path(user)
        if path is None:
            return queryset.none()
        own = models.Q(**{self.own: user}) if self.own and op in self.own_ops else None
        if not has_verbs(user, self.verbs_for(op)):
            return queryset.filter(own) if own is not None else queryset.none()
        if path == "":
            return queryset.all()
        q = self.scope_q(path, op, queryset.model)
        return queryset.filter(q | own if own is not None else q)

    def get(self, user, pk, op: str = "read", queryset=None):
        """One row this user may ``op`` (from ``queryset``, by default all of the model's);
        out of scope and absent are the same 404.

        A ``pk`` that cannot be an id (text, a number past 64 bits) is absent without a query.
        """
        if queryset is None:
            if self.model is None:
                raise TypeError("get() needs the queryset to look in")
            queryset = self.model._default_manager.all()
        if is_integer_key(queryset) and parse_id(pk) is None:
            raise Http404
        try:
            return self.instances(user, op, queryset).get(pk=pk)
        except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc

    def allows(self, user, op: str, obj) -> bool:
        """Whether this user may ``op`` on ``obj`` (a saved row)."""
        if obj is None or obj.pk is None:
            return False
        manager = type(obj)._base_manager
        if not self.instances(user, op, manager.all()).filter(pk=obj.pk).exists():
            return False
        rule = self.rules.get(op)
        return rule is None or bool(rule(user, obj))

    def allows_path(self, user, op: str, path: str, obj=None) -> bool:
        """Whether this user may ``op`` on a row owned at ``path`` (a new row not yet saved);
        given that row as ``obj``, the operation's rule decides too."""
        prefix = scope_path(user)
        if prefix is None or not has_verbs(user, self.verbs_for(op)):
            return False
        if self.owner is not None and not (path or "").startswith(prefix):
            return False
        rule = self.rules.get(op) if obj is not None else None
        return rule is None or bool(rule(user, obj))

    # -- Users -----------------------------------------------------------------------------

    def users_with(self, op: str, path: str):
        """Active users who may ``op`` on a row owned at ``path``: those whose organisation is
        the owner or above it, and whose role holds the verbs (superusers without an
        organisation included)."""
        users = get_user_model()._default_manager
        in_line = models.Q(organization__path__in=ancestor_paths(path)) | models.Q(
            organization__isnull=True, is_superuser=True
        )
        return users.with_verbs(self.verbs_for(op)).filter(in_line, is_active=True)


def _reach_subquery(model, lookup: str, path: str):
    """Rows of ``model`` that ``lookup`` connects to an organisation in the subtree at ``path``.

    Through a many-to-many field the subquery reads the join table alone (no join back to the
    model's own table), which keeps reach cheap on large tables.
    """
    first, _, rest = lookup.partition("__")
    related = model._meta.get_field(first)
    if related.many_to_many and not related.auto_created and rest:
        through = related.remote_field.through
        source = related.m2m_field_name()
        target = related.m2m_reverse_field_name()
        return through.objects.filter(
            subtree_q(f"{target}__{rest}", path), **{source: OuterRef("pk")}
        )
    if related.one_to_many and rest:  # a reverse foreign key: read the related table alone
        return related.related_model._base_manager.filter(
            subtree_q(rest, path), **{related.field.name: OuterRef("pk")}
        )
    return model._base_manager.filter(subtree_q(lookup, path), pk=OuterRef("pk"))
