"""Care case kinds (五助 and the rest) and funding sources, seeded."""

from django.db import migrations, models

from guangong.core.pinyin import search_key

SEEDS = {
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
        for i, label in enumerate(labels, start=1):
            DictItem.objects.using(db).update_or_create(
                kind=kind,
                label=label,
                defaults={"seeded": True},
                create_defaults={
                    "order": i * 10,
                    "active": True,
                    "seeded": True,
                    "search_text": search_key(label),
                },
            )


def unseed(apps, schema_editor):
    DictItem = apps.get_model("dicts", "DictItem")
    db = schema_editor.connection.alias
    DictItem.objects.using(db).filter(kind__in=list(SEEDS), seeded=True).delete()


class Migration(migrations.Migration):
    dependencies = [("dicts", "0003_activity_types")]

    operations = [
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
                    ("case_kind", "Care case kind"),
                    ("funding_source", "Funding source"),
                ],
                max_length=30,
                verbose_name="dictionary",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
