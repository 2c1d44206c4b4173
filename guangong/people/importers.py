"""The sheets of elders (五老) and young people (``person_import`` checks and saves them; team
members: ``team_import``)."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy, pgettext_lazy

from guangong.core.importer import Column, register
from guangong.dicts.models import DictKind

from .choices import ETHNICITY_CHOICES, Health, HouseholdType, PoliticalStatus, Sex
from .import_common import ORG_COLUMN, dict_choices, enum_column, field_column
from .models import Elder, Youth
from .person_import import PersonImporter


def _id_column():
    return Column(
        capfirst(gettext_lazy("ID number")),
        "id_number",
        kind="id_number",
        width=22,
        help=gettext_lazy(
            "18 characters; the column is formatted as text. Optional: when empty, sex and "
            "birth date are required."
        ),
        example="654002195203141018",
    )


PERSON_NAME = Column(pgettext_lazy("person", "Name"), "name", required=True, width=12)


def leading_columns(model) -> tuple[Column, ...]:
    """The columns every sheet of people starts with."""
    return (
        ORG_COLUMN,
        PERSON_NAME,
        _id_column(),
        enum_column(model, "sex", Sex, 8),
        field_column(model, "birth_date", kind="date", width=14),
    )


@register
class ElderImporter(PersonImporter):
    model = Elder
    start_url_name = "people:elder_import"
    list_url_name = "people:elder_list"
    multi_fields = ("categories",)
    columns = (
        *leading_columns(Elder),
        field_column(Elder, "phone", kind="phone", width=16),
        field_column(
            Elder,
            "categories",
            kind="choice",
            choices=dict_choices(DictKind.ELDER_CATEGORY),
            width=22,
            help=gettext_lazy(
                "One or several five-elders categories from the list, separated by 、 or a "
                "comma, e.g. 老干部、老教师."
            ),
            example="老干部、老教师",
        ),
        field_column(Elder, "former_unit", width=24),
        field_column(Elder, "former_post", width=14),
        enum_column(Elder, "political_status", PoliticalStatus, 14),
        enum_column(Elder, "health", Health, 10),
        field_column(Elder, "availability", width=16),
        field_column(Elder, "joined_on", kind="date", width=14),
        field_column(Elder, "notes", width=30),
    )


@register
class YouthImporter(PersonImporter):
    model = Youth
    start_url_name = "people:youth_import"
    list_url_name = "people:youth_list"
    fk_fields = ("category",)
    columns = (
        *leading_columns(Youth),
        field_column(
            Youth,
            "category",
            required=True,
            kind="choice",
            choices=dict_choices(DictKind.YOUTH_CATEGORY),
            width=14,
        ),
        field_column(Youth, "guardian_name", width=12),
        field_column(Youth, "guardian_phone", kind="phone", width=16),
        field_column(Youth, "guardian_relation", width=12),
        field_column(Youth, "school_or_employer", width=24),
        field_column(
            Youth,
            "ethnicity",
            kind="choice",
            choices=lambda: {label: value for value, label in ETHNICITY_CHOICES},
            width=10,
        ),
        enum_column(Youth, "household_type", HouseholdType, 12),
        field_column(Youth, "phone", kind="phone", width=16),
        field_column(Youth, "notes", width=30),
    )
