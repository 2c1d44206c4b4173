"""The built-in items come with the database, in their order, marked built in."""

from importlib import import_module

from django.apps import apps
from django.db import connection

from guangong.dicts.models import DictItem, DictKind

seed_migration = import_module("guangong.dicts.migrations.0002_seed_items")
activity_types = import_module("guangong.dicts.migrations.0003_activity_types")
care_items = import_module("guangong.dicts.migrations.0004_care_items")

#: What the seeding migrations say each dictionary starts with, in order.
EXPECTED = {
    **{DictKind(kind): labels for kind, labels in seed_migration.SEEDS.items()},
    DictKind.ACTIVITY_TYPE: [label for label, _group in activity_types.ACTIVITY_TYPES],
    DictKind.CASE_KIND: care_items.SEEDS["case_kind"],
    DictKind.FUNDING_SOURCE: care_items.SEEDS["funding_source"],
}


class Editor:
    """What the migration functions read from a schema editor."""

    connection = connection


def test_every_dictionary_holds_its_built_in_items_in_order(db):
    for kind, labels in EXPECTED.items():
        items = list(DictItem.objects.of(kind))
        assert [i.label for i in items] == labels
        assert all(i.seeded and i.active for i in items)
        assert [i.order for i in items] == sorted(i.order for i in items)


def test_no_other_items_are_seeded(db):
    assert DictItem.objects.count() == sum(len(v) for v in EXPECTED.values())
    assert set(DictItem.objects.values_list("kind", flat=True)) == set(DictKind.values)


def test_built_in_items_are_found_by_pinyin(db):
    found = DictItem.objects.of(DictKind.YOUTH_CATEGORY).search("lset")
    assert list(found.values_list("label", flat=True)) == ["留守儿童"]


def test_reversing_removes_only_unused_built_in_items_and_reapplying_restores_them(db, fresh):
    renamed = DictItem.objects.get(kind=DictKind.ELDER_CATEGORY, label="老模范")
    renamed.active = False
    renamed.save()

    seed_migration.unseed(apps, Editor)

    # activity types, case kinds and funding sources are seeded by later migrations
    others = DictItem.objects.filter(kind__in=seed_migration.SEEDS)
    assert list(others) == [fresh]

    seed_migration.seed(apps, Editor)
    seed_migration.seed(apps, Editor)  # applying twice adds nothing

    assert DictItem.objects.filter(seeded=True).count() == sum(len(v) for v in EXPECTED.values())
    assert DictItem.objects.filter(seeded=False).get() == fresh


def test_seeding_marks_an_existing_label_built_in_without_duplicating_it(db):
    item = DictItem.objects.get(kind=DictKind.SPECIALITY, label="文艺")
    DictItem.objects.filter(pk=item.pk).update(seeded=False, order=5)

    seed_migration.seed(apps, Editor)

    item.refresh_from_db()
    assert (item.seeded, item.order) == (True, 5)
    assert DictItem.objects.filter(kind=DictKind.SPECIALITY, label="文艺").count() == 1


def test_every_activity_type_belongs_to_a_statistical_group(db):
    groups = dict(DictItem.objects.of(DictKind.ACTIVITY_TYPE).values_list("label", "stat_group"))
    assert groups == dict(activity_types.ACTIVITY_TYPES)
    assert {
        "主题宣讲": "ideology",
        "金秋助学": "care",
        "招聘会": "service",
    }.items() <= groups.items()
    assert not DictItem.objects.exclude(kind=DictKind.ACTIVITY_TYPE).exclude(stat_group="").exists()
