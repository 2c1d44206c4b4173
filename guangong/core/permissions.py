"""API permission (kept apart from api.py: DRF imports it while loading its settings)."""

from rest_framework import permissions


class ScopedPermission(permissions.BasePermission):
    """Reads need the ``view`` verb, writes the viewset's ``write_verb`` (default ``edit``).

    Which rows exist at all is the viewset's ``visible_to`` queryset, so an object outside the
    caller's subtree answers 404 before this is asked about it.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return user.has_verb(getattr(view, "read_verb", "view"))
        return user.has_verb(getattr(view, "write_verb", "edit"))
