"""Writing audit records. Called by every service function inside its transaction."""

import datetime
import decimal
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from guangong.core import context
from guangong.core.actions import note_audit

from .masking import Snapshot, digest, field_masks, mark_hidden_changes, mask_values
from .models import Action, AuditLog


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: tuple[str, ...] | None = None) -> Snapshot:
    """The audited values of an instance: the model's ``audit_fields``, masked where sensitive
    (``audit.masking``: phones, ID numbers, secrets and the model's ``audit_masked_fields``)."""
    names = fields or getattr(instance, "audit_fields", None)
    if names is None:
        names = tuple(f.name for f in instance._meta.concrete_fields if f.name != "id")
    masks = field_masks(type(instance))
    data, clear = {}, {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        mask = masks.get(name)
        if mask is not None:
            clear[name] = digest(value)
            value = mask(value) if value else value
        data[name] = _jsonable(value)
    return Snapshot(data, clear)


def _label(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    return obj._meta.label_lower, str(obj.pk), str(obj)[:200]


def org_path_of(obj) -> str:
    """The organisation path an object belongs to (itself, if it is an organisation)."""
    if obj is None:
        return ""
    if hasattr(obj, "path") and hasattr(obj, "depth"):
        return obj.path
    org = getattr(obj, "organization", None)
    return org.path if org is not None else ""


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    parent: models.Model | None = None,
    org_path: str | None = None,
    message: str = "",
    username: str | None = None,
) -> AuditLog:
    model = type(obj) if obj is not None else None
    before = mask_values(model, before)
    after = mark_hidden_changes(before, mask_values(model, after))
    user = _user(actor)
    note_audit()
    entry = _entry(
        user,
        username if username is not None else (user.get_username() if user else ""),
        action,
        _label(obj),
        _label(parent),
        org_path=org_path if org_path is not None else org_path_of(obj),
        before=before,
        after=after,
        message=message,
    )
    entry.save(force_insert=True)
    return entry


def _user(actor):
    """The acting account (None for the system, or an actor not saved)."""
    return actor if actor is not None and getattr(actor, "pk", None) else None


def _entry(user, username: str, action: str, label: tuple, parent: tuple, **fields) -> AuditLog:
    """An audit row not yet written: who did ``action``, from where (the request's context),
    to the object and under the parent of these labels (``_label``)."""
    ctx = context.current()
    object_type, object_id, object_repr = label
    parent_type, parent_id, parent_repr = parent
    return AuditLog(
        user=user,
        username=username,
        ip=ctx.ip,
        request_id=ctx.request_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        parent_type=parent_type,
        parent_id=parent_id,
        parent_repr=parent_repr,
        message=fields.pop("message")[:500],
        **fields,
    )


def record_saved(actor, obj: models.Model, before: dict | None, after: dict, **extra) -> AuditLog:
    """The audit row of a save of ``obj`` under its organisation: an update from ``before`` to
    ``after``, or a creation when there was nothing ``before`` (None)."""
    action = Action.CREATE if before is None else Action.UPDATE
    return record(actor, action, obj, before=before, after=after, parent=obj.organization, **extra)


def reveal_reason(reason: str, refusal: str, min_length: int = 1) -> str:
    """The reason a user gives to see a hidden value, stripped; ``refusal`` (on the form's
    ``reason``) when it is shorter than ``min_length``."""
    reason = (reason or "").strip()
    if len(reason) < min_length:
        raise ValidationError({"reason": refusal})
    return reason


def record_reveal(actor, obj: models.Model, message: str) -> AuditLog:
    """The audit row of a hidden value of ``obj`` shown to ``actor`` (``message``: what, and
    the reason), under the object's organisation."""
    return record(actor, Action.REVEAL, obj, parent=obj.organization, message=message)


def record_many(
    actor,
    action: str,
    objects: Sequence[models.Model],
    *,
    befores: Sequence[dict | None] | None = None,
    afters: Sequence[dict | None] | None = None,
    parents: Sequence[models.Model | None] | None = None,
    org_paths: Sequence[str] | None = None,
    message: str = "",
    batch_size: int = 1000,
) -> int:
    """``record`` for many objects at once: one AuditLog row each, written with bulk_create.

    Each row carries the same fields ``record`` would write for its object; ``befores``,
    ``afters``, ``parents`` and ``org_paths`` are aligned with ``objects`` (None: as ``record``
    defaults). For bulk services (imports); the caller holds the transaction.
    """
    user = _user(actor)
    username = user.get_username() if user else ""
    parent_labels: dict[tuple, tuple[str, str, str]] = {}
    rows = []
    for index, obj in enumerate(objects):
        before = mask_values(type(obj), befores[index]) if befores is not None else None
        after = mask_values(type(obj), afters[index]) if afters is not None else None
        parent = parents[index] if parents is not None else None
        key = (parent.__class__, parent.pk) if parent is not None else None
        if key not in parent_labels:
            parent_labels[key] = _label(parent)
        rows.append(
            _entry(
                user,
                username,
                action,
                _label(obj),
                parent_labels[key],
                org_path=org_paths[index] if org_paths is not None else org_path_of(obj),
                before=before,
                after=mark_hidden_changes(before, after),
                message=message,
            )
        )
    AuditLog.objects.bulk_create(rows, batch_size=batch_size)
    note_audit(len(rows))
    return len(rows)


def record_rows(
    actor,
    action: str,
    model: type[models.Model],
    entries: Iterable[tuple],
    *,
    message: str = "",
    progress=None,
) -> int:
    """``record_many`` for imports of tens of thousands of objects of one ``model``.

    ``entries`` yields, per object, ``(object_id, object_repr, parent, org_path, before,
    after)`` with ``parent`` a model instance or None; each becomes the AuditLog row ``record``
    would write, inserted with ``core.bulkinsert`` (no model instances). The caller holds the
    transaction.
    """
    from guangong.core import bulkinsert

    ctx = context.current()
    user = actor if actor is not None and getattr(actor, "pk", None) else None
    connection = bulkinsert.connection_for(AuditLog)
    field = AuditLog._meta.get_field
    shared = (
        bulkinsert.constant(field("time"), timezone.now(), connection),
        user.pk if user else None,
        user.get_username() if user else "",
        bulkinsert.constant(field("ip"), ctx.ip, connection),
        ctx.request_id or "",
        action,
        model._meta.label_lower,
    )
    dump = bulkinsert.adapter(field("after"), connection)
    text = message[:500]
    parent_labels: dict[tuple, tuple[str, str, str]] = {}

    def rows():
        for object_id, object_repr, parent, org_path, before, after in entries:
            if parent is None:
                labels = ("", "", "")
            else:
                key = (parent.__class__, parent.pk)
                labels = parent_labels.get(key)
                if labels is None:
                    labels = parent_labels[key] = _label(parent)
            yield (
                *shared,
                str(object_id),
                str(object_repr)[:200],
                *labels,
                org_path,
                dump(mask_values(model, before)),
                dump(mask_values(model, after)),
                text,
            )

    columns = [
        field(name).column
        for name in (
            "time",
            "user",
            "username",
            "ip",
            "request_id",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "parent_type",
            "parent_id",
            "parent_repr",
            "org_path",
            "before",
            "after",
            "message",
        )
    ]
    written = bulkinsert.insert_rows(AuditLog, columns, rows(), progress=progress)
    note_audit(written)
    return written


__all__ = ["Action", "record", "record_many", "record_rows", "snapshot", "org_path_of"]
