"""What the audit log never holds in clear.

Which values are sensitive is declared, not remembered by each service:

- a model's ``audit_masked_fields`` (``{"field": mask}``) names its own;
- every phone field is masked as 138****5678: a field validated by ``validate_phone`` or
  ``validate_mobile``, or named ``phone``, ``*_phone``, ``mobile``…;
- every ID-number field (``id_number``, ``*_id_number``, ``id_number_masked``) as
  110101********123X;
- encrypted columns (``*_enc``), keyed hashes (``*_hash``) and passwords are recorded only as
  “(recorded)”, never their content.

``audit.services.snapshot`` applies the rules, and ``record``/``record_many``/``record_rows``
apply them again to whatever before/after they are given, so a model added later, a dict built
by hand and an import are all covered. Every mask keeps an already masked value as it is.
``mask_stored_rows`` applies them to rows written before a rule existed (the
``mask_audit_log`` command; an old migration did it once for the rows of its time).
"""

import functools
import hashlib
import re
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _

from guangong.core import idnumber
from guangong.core.validators import mask_phone, validate_mobile, validate_phone

Mask = Callable[[str], str]

PHONE_NAME = re.compile(r"(^|_)(phone|mobile|telephone|tel)(_|$)")
ID_NUMBER_NAME = re.compile(r"(^|_)id_number(_|$)")
SECRET_NAME = re.compile(r"(_enc|_hash)$|^password$")
PHONE_VALIDATORS = (validate_phone, validate_mobile)


def recorded(value) -> str:
    """Only that a secret is there: its content (ciphertext, hash) tells nothing to a reader."""
    return _("(recorded)") if value else ""


def _mask_text(mask: Mask) -> Mask:
    """``mask`` for text; a value of another type (a flag, a number) is not a phone."""
    return lambda value: mask(value) if isinstance(value, str) else value


def mask_by_name(name: str) -> Mask | None:
    """The mask a key calls for by its name alone (also for keys that are not model fields)."""
    if SECRET_NAME.search(name):
        return recorded
    if PHONE_NAME.search(name):
        return _mask_text(mask_phone)
    if ID_NUMBER_NAME.search(name):
        return _mask_text(idnumber.mask)
    return None


@functools.cache
def field_masks(model: type[models.Model]) -> dict[str, Mask]:
    """Every sensitive field of ``model`` (by field name) and how it is masked."""
    masks: dict[str, Mask] = {}
    for field in model._meta.concrete_fields:
        mask = mask_by_name(field.name)
        if mask is None and any(v in PHONE_VALIDATORS for v in field.validators):
            mask = _mask_text(mask_phone)
        if mask is not None:
            masks[field.name] = mask
            masks.setdefault(field.attname, mask)
    masks.update(getattr(model, "audit_masked_fields", None) or {})
    return masks


def mask_for(model: type[models.Model] | None, name: str) -> Mask | None:
    if model is not None:
        mask = field_masks(model).get(name)
        if mask is not None:
            return mask
    return mask_by_name(name)


def _masked(mask: Mask | None, value):
    if mask is None or value in (None, "") or value is False:
        return value
    return mask(value)


def mask_values(model: type[models.Model] | None, data):
    """``data`` (an audit before/after) with every sensitive top-level value masked.

    Anything but a dict (None, a list) is returned as it is. A ``Snapshot`` stays one.
    """
    if not isinstance(data, dict):
        return data
    masked = {key: _masked(mask_for(model, key), value) for key, value in data.items()}
    if masked == data:
        return data
    if isinstance(data, Snapshot):
        return Snapshot(masked, data.clear)
    return masked


def digest(value) -> str:
    """Enough of a clear value to tell a change, nothing to read back (kept in memory only)."""
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


class Snapshot(dict):
    """An object's audited values, masked, remembering (as digests) what the masks hide.

    A phone changed in its middle digits keeps its mask (139****5678): two snapshots are
    equal only when their clear values are too, so ``if after != before: record(...)`` still
    sees the change, and ``record`` marks the value as changed. The digests are never stored.
    """

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, data: dict, clear: dict[str, str] | None = None):
        super().__init__(data)
        self.clear = dict(clear or {})

    def __eq__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        if not dict.__eq__(self, other):
            return False
        if isinstance(other, Snapshot):
            return self.clear == other.clear
        return True

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal


def mark_hidden_changes(before, after):
    """``after`` with each value whose mask hides a change marked as changed."""
    if not (isinstance(before, Snapshot) and isinstance(after, Snapshot)):
        return after
    hidden = [
        name
        for name, value in after.items()
        if name in after.clear
        and name in before.clear
        and before.get(name) == value
        and before.clear[name] != after.clear[name]
    ]
    if not hidden:
        return after
    marked = Snapshot(after, after.clear)
    for name in hidden:
        marked[name] = _("%(value)s (changed)") % {"value": after[name]}
    return marked


def model_of(label: str, apps) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def mask_stored_rows(audit_model, apps, batch_size: int = 2000) -> int:
    """Mask the before/after of audit rows written before the rules above; returns how many
    rows changed. Idempotent; ``apps`` is a migration's app registry or ``django.apps.apps``."""
    changed = 0
    pending = []
    rows = (
        audit_model.objects.exclude(before=None, after=None)
        .only("pk", "object_type", "before", "after")
        .order_by("pk")
    )
    models_by_label: dict[str, type[models.Model] | None] = {}
    for row in rows.iterator(chunk_size=batch_size):
        if row.object_type not in models_by_label:
            models_by_label[row.object_type] = model_of(row.object_type, apps)
        model = models_by_label[row.object_type]
        before = mask_values(model, row.before)
        after = mask_values(model, row.after)
        if before is row.before and after is row.after:
            continue
        row.before, row.after = before, after
        pending.append(row)
        if len(pending) >= batch_size:
            audit_model.objects.bulk_update(pending, ["before", "after"])
            changed += len(pending)
            pending = []
    if pending:
        audit_model.objects.bulk_update(pending, ["before", "after"])
        changed += len(pending)
    return changed
