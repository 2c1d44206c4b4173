"""Audited actions: the one way state changes.

``@action`` turns a service function ``fn(actor, obj, ...)`` into an action. Called, it

1. checks the actor's verbs for the operation (403 when the role lacks them);
2. when ``obj`` is a saved row of the resource's model: locks it, and answers 404 when it is
   out of the actor's scope (the same answer as a row that does not exist);
3. runs the function in ``transaction.atomic(durable=True)``: when the action returns, its
   changes are committed, and files removed or messages sent in ``on_commit`` go with them;
4. checks that the row it returns is still in the actor's scope (an edit cannot move a row
   out of reach), and that the function wrote at least one audit row; either failure rolls
   the whole action back.

An action called from another action joins it (one transaction, one unit); a bulk job that
runs many actions wraps them in ``batch()``. A view or viewset never opens a transaction
around an action: a multi-step change is one action of its own (``save_and_submit``).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from .scope import OutOfScope


@dataclass
class _Unit:
    name: str
    audited: int = 0


_unit: ContextVar[_Unit | None] = ContextVar("guangong_action_unit", default=None)


#: Called with the actor once an action of theirs has committed: what a page keeps about its
#: user (the to-do badge's count) is forgotten then, so that their own change shows at once.
committed_hooks: list[Callable] = []


def on_committed(hook: Callable) -> Callable:
    committed_hooks.append(hook)
    return hook


def _committed(actor) -> None:
    for hook in committed_hooks:
        hook(actor)


def current_unit() -> _Unit | None:
    """The action (or batch) running now, if any."""
    return _unit.get()


def note_audit(rows: int = 1) -> None:
    """Called by the audit writer: the running action has written ``rows`` audit rows."""
    unit = _unit.get()
    if unit is not None:
        unit.audited += rows


@contextlib.contextmanager
def _enter(name: str):
    outer = _unit.get()
    if outer is not None:  # joins the running action or batch
        yield outer
        return
    unit = _Unit(name)
    token = _unit.set(unit)
    try:
        with transaction.atomic(durable=True):
            yield unit
    finally:
        _unit.reset(token)


@contextlib.contextmanager
def batch(name: str = "batch"):
    """Run many actions as one unit (imports, bulk edits): one durable transaction."""
    with _enter(name) as unit:
        yield unit


def nothing_changed() -> None:
    """Called by an action that found nothing to change: it owes no audit row."""
    note_audit()


def _policy(model):
    from .resources import policy_for  # the registry imports this module's users

    return policy_for(model)


def action(op: str = "write", *, model: type[models.Model] | None = None, audited: bool = True):
    """Make ``fn(actor, obj=None, ...)`` an audited action on ``model`` (see module docstring).

    ``op`` names the policy operation whose verbs the actor needs (``write``, ``approve``,
    ``reveal``, …). ``model``: the resource's model, when ``obj`` is one of its rows.
    ``audited=False`` only for actions whose audit row is written by a nested action.
    """

    def decorate(fn):
        @functools.wraps(fn)
        def run(actor, *args, **kwargs):
            target = args[0] if args else None
            policy = _policy(model) if model is not None else None
            if policy is not None and not policy.may(actor, op):
                raise PermissionDenied(_("You do not have permission to do this."))
            with _enter(fn.__qualname__) as unit:
                before = unit.audited
                if _saved(target, model):
                    _lock_in_scope(policy, actor, op, target)
                result = fn(actor, *args, **kwargs)
                if _saved(result, model) and not policy.allows(actor, op, result):
                    raise OutOfScope()
                if audited and unit.audited == before:
                    raise ImproperlyConfigured(f"action {fn.__qualname__} wrote no audit record")
                if committed_hooks and getattr(actor, "pk", None) is not None:
                    transaction.on_commit(functools.partial(_committed, actor))
                return result

        run.action_op = op
        run.action_model = model
        return run

    return decorate


def _saved(obj, model) -> bool:
    return model is not None and isinstance(obj, model) and obj.pk is not None


def _lock_in_scope(policy, actor, op: str, obj) -> None:
    """Lock ``obj``'s row until the action ends; 404 when it is not the actor's to ``op``."""
    rows = policy.instances(actor, op, type(obj)._base_manager.all())
    locked = rows.select_for_update(of=("self",)).filter(pk=obj.pk).values_list("pk", flat=True)
    if not list(locked[:1]):
        raise OutOfScope()
