"""The built-in dictionary items (seeded=True): renamable and deactivatable, never deletable.

Applying twice is harmless (an existing label is only marked built in). Reversing removes the
built-in items that nothing refers to and leaves the others, so it never breaks a record.
"""

from django.db import migrations
from django.db.models import ForeignObjectRel

from guangong.core.pinyin import search_key

SEEDS = {
    "elder_category": ["老干部", "老战士", "老专家", "老教师", "老模范"],
    "youth_category": [
        "青年职工",
        "在校学生",
        "留守儿童",
        "困境儿童",
        "外来务工青年及子女",
        "少数民族青年职工",
        "失足青少年",
    ],
    "team_kind": ["宣讲团", "专家顾问团", "心理健康关爱团队", "法治宣讲团", "志愿服务队"],
    "mentorship_goal": ["学国家通用语言", "学技术", "学法律", "学文化", "学管理"],
    "mentorship_outcome": ["技能证书", "入党", "就业", "升学", "评优评先"],
    "speciality": ["宣讲", "法律", "心理咨询", "技术指导", "教育教学", "医疗健康", "文艺", "书画"],
}


def seed(apps, schema_editor):
    DictItem = apps.get_model("dicts", "DictItem")
    db = schema_editor.connection.alias
    for kind, labels in SEEDS.items():
        for i, label in enumerate(labels, start=1):
            existing = DictItem.objects.using(db).filter(kind=kind, label=label)
            if existing.exists():
                existing.update(seeded=True)
                continue
            DictItem.objects.using(db).create(
                kind=kind,
                label=label,
                order=i * 10,
                active=True,
                seeded=True,
                search_text=search_key(label),
            )


def _in_use(item, db) -> bool:
    """Whether any row refers to ``item`` (foreign keys, including many-to-many link rows)."""
    for rel in item._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue
        manager = rel.related_model._base_manager.using(db)
        if manager.filter(**{rel.field.name: item}).exists():
            return True
    return False


def unseed(apps, schema_editor):
    DictItem = apps.get_model("dicts", "DictItem")
    db = schema_editor.connection.alias
    for kind, labels in SEEDS.items():
        for item in DictItem.objects.using(db).filter(kind=kind, label__in=labels, seeded=True):
            if not _in_use(item, db):
                item.delete()


class Migration(migrations.Migration):
    dependencies = [("dicts", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
