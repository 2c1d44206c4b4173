"""Guards shared by every app's services.py.

A service function is the only way state changes: it checks the actor's verb and scope, does
the change and writes the audit record inside one transaction. Views, the API, imports and
commands all call the same functions.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .scope import OutOfScope, in_scope

__all__ = ["OutOfScope", "require", "require_in_scope"]


def require(actor, verb: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_verb(verb):
        raise PermissionDenied(_("You do not have permission to do this."))


def require_in_scope(actor, path: str) -> None:
    if not in_scope(actor, path):
        raise OutOfScope()
