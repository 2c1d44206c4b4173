"""What the meeting services share: text limits, scope checks and the audit of a save."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope, scope_path


def check_lengths(obj, limits: dict[str, int]) -> None:
    """Refuse text longer than its limit with a message in words (before ``full_clean``)."""
    errors = {}
    for name, limit in limits.items():
        value = getattr(obj, name) or ""
        if len(value) > limit:
            errors[name] = _("At most %(n)d characters (this is %(m)d).") % {
                "n": limit,
                "m": len(value),
            }
    if errors:
        raise ValidationError(errors)


def strip(obj, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str):
            setattr(obj, name, value.strip())


def in_scope(actor, model, path: str, op: str = "write") -> None:
    if not policy_for(model).allows_path(actor, op, path):
        raise OutOfScope()


def covers(actor, path: str) -> bool:
    """Whether the actor's scope holds the organisation at ``path``."""
    prefix = scope_path(actor)
    return prefix is not None and (path or "").startswith(prefix)


def saved(actor, obj, before, parent, org_path: str | None = None) -> None:
    record(
        actor,
        Action.UPDATE if before else Action.CREATE,
        obj,
        before=before,
        after=snapshot(obj),
        parent=parent,
        org_path=org_path,
    )


def deleted(actor, obj, parent, org_path: str | None = None) -> None:
    record(actor, Action.DELETE, obj, before=snapshot(obj), parent=parent, org_path=org_path)
