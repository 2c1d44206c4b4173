"""What the people services share: dictionary items, and the audit of a save."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import nothing_changed
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
