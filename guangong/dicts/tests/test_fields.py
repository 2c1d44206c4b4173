"""The helpers other apps use to refer to dictionary items."""

from importlib import import_module

import pytest
from django import forms
from django.db import models

from guangong.core.tests.support import zh
from guangong.dicts.fields import DictChoiceField, DictMultipleChoiceField, dict_fk, dict_m2m
from guangong.dicts.models import DictItem, DictKind

#: The built-in items, as the migration seeds them.
SEEDS = import_module("guangong.dicts.migrations.0001_squashed_0004_care_items").SEEDS


class CategoryForm(forms.Form):
    category = DictChoiceField(DictKind.YOUTH_CATEGORY)
    specialities = DictMultipleChoiceField(DictKind.SPECIALITY, required=False)


@pytest.fixture
def retired(db) -> DictItem:
    """A youth category that has been deactivated."""
    item = DictItem.objects.get(kind=DictKind.YOUTH_CATEGORY, label="失足青少年")
    item.active = False
    item.save()
    return item


def offered(form, name) -> list[str]:
    return [label for value, label in form[name].field.choices if value != ""]


def test_a_new_entry_is_offered_the_active_items_of_its_dictionary_in_order(retired):
    form = CategoryForm()

    seeded = SEEDS
    assert offered(form, "category") == [
        label for label in seeded["youth_category"] if label != retired.label
    ]
    assert offered(form, "specialities") == seeded["speciality"]


def test_an_inactive_item_is_refused_on_a_new_entry(retired):
    form = CategoryForm({"category": retired.pk})

    assert not form.is_valid()
    assert "category" in form.errors


def test_an_item_of_another_dictionary_is_refused(db):
    other = DictItem.objects.get(kind=DictKind.TEAM_KIND, label="宣讲团")

    form = CategoryForm({"category": other.pk, "specialities": [other.pk]})

    assert not form.is_valid()
    assert set(form.errors) == {"category", "specialities"}


def test_a_record_keeps_its_inactive_item_when_edited(retired):
    form = CategoryForm({"category": retired.pk}, initial={"category": retired.pk})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["category"] == retired
    assert offered(form, "category")[-1] == zh("%(label)s (inactive)", label="失足青少年")


def test_multiple_choice_keeps_the_records_inactive_items(db):
    art = DictItem.objects.get(kind=DictKind.SPECIALITY, label="书画")
    art.active = False
    art.save()
    law = DictItem.objects.get(kind=DictKind.SPECIALITY, label="法律")
    form = CategoryForm(
        {
            "category": DictItem.objects.of(DictKind.YOUTH_CATEGORY).first().pk,
            "specialities": [art.pk, law.pk],
        },
        initial={"specialities": [art]},
    )

    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["specialities"]) == {art, law}
    # Another form of the same class is not widened by this one.
    assert "书画" not in " ".join(offered(CategoryForm(), "specialities"))


def test_dict_fk_is_a_protected_key_limited_to_its_dictionary():
    field = dict_fk(DictKind.TEAM_KIND, verbose_name="kind", null=True)

    assert isinstance(field, models.ForeignKey)
    assert field.remote_field.on_delete is models.PROTECT
    assert field.remote_field.limit_choices_to == {"kind": "team_kind"}
    assert field.remote_field.related_name == "+"
    assert field.null


def test_dict_m2m_is_limited_to_its_dictionary():
    field = dict_m2m(DictKind.SPECIALITY)

    assert isinstance(field, models.ManyToManyField)
    assert field.remote_field.limit_choices_to == {"kind": "speciality"}
    assert field.blank


def test_an_unknown_dictionary_or_another_on_delete_is_a_programming_error():
    with pytest.raises(ValueError):
        dict_fk("youth_categry")
    with pytest.raises(ValueError):
        DictChoiceField("nope")
    with pytest.raises(TypeError):
        dict_fk(DictKind.TEAM_KIND, on_delete=models.CASCADE)
