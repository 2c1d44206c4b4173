"""The dictionaries and their built-in items (seeded=True): renamable and deactivatable, never
deletable.

Seeding twice is harmless: an existing label is only marked built in (and an activity type
without a statistical group gets its group). Reversing removes the built-in items that nothing
refers to and leaves the others, so it never breaks a record.
"""

from django.db import migrations, models
from django.db.models import ForeignObjectRel

from guangong.core.pinyin import search_key

# Activity types carry the statistical group their activities are counted under.
ACTIVITY_TYPES = [
    ("主题宣讲", "ideology"),
    ("红色教育", "ideology"),
    ("参观学习", "ideology"),
    ("技能培训/讲座", "growth"),
    ("传帮带", "growth"),
    ("关爱帮扶", "care"),
    ("金秋助学", "care"),
    ("法律援助", "care"),
    ("心理疏导", "care"),
    ("法治教育", "ideology"),
    ("家庭教育/家长学校", "growth"),
    ("文体活动", "growth"),
    ("座谈会", "organisation"),
    ("招聘会", "service"),
    ("志愿服务", "service"),
    ("其他", "service"),
]

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
    "activity_type": [label for label, _group in ACTIVITY_TYPES],
    # Care case kinds (五助 and the rest) and funding sources.
    "case_kind": [
        "助学",
        "助困",
        "助残",
        "助孤",
        "助医",
        "金秋助学",
        "法律援助",
        "心理疏导",
        "留守儿童关爱",
        "帮教",
    ],
    "funding_source": ["财政资金", "关工委自筹", "社会捐助", "企业资助", "其他"],
}


def seed(apps, schema_editor):
    DictItem = apps.get_model("dicts", "DictItem")
    db = schema_editor.connection.alias
    for kind, labels in SEEDS.items():
        groups = dict(ACTIVITY_TYPES) if kind == "activity_type" else {}
        for i, label in enumerate(labels, start=1):
            group = groups.get(label, "")
            existing = DictItem.objects.using(db).filter(kind=kind, label=label)
            if existing.exists():
                existing.update(seeded=True)
                if group:
                    existing.filter(stat_group="").update(stat_group=group)
                continue
            DictItem.objects.using(db).create(
                kind=kind,
                label=label,
                order=i * 10,
                active=True,
                seeded=True,
                stat_group=group,
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

    replaces = [('dicts', '0001_initial'), ('dicts', '0002_seed_items'), ('dicts', '0003_activity_types'), ('dicts', '0004_care_items')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='DictItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('elder_category', 'Five-elders category'), ('youth_category', 'Youth category'), ('team_kind', 'Team kind'), ('mentorship_goal', 'Mentorship goal'), ('mentorship_outcome', 'Mentorship outcome'), ('speciality', 'Speciality'), ('activity_type', 'Activity type'), ('case_kind', 'Care case kind'), ('funding_source', 'Funding source')], max_length=30, verbose_name='dictionary')),
                ('label', models.CharField(max_length=50, verbose_name='label')),
                ('order', models.PositiveSmallIntegerField(default=100, help_text='Items are listed by this number, smallest first.', verbose_name='order')),
                ('active', models.BooleanField(default=True, help_text='Inactive items are not offered for new entries.', verbose_name='active')),
                ('seeded', models.BooleanField(default=False, editable=False, verbose_name='built in')),
                ('search_text', models.CharField(blank=True, editable=False, max_length=500)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('stat_group', models.CharField(blank=True, choices=[('ideology', 'Ideological guidance'), ('care', 'Care and assistance'), ('growth', 'Growth and development'), ('service', 'Serving the overall situation'), ('organisation', 'Organisation building')], help_text='Activity types only: the group their activities are counted under.', max_length=20, verbose_name='statistical group')),
            ],
            options={
                'verbose_name': 'dictionary item',
                'verbose_name_plural': 'dictionary items',
                'ordering': ['kind', 'order', 'id'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'label'), name='dict_item_unique_label')],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
