"""The built-in items come with the database, in their order, marked built in."""

from importlib import import_module

from django.apps import apps
from django.db import connection

from guangong.dicts.models import DictItem, DictKind

seed_migration = import_module("guangong.dicts.migrations.0001_squashed_0004_care_items")
info_migration = import_module("guangong.dicts.migrations.0002_info_kind")
meetings_migration = import_module("guangong.dicts.migrations.0003_member_unit_and_meeting_kinds")

EXPECTED = {
    DictKind.ELDER_CATEGORY: ["老干部", "老战士", "老专家", "老教师", "老模范"],
    DictKind.YOUTH_CATEGORY: [
        "青年职工",
        "在校学生",
        "留守儿童",
        "困境儿童",
        "外来务工青年及子女",
        "少数民族青年职工",
        "失足青少年",
    ],
    DictKind.TEAM_KIND: ["宣讲团", "专家顾问团", "心理健康关爱团队", "法治宣讲团", "志愿服务队"],
    DictKind.MENTORSHIP_GOAL: ["学国家通用语言", "学技术", "学法律", "学文化", "学管理"],
    DictKind.MENTORSHIP_OUTCOME: ["技能证书", "入党", "就业", "升学", "评优评先"],
    DictKind.SPECIALITY: [
        "宣讲",
        "法律",
        "心理咨询",
        "技术指导",
        "教育教学",
        "医疗健康",
        "文艺",
        "书画",
    ],
    DictKind.ACTIVITY_TYPE: [label for label, _group in seed_migration.ACTIVITY_TYPES],
    DictKind.CASE_KIND: seed_migration.SEEDS["case_kind"],
    DictKind.FUNDING_SOURCE: seed_migration.SEEDS["funding_source"],
    DictKind.INFO_KIND: info_migration.INFO_KINDS,
    DictKind.MEMBER_UNIT: meetings_migration.SEEDS["member_unit"],
    DictKind.MEETING_KIND: meetings_migration.SEEDS["meeting_kind"],
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
    assert groups == dict(seed_migration.ACTIVITY_TYPES)
    assert {
        "主题宣讲": "ideology",
        "金秋助学": "care",
        "招聘会": "service",
    }.items() <= groups.items()
    assert not DictItem.objects.exclude(kind=DictKind.ACTIVITY_TYPE).exclude(stat_group="").exists()
