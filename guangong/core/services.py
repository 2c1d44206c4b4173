"""Guards shared by every app's services.py.

A service function is the only way state changes: it checks the actor's verb and scope, does
the change and writes the audit record inside one transaction. Views, the API, imports and
commands all call the same functions.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot

from .actions import nothing_changed
from .scope import OutOfScope, in_scope

__all__ = ["OutOfScope", "record_saved", "record_update", "require", "require_in_scope"]


def require(actor, verb: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_verb(verb):
        raise PermissionDenied(_("You do not have permission to do this."))


def require_in_scope(actor, path: str) -> None:
    if not in_scope(actor, path):
        raise OutOfScope()


def record_saved(actor, obj, before, **where) -> None:
    """The audit row of a saved row: a creation (``before`` is None) or a change from
    ``before``; a save that changed nothing owes none. ``where`` is ``record``'s ``parent`` or
    ``org_path``."""
    after = snapshot(obj)
    if after == before:
        nothing_changed()
        return
    done = Action.UPDATE if before is not None else Action.CREATE
    record(actor, done, obj, before=before, after=after, **where)


def record_update(actor, obj, before, **where) -> None:
    """The audit row of a change from ``before`` (a workflow step: always written)."""
    record(actor, Action.UPDATE, obj, before=before, after=snapshot(obj), **where)
