"""What the people importers share: organisation look-up, list columns, chunked queries."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.importer import CellInvalid, Column
from guangong.core.importer.columns import choice_lookup, normalize_header, to_text
from guangong.dicts.models import DictItem
from guangong.orgs.models import Organization

CHUNK = 500
#: What separates several items in one cell: 、 , ， ; ； and spaces.
SEPARATORS = re.compile(r"[、,，;；\s\u3000]+")


def chunks(values, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def verbose_name_of(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def enum_choices(enum):
    return lambda: {label: value for value, label in enum.choices}


def field_column(model, name: str, **options) -> Column:
    """The column of the model field ``name``, headed by its verbose name."""
    return Column(verbose_name_of(model, name), name, **options)


def enum_column(model, name: str, enum, width: int) -> Column:
    """The column of a field whose cell is one of ``enum``'s labels."""
    return field_column(model, name, kind="choice", choices=enum_choices(enum), width=width)


def dict_choices(kind: str):
    def choices():
        items = DictItem.objects.of(kind).active().order_by("order", "pk")
        return dict(items.values_list("label", "pk"))

    return choices


def add_error(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- Organisations, as the organisation import finds parents --------------------------------


class OrgLookup:
    """Organisations in the actor's scope named in the file by division code or exact name."""

    def __init__(self, actor, refs):
        scope = Organization.objects.editable_by(actor).only(
            "pk", "name", "division_code", "path", "depth"
        )
        self.by_code: dict[str, Organization] = {}
        self.by_name: dict[str, list[Organization]] = {}
        refs = {ref for ref in refs if ref}
        for chunk in chunks(refs):
            for org in scope.filter(Q(name__in=chunk) | Q(division_code__in=chunk)):
                if org.division_code in refs:
                    self.by_code[org.division_code] = org
                if org.name in refs:
                    self.by_name.setdefault(org.name, []).append(org)

    def resolve(self, ref: str) -> Organization:
        if ref.isdigit() and ref in self.by_code:
            return self.by_code[ref]
        matches = self.by_name.get(ref, ())
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValidationError(
                _(
                    "%(n)d organisations in your scope are called “%(ref)s”; give the "
                    "division code instead."
                )
                % {"n": len(matches), "ref": ref}
            )
        # The same words whether it exists elsewhere or not at all: no leak outside the scope.
        raise ValidationError(_("“%(ref)s” was not found in your scope.") % {"ref": ref})


ORG_COLUMN = Column(
    gettext_lazy("Organisation (division code or name)"),
    "organization",
    required=True,
    width=26,
    help=gettext_lazy(
        "The division code or exact full name of an organisation in your scope that the "
        "person belongs to."
    ),
    example="654002",
)


def multi_converter(column: Column):
    """Several items of a list in one cell, separated by 、 or a comma: a list of values."""
    lookup, labels = choice_lookup(column)
    listed = "、".join(labels) if len(labels) <= 20 else _("the drop-down list of the template")

    def convert(value):
        found = []
        for part in SEPARATORS.split(to_text(value)):
            if not part:
                continue
            try:
                item = lookup[normalize_header(part)]
            except KeyError:
                raise CellInvalid(
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": part, "choices": listed}
                ) from None
            if item not in found:
                found.append(item)
        return found

    return convert


# --- Elders and young people ----------------------------------------------------------------
