"""Data scope (数据范围): a user sees their organisation and everything below it.

Every scoped model's default manager is built from ``ScopedQuerySet``; views, API viewsets,
form choices, search and exports all start from ``.visible_to(user)``. The tree is a
materialised path, so "in scope" is one indexed prefix test on the organisation's path.
"""

from django.db import models
from django.http import Http404

PATH_MAX_LENGTH = 255  # treebeard's default path column
PATH_TOP_CHAR = "Z"  # the largest character of treebeard's path alphabet (0-9A-Z)
PATH_STEP = 4  # characters per tree level (treebeard's steplen; orgs.Organization uses it)


def ancestor_paths(path: str, include_self: bool = True, top: str = "") -> list[str]:
    """The paths from the root (or from ``top``, an ancestor of ``path``) down to ``path``'s
    parent, root first, and ``path`` itself last with ``include_self``."""
    end = len(path) + 1 if include_self else len(path)
    return [path[:i] for i in range(max(len(top), PATH_STEP), end, PATH_STEP)]


def subtree_q(lookup: str, path: str) -> models.Q:
    """Rows whose ``lookup`` path lies in the subtree at ``path`` (the node itself included).

    A closed range rather than ``startswith``: paths use only 0-9A-Z, so everything below
    ``path`` sorts between it and ``path`` followed by Z's. Both databases answer a range from
    the path's b-tree index, while SQLite never uses an index for LIKE 'prefix%' (its LIKE is
    case-insensitive).
    """
    if path == "":
        return models.Q()
    upper = path + PATH_TOP_CHAR * (PATH_MAX_LENGTH - len(path))
    return models.Q(**{f"{lookup}__gte": path, f"{lookup}__lte": upper})


class OutOfScope(Http404):
    """Raised for anything outside the actor's subtree: indistinguishable from absent."""


def scope_path(user) -> str | None:
    """The path prefix a user may see: '' for a superuser without an organisation, None for none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    org = getattr(user, "organization", None)
    if org is None:
        return "" if user.is_superuser else None
    return org.path


def has_verb(user, verb: str) -> bool:
    return bool(user and user.is_authenticated and user.has_verb(verb))


class ScopedQuerySet(models.QuerySet):
    """The default queryset of every scoped model: each question goes to the model's policy
    (``core.policy``, declared in the app's ``resources.py``)."""

    @property
    def policy(self):
        from .resources import policy_for

        return policy_for(self.model)

    def within_path(self, path: str):
        """Rows owned in the subtree at ``path`` (reach aside)."""
        return self.filter(subtree_q(self.policy.owner, path))

    def visible_to(self, user):
        return self.policy.instances(user, "read", self)

    def editable_by(self, user):
        return self.policy.instances(user, "write", self)

    def countable_by(self, user):
        """Rows whose number (not content) the user may know."""
        return self.policy.instances(user, "count", self)


def get_visible_or_404(queryset, user, *, pk):
    """The row ``pk`` of ``queryset`` that the user may read, else the same 404 for out of scope
    and absent: the model's policy decides (``Policy.get``)."""
    from .resources import policy_for

    return policy_for(queryset.model).get(user, pk, "read", queryset.all())


def requested_object(request, queryset, param: str):
    """The object of ``queryset`` named by the ``param`` of the query string (or of the posted
    form), None when the request names none; 404 when the user does not see it or the value
    cannot be an id."""
    value = request.GET.get(param) or request.POST.get(param)
    if not value:
        return None
    return get_visible_or_404(queryset, request.user, pk=value)


def requested_org(request, organizations, param: str = "org"):
    """The organisation named by ``?org=`` (404 outside the user's scope), else the user's own
    (None for a user without one). The caller passes ``Organization.objects``: core names no
    domain model."""
    return requested_object(request, organizations, param) or request.user.organization


def in_scope(user, path: str) -> bool:
    prefix = scope_path(user)
    return prefix is not None and path.startswith(prefix)
