"""What the people services share: actions per kind of person, dictionary items, and the audit
of a save."""

import functools

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action, nothing_changed
from guangong.dicts.models import DictItem


def check_dict_items(model, values_by_field: dict) -> None:
    """Each many-to-many value is an item of the dictionary its field takes."""
    for name, values in values_by_field.items():
        if values is None:
            continue
        field = model._meta.get_field(name)
        kind = (field.remote_field.limit_choices_to or {}).get("kind")
        pks = {getattr(v, "pk", v) for v in values}
        if kind and pks and DictItem.objects.filter(pk__in=pks, kind=kind).count() != len(pks):
            raise ValidationError({name: _("Choose items of this list only.")})


def state(obj, m2m=()) -> dict:
    """The audit snapshot of ``obj`` with the ids of its many-to-many fields named in ``m2m``."""
    data = snapshot(obj)
    data.update({name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in m2m})
    return data


def record_save(actor, obj, before: dict | None, after: dict, parent=None) -> None:
    """The audit row of a create (``before`` None) or an edit; an edit that changed nothing
    owes none."""
    if before == after:
        nothing_changed()
        return
    action = Action.UPDATE if before is not None else Action.CREATE
    record(actor, action, obj, before=before, after=after, parent=parent or obj.organization)


def per_kind(op: str, fn, kinds: tuple):
    """``fn(actor, target, …)`` made an action of each model in ``kinds`` (elders and young
    people share their functions); called, it runs the action of ``target``'s kind (``target``
    a record, or the model itself)."""
    actions = {model: action(op, model=model)(fn) for model in kinds}

    @functools.wraps(fn)
    def run(actor, target, *args, **kwargs):
        kind = target if isinstance(target, type) else type(target)
        return actions[kind](actor, target, *args, **kwargs)

    return run
