"""API permission (kept apart from api.py: DRF imports it while loading its settings)."""

from rest_framework import permissions


class ScopedPermission(permissions.BasePermission):
    """A declared resource's viewset asks its policy (``read`` for safe methods, for the rest
    the viewset's ``write_op``: ``write``, or an extra action's own such as ``reveal``); other
    viewsets: reads need ``read_verb`` (``view``), writes ``write_verb``
    (``edit``).

    Which rows exist at all is the viewset's ``visible_to`` queryset, so an object outside the
    caller's subtree answers 404 before this is asked about it.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        resource = getattr(view, "resource", None)
        if resource is not None:  # a declared resource: its policy decides
            safe = request.method in permissions.SAFE_METHODS
            op = "read" if safe else getattr(view, "write_op", "write")
            return resource.policy.may(user, op)
        if request.method in permissions.SAFE_METHODS:
            return user.has_verb(getattr(view, "read_verb", "view"))
        return user.has_verb(getattr(view, "write_verb", "edit"))
