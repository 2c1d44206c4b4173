"""Guards shared by every app's services.py.

A service function is the only way state changes: it checks the actor's verb and scope, does
the change and writes the audit record inside one transaction. Views, the API, imports and
commands all call the same functions.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .scope import in_scope


class OutOfScope(Http404):
    """Raised for anything outside the actor's subtree: indistinguishable from absent."""


def require(actor, verb: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_verb(verb):
        raise PermissionDenied(_("You do not have permission to do this."))


def require_in_scope(actor, path: str) -> None:
    if not in_scope(actor, path):
        raise OutOfScope()
