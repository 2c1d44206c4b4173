"""How other apps refer to dictionary items, in models and in forms.

In a model, ``dict_fk`` is a foreign key to one dictionary (``PROTECT``: an item in use
cannot be deleted; ``related_name="+"`` unless given, so several keys to ``DictItem`` on one
model do not clash)::

    from guangong.dicts.fields import dict_fk, dict_m2m
    from guangong.dicts.models import DictKind

    class Youth(models.Model):
        category = dict_fk(DictKind.YOUTH_CATEGORY, verbose_name=_("category"))
        specialities = dict_m2m(DictKind.SPECIALITY, verbose_name=_("specialities"))

In a form, declare the field with ``DictChoiceField`` / ``DictMultipleChoiceField``: they offer
the active items of the dictionary, in their order, plus the item(s) the edited record already
has even when deactivated since (so saving an old record does not lose its value)::

    class YouthForm(forms.ModelForm):
        category = DictChoiceField(DictKind.YOUTH_CATEGORY, label=_("category"))
        specialities = DictMultipleChoiceField(DictKind.SPECIALITY, required=False)

A model form left to build the field from ``dict_fk`` itself would offer inactive items too.
In a serializer, ``DictItemField(kind)`` takes an item by id on the same terms.
Deleting an item checks every foreign key and many-to-many link to it
(``dicts.services.usages``), so nothing more is needed for an item in use to be kept.
"""

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from guangong.core.forms import ModelChoiceField, ModelMultipleChoiceField
from guangong.core.ids import parse_ids

from .models import DictItem, DictKind


def _check_kind(kind: str) -> str:
    if kind not in DictKind.values:
        raise ValueError(f"unknown dictionary {kind!r}; add it to DictKind first")
    return kind


def dict_fk(kind: str, **kwargs) -> models.ForeignKey:
    """A foreign key to an item of the dictionary ``kind``, protected against deletion."""
    if "on_delete" in kwargs:
        raise TypeError("dict_fk always uses on_delete=PROTECT")
    kwargs.setdefault("related_name", "+")
    return models.ForeignKey(
        "dicts.DictItem",
        on_delete=models.PROTECT,
        limit_choices_to={"kind": _check_kind(kind)},
        **kwargs,
    )


def dict_m2m(kind: str, **kwargs) -> models.ManyToManyField:
    """Several items of the dictionary ``kind`` (the link rows count as uses of an item)."""
    kwargs.setdefault("related_name", "+")
    kwargs.setdefault("blank", True)
    return models.ManyToManyField(
        "dicts.DictItem", limit_choices_to={"kind": _check_kind(kind)}, **kwargs
    )


def _pks(value) -> set:
    """The primary keys in a field's initial value: a pk, an item, or a list of either."""
    if value in (None, ""):
        return set()
    values = value if isinstance(value, Iterable) and not isinstance(value, str) else [value]
    return {v.pk if isinstance(v, models.Model) else v for v in values if v not in (None, "")}


def offered_items(kind: str, keep: Iterable = ()):
    """Active items of the dictionary ``kind``, and the items in ``keep`` (active or not)."""
    condition = models.Q(active=True)
    keep = parse_ids(keep)
    if keep:
        condition |= models.Q(pk__in=keep)
    return DictItem.objects.filter(condition, kind=kind).order_by("order", "id")


class _DictFieldMixin:
    def __init__(self, kind: str, **kwargs):
        self.kind = _check_kind(kind)
        kwargs.setdefault("queryset", offered_items(self.kind))
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        # Each form has its own copy of the field: widen it by what this form's record holds.
        keep = _pks(form.get_initial_for_field(self, field_name))
        if keep:
            self.queryset = offered_items(self.kind, keep)
        return super().get_bound_field(form, field_name)

    def label_from_instance(self, obj):
        if obj.active:
            return obj.label
        return _("%(label)s (inactive)") % {"label": obj.label}


class DictChoiceField(_DictFieldMixin, ModelChoiceField):
    """One item of the dictionary ``kind`` (active ones, plus the record's current one)."""


class DictMultipleChoiceField(_DictFieldMixin, ModelMultipleChoiceField):
    """Several items of the dictionary ``kind`` (active ones, plus the record's current ones)."""


# --- In the API -----------------------------------------------------------------------------


def _record_item_ids(instance, kind: str) -> list[int]:
    """The items of dictionary ``kind`` a record already has (kept even if deactivated)."""
    if not isinstance(instance, models.Model) or instance.pk is None:
        return []
    ids = []
    for field in instance._meta.get_fields():
        if not (field.is_relation and field.concrete and field.related_model is DictItem):
            continue
        if (field.remote_field.limit_choices_to or {}).get("kind") != kind:
            continue
        if field.many_to_many:
            ids.extend(getattr(instance, field.name).values_list("pk", flat=True))
        elif getattr(instance, field.attname):
            ids.append(getattr(instance, field.attname))
    return ids


class DictItemField(serializers.PrimaryKeyRelatedField):
    """An item of one dictionary, by id: the active ones, plus those the record already has."""

    def __init__(self, kind: str, **kwargs):
        self.kind = _check_kind(kind)
        kwargs.setdefault("queryset", DictItem.objects.filter(kind=kind))
        super().__init__(**kwargs)

    def get_queryset(self):
        keep = _record_item_ids(getattr(self.root, "instance", None), self.kind)
        return offered_items(self.kind, keep)
