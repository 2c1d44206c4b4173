"""Every change to dictionary items goes through these functions.

Dictionaries are global, so there is no organisation scope to check: reading needs ``view``,
every change here needs ``manage_system``. The audit record of a change carries the path of the
acting user's organisation, so the administrators above them see it in their audit log (a
superuser without an organisation writes "", which only superusers read).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ForeignObjectRel, Max
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action
from guangong.core.services import record_saved

from .models import GROUPED_KINDS, DictItem, DictKind

#: The verb every change needs (the policy's ``write``, ``dicts.resources``).
VERB = "manage_system"
#: What ``update_item`` may change; the dictionary (kind) of an item is fixed at creation.
EDITABLE_FIELDS = ("label", "order", "active", "stat_group")
ORDER_MAX = 32767  # PositiveSmallIntegerField


def unknown_item(pk, kind) -> bool:
    """Whether ``pk``, when one is chosen, names no dictionary item of ``kind``."""
    return bool(pk) and not DictItem.objects.filter(pk=pk, kind=kind).exists()


def _org_path(actor) -> str:
    return actor.scope_path or ""


def _check_label(item: DictItem) -> None:
    """Refuse a label the item's dictionary already has (ignoring case and surrounding space)."""
    item.label = (item.label or "").strip()
    if not item.label:
        return  # full_clean reports the missing label
    taken = DictItem.objects.filter(kind=item.kind, label__iexact=item.label)
    if item.pk:
        taken = taken.exclude(pk=item.pk)
    if taken.exists():
        raise ValidationError({"label": _duplicate_message(item)})


def _duplicate_message(item: DictItem) -> str:
    return _("The dictionary “%(kind)s” already has an item “%(label)s”.") % {
        "kind": item.get_kind_display(),
        "label": item.label,
    }


def _check_group(item: DictItem) -> None:
    """Activity types need a statistical group; other dictionaries have none."""
    if item.kind in GROUPED_KINDS:
        if not item.stat_group:
            raise ValidationError({"stat_group": _("Choose the statistical group of this type.")})
    else:
        item.stat_group = ""


def _save(item: DictItem) -> None:
    _check_label(item)
    _check_group(item)
    item.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:  # the same label saved concurrently
        raise ValidationError({"label": _duplicate_message(item)}) from exc


def next_order(kind: str) -> int:
    """An order that puts a new item after the last one of its dictionary."""
    last = DictItem.objects.of(kind).aggregate(m=Max("order"))["m"]
    return min((last or 0) + 10, ORDER_MAX)


@action(model=DictItem)
def create_item(
    actor,
    kind: str,
    label: str,
    order: int | None = None,
    active: bool = True,
    stat_group: str = "",
) -> DictItem:
    """Add an item to the dictionary ``kind`` (by default after its last item)."""
    if kind not in DictKind.values:
        raise ValidationError({"kind": _("Choose a dictionary.")})
    order = next_order(kind) if order is None else order
    item = DictItem(kind=kind, label=label, order=order, active=active, stat_group=stat_group)
    _save(item)
    record(actor, Action.CREATE, item, after=snapshot(item), org_path=_org_path(actor))
    return item


@action(model=DictItem)
def update_item(actor, item: DictItem, **fields) -> DictItem:
    """Rename, reorder, activate or deactivate an item (built-in ones too)."""
    item = DictItem.objects.get(pk=item.pk)  # as locked by the action
    before = snapshot(item)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not an editable field")
        setattr(item, name, value)
    _save(item)
    record_saved(actor, item, before, org_path=_org_path(actor))
    return item


def reverse_relations() -> list[ForeignObjectRel]:
    """Every foreign key to ``DictItem`` from another table, hidden ones included.

    Other apps' keys to dictionary items are usually ``related_name="+"`` (hidden), and a
    many-to-many field is a link table whose keys to us CASCADE: so the relations come from
    ``get_fields(include_hidden=True)`` and a many-to-many field is counted through the foreign
    key of its link table, not through ``ManyToManyRel`` (which would count it twice).
    """
    return [
        rel
        for rel in DictItem._meta.get_fields(include_hidden=True)
        if isinstance(rel, ForeignObjectRel) and not rel.many_to_many
    ]


def usages(item: DictItem) -> list[tuple[str, int]]:
    """What refers to ``item``: (what, how many), e.g. ("Young people", 3)."""
    counts: dict[str, int] = {}
    for rel in reverse_relations():
        model = rel.related_model
        # A link table of a many-to-many field is named after the model that owns the field.
        owner = model._meta.auto_created or model
        n = model._base_manager.filter(**{rel.field.name: item}).count()
        if n:
            label = str(capfirst(owner._meta.verbose_name_plural))
            counts[label] = counts.get(label, 0) + n
    return list(counts.items())


def blockers(item: DictItem) -> list[str]:
    """Why ``item`` cannot be deleted, in words (empty when it can)."""
    return [_("%(what)s (%(n)d)") % {"what": what, "n": n} for what, n in usages(item)]


def _in_use_message(item: DictItem, what: list[str]) -> str:
    return _(
        "“%(label)s” is in use (%(what)s) and cannot be deleted. Deactivate it instead: "
        "it will no longer be offered, and existing records keep it."
    ) % {"label": item.label, "what": "、".join(what)}


def deletion_refusal(item: DictItem) -> str | None:
    """Why ``item`` may not be deleted (built in, or in use), or None if it may."""
    if item.seeded:
        return _(
            "“%(label)s” is a built-in item and cannot be deleted. Rename or deactivate it instead."
        ) % {"label": item.label}
    hanging = blockers(item)
    if hanging:
        return _in_use_message(item, hanging)
    return None


@action(model=DictItem)
def delete_item(actor, item: DictItem) -> None:
    """Delete an item nothing refers to; built-in items and items in use are refused."""
    item = DictItem.objects.get(pk=item.pk)  # as locked by the action
    refusal = deletion_refusal(item)
    if refusal:
        raise ValidationError(refusal)
    record(actor, Action.DELETE, item, before=snapshot(item), org_path=_org_path(actor))
    try:
        with transaction.atomic():
            item.delete()
    except (ProtectedError, RestrictedError) as exc:  # referred to since the check above
        found = getattr(exc, "protected_objects", None) or exc.restricted_objects
        what = {str(capfirst(obj._meta.verbose_name_plural)) for obj in found}
        raise ValidationError(_in_use_message(item, blockers(item) or sorted(what))) from exc


__all__ = [
    "blockers",
    "create_item",
    "delete_item",
    "deletion_refusal",
    "next_order",
    "reverse_relations",
    "update_item",
    "usages",
]
