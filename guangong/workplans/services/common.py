"""What the work plan services share: text limits, the scope check of a new row, the audit."""

from django.core.exceptions import ValidationError
from django.utils.translation import pgettext

from guangong.audit.services import Action, record, snapshot
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope


def check_lengths(obj, limits: dict[str, int]) -> None:
    """Strip the texts and refuse one longer than its limit, with a message in words."""
    errors = {}
    for name, limit in limits.items():
        value = (getattr(obj, name) or "").strip()
        setattr(obj, name, value)
        if len(value) > limit:
            errors[name] = pgettext("workplan", "At most %(n)d characters (this is %(m)d).") % {
                "n": limit,
                "m": len(value),
            }
    if errors:
        raise ValidationError(errors)


def in_scope(actor, model, path: str, op: str = "write") -> None:
    if not policy_for(model).allows_path(actor, op, path):
        raise OutOfScope()


def saved(actor, obj, before, parent, org_path: str, message: str = "") -> None:
    record(
        actor,
        Action.UPDATE if before else Action.CREATE,
        obj,
        before=before,
        after=snapshot(obj),
        parent=parent,
        org_path=org_path,
        message=message,
    )


def deleted(actor, obj, parent, org_path: str) -> None:
    record(actor, Action.DELETE, obj, before=snapshot(obj), parent=parent, org_path=org_path)
