"""List tables; the same columns are the .xlsx export.

ID numbers appear only masked (``id_number_masked``), in lists and exports alike: no table
ever reads the ciphertext. Phones are masked for users without the ``reveal`` verb.
"""

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core.export import Field
from guangong.core.masking import shown_phone
from guangong.core.tables import (
    TABLE_ATTRS,
    WIDE_ONLY,
    Card,
    ChoiceColumn,
    DateColumn,
    OrganizationColumn,
    yes_no,
)

from .models import Elder, Mentorship, Team, Youth, age_on


def person_columns(*own, tail=()) -> tuple:
    """A kind of person's columns in order: its ``own`` ones after the age, ``tail`` last."""
    return ("name", "sex", "age", *own, "id_number_masked", "phone", "organization", *tail)


class PersonMeta:
    """What the tables of every kind of person share (their ``Meta`` extends it)."""

    fields = person_columns()
    order_by = ("organization", "name")


class PersonTable(tables.Table):
    card = Card(title="name", fields=("age", "organization"))
    name = tables.Column(linkify=True, verbose_name=pgettext_lazy("person", "Name"))
    sex = ChoiceColumn(verbose_name=_("Sex"))
    age = tables.Column(
        accessor="birth_date", verbose_name=_("Age"), order_by=("-birth_date",), attrs=WIDE_ONLY
    )
    id_number_masked = tables.Column(verbose_name=_("ID number"), attrs=WIDE_ONLY)
    phone = tables.Column(verbose_name=_("Phone"), attrs=WIDE_ONLY)
    organization = OrganizationColumn()

    def _user(self):
        request = getattr(self, "request", None)
        return getattr(request, "user", None)

    def render_age(self, value):
        return age_on(value)

    def value_age(self, value):
        return age_on(value)

    def render_phone(self, value):
        return shown_phone(self._user(), value)

    def value_phone(self, value):
        return shown_phone(self._user(), value)


def _labels(items) -> str:
    return "、".join(item.label for item in items)


class ElderTable(PersonTable):
    categories = tables.Column(
        accessor="pk", verbose_name=_("Categories"), orderable=False, attrs=WIDE_ONLY
    )
    active = tables.BooleanColumn(verbose_name=_("Still serving"))

    class Meta(PersonMeta):
        model = Elder
        sequence = person_columns("categories", tail=("active",))
        attrs = {**TABLE_ATTRS, "data-testid": "elder-table"}

    def render_categories(self, record):
        return _labels(record.categories.all()) or "—"

    def value_categories(self, record):
        return _labels(record.categories.all())

    def value_active(self, value):
        return yes_no(value)


class YouthTable(PersonTable):
    category = tables.Column(verbose_name=_("Category"))
    school_or_employer = tables.Column(verbose_name=_("School or employer"), attrs=WIDE_ONLY)

    class Meta(PersonMeta):
        model = Youth
        sequence = person_columns("category", "school_or_employer")
        attrs = {**TABLE_ATTRS, "data-testid": "youth-table"}

    def value_category(self, value):
        return str(value)


class TeamTable(tables.Table):
    card = Card(title="name", fields=("kind", "member_count"))
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    kind = tables.Column(verbose_name=_("Team kind"))
    leader = tables.Column(accessor="leader__name", verbose_name=_("Leader"))
    member_count = tables.Column(verbose_name=_("Members"))
    organization = OrganizationColumn()

    class Meta:
        model = Team
        fields = ("name", "kind", "leader", "member_count", "organization")
        order_by = ("organization", "name")
        attrs = {**TABLE_ATTRS, "data-testid": "team-table"}

    def value_kind(self, value):
        return str(value)


class MentorshipTable(tables.Table):
    card = Card(title="elder", date="start_date", fields=("youth", "organization"))
    elder = tables.Column(
        accessor="elder__name",
        verbose_name=_("Five-elders volunteer"),
        order_by=("elder__name",),
        linkify=lambda record: record.get_absolute_url(),
    )
    youth = tables.Column(
        accessor="youth__name", verbose_name=_("Young person"), order_by=("youth__name",)
    )
    start_date = DateColumn(verbose_name=_("Start date"), format="Y-m-d")
    end_date = DateColumn(verbose_name=_("End date"), format="Y-m-d")
    visit_count = tables.Column(verbose_name=_("Visits"), attrs=WIDE_ONLY)
    organization = OrganizationColumn()

    class Meta:
        model = Mentorship
        fields = ("elder", "youth", "start_date", "end_date", "visit_count", "organization")
        sequence = ("elder", "youth", "start_date", "end_date", "visit_count", "organization")
        order_by = ("-start_date",)
        attrs = {**TABLE_ATTRS, "data-testid": "mentorship-table"}

    def value_start_date(self, value):
        return value.isoformat() if value else ""

    def value_end_date(self, value):
        return value.isoformat() if value else ""


# --- Exports of large lists: the same cells, read with values_list (core.export.Field) -------


def _header(table_class, name: str):
    return table_class.base_columns[name].verbose_name


def _choice_label(model, field: str):
    labels = {key: str(label) for key, label in model._meta.get_field(field).flatchoices}
    return lambda value: labels.get(value, value)


def _person_fields(table_class, user) -> dict[str, Field]:
    model = table_class._meta.model
    today = timezone.localdate()  # once, not per row
    return {
        "name": Field(_header(table_class, "name"), "name"),
        "sex": Field(_header(table_class, "sex"), "sex", _choice_label(model, "sex")),
        "age": Field(_header(table_class, "age"), "birth_date", lambda d: age_on(d, today)),
        "id_number_masked": Field(_header(table_class, "id_number_masked"), "id_number_masked"),
        "phone": Field(_header(table_class, "phone"), "phone", lambda v: shown_phone(user, v)),
        "organization": Field(_header(table_class, "organization"), "organization__name"),
    }


def _elder_export_fields(user) -> list[Field]:
    """``ElderTable``'s export, cell for cell, phones masked as the table masks them."""
    fields = _person_fields(ElderTable, user)
    fields["categories"] = Field(_header(ElderTable, "categories"), "categories__label", many=True)
    labels = {True: yes_no(True), False: yes_no(False)}  # translated once, not per row
    fields["active"] = Field(_header(ElderTable, "active"), "active", labels.__getitem__)
    return [fields[name] for name in ElderTable._meta.sequence]


def _youth_export_fields(user) -> list[Field]:
    """``YouthTable``'s export, cell for cell."""
    fields = _person_fields(YouthTable, user)
    fields["category"] = Field(_header(YouthTable, "category"), "category__label")
    fields["school_or_employer"] = Field(
        _header(YouthTable, "school_or_employer"), "school_or_employer"
    )
    return [fields[name] for name in YouthTable._meta.sequence]


def export_fields(model, user) -> list[Field]:
    """The export of the list of elders or young people, read as its table reads."""
    return {Elder: _elder_export_fields, Youth: _youth_export_fields}[model](user)
