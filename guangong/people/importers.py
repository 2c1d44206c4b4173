"""The sheets of elders (五老) and young people (``person_import`` checks and saves them; team
members: ``team_import``)."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy, pgettext_lazy

from guangong.core.importer import Column, register
from guangong.dicts.models import DictKind

from .choices import ETHNICITY_CHOICES, Health, HouseholdType, PoliticalStatus, Sex
from .import_common import ORG_COLUMN, dict_choices, enum_choices, verbose_name_of
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
        Column(
            verbose_name_of(model, "sex"), "sex", kind="choice", choices=enum_choices(Sex), width=8
        ),
        Column(verbose_name_of(model, "birth_date"), "birth_date", kind="date", width=14),
    )


@register
class ElderImporter(PersonImporter):
    model = Elder
    start_url_name = "people:elder_import"
    list_url_name = "people:elder_list"
    multi_fields = ("categories",)
    columns = (
        *leading_columns(Elder),
        Column(verbose_name_of(Elder, "phone"), "phone", kind="phone", width=16),
        Column(
            verbose_name_of(Elder, "categories"),
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
        Column(verbose_name_of(Elder, "former_unit"), "former_unit", width=24),
        Column(verbose_name_of(Elder, "former_post"), "former_post", width=14),
        Column(
            verbose_name_of(Elder, "political_status"),
            "political_status",
            kind="choice",
            choices=enum_choices(PoliticalStatus),
            width=14,
        ),
        Column(
            verbose_name_of(Elder, "health"),
            "health",
            kind="choice",
            choices=enum_choices(Health),
            width=10,
        ),
        Column(verbose_name_of(Elder, "availability"), "availability", width=16),
        Column(verbose_name_of(Elder, "joined_on"), "joined_on", kind="date", width=14),
        Column(verbose_name_of(Elder, "notes"), "notes", width=30),
    )


@register
class YouthImporter(PersonImporter):
    model = Youth
    start_url_name = "people:youth_import"
    list_url_name = "people:youth_list"
    fk_fields = ("category",)
    columns = (
        *leading_columns(Youth),
        Column(
            verbose_name_of(Youth, "category"),
            "category",
            required=True,
            kind="choice",
            choices=dict_choices(DictKind.YOUTH_CATEGORY),
            width=14,
        ),
        Column(verbose_name_of(Youth, "guardian_name"), "guardian_name", width=12),
        Column(verbose_name_of(Youth, "guardian_phone"), "guardian_phone", kind="phone", width=16),
        Column(verbose_name_of(Youth, "guardian_relation"), "guardian_relation", width=12),
        Column(verbose_name_of(Youth, "school_or_employer"), "school_or_employer", width=24),
        Column(
            verbose_name_of(Youth, "ethnicity"),
            "ethnicity",
            kind="choice",
            choices=lambda: {label: value for value, label in ETHNICITY_CHOICES},
            width=10,
        ),
        Column(
            verbose_name_of(Youth, "household_type"),
            "household_type",
            kind="choice",
            choices=enum_choices(HouseholdType),
            width=12,
        ),
        Column(verbose_name_of(Youth, "phone"), "phone", kind="phone", width=16),
        Column(verbose_name_of(Youth, "notes"), "notes", width=30),
    )
