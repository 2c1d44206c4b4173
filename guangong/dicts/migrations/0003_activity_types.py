"""Activity types (a dictionary whose items carry a statistical group), seeded."""

from django.db import migrations, models

from guangong.core.pinyin import search_key

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


def seed(apps, schema_editor):
    DictItem = apps.get_model("dicts", "DictItem")
    db = schema_editor.connection.alias
    for i, (label, group) in enumerate(ACTIVITY_TYPES, start=1):
        item, created = DictItem.objects.using(db).get_or_create(
            kind="activity_type",
            label=label,
            defaults={
                "order": i * 10,
                "active": True,
                "seeded": True,
                "stat_group": group,
                "search_text": search_key(label),
            },
        )
        if not created:
            item.seeded = True
            item.stat_group = item.stat_group or group
            item.save(update_fields=["seeded", "stat_group"])


def unseed(apps, schema_editor):
    DictItem = apps.get_model("dicts", "DictItem")
    db = schema_editor.connection.alias
    DictItem.objects.using(db).filter(kind="activity_type", seeded=True).delete()


class Migration(migrations.Migration):
    dependencies = [("dicts", "0002_seed_items")]

    operations = [
        migrations.AddField(
            model_name="dictitem",
            name="stat_group",
            field=models.CharField(
                blank=True,
                choices=[
                    ("ideology", "Ideological guidance"),
                    ("care", "Care and assistance"),
                    ("growth", "Growth and development"),
                    ("service", "Serving the overall situation"),
                    ("organisation", "Organisation building"),
                ],
                help_text="Activity types only: the group their activities are counted under.",
                max_length=20,
                verbose_name="statistical group",
            ),
        ),
        migrations.AlterField(
            model_name="dictitem",
            name="kind",
            field=models.CharField(
                choices=[
                    ("elder_category", "Five-elders category"),
                    ("youth_category", "Youth category"),
                    ("team_kind", "Team kind"),
                    ("mentorship_goal", "Mentorship goal"),
                    ("mentorship_outcome", "Mentorship outcome"),
                    ("speciality", "Speciality"),
                    ("activity_type", "Activity type"),
                ],
                max_length=30,
                verbose_name="dictionary",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
