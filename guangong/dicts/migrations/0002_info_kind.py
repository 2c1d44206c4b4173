"""The dictionary of information item kinds (信息报送: 工作动态, 经验做法, 五老典型), built in."""

from django.db import migrations, models

from guangong.core.pinyin import search_key

INFO_KINDS = ["工作动态", "经验做法", "五老典型"]


def seed(apps, schema_editor):
    DictItem = apps.get_model("dicts", "DictItem")
    db = schema_editor.connection.alias
    for i, label in enumerate(INFO_KINDS, start=1):
        existing = DictItem.objects.using(db).filter(kind="info_kind", label=label)
        if existing.exists():
            existing.update(seeded=True)
            continue
        DictItem.objects.using(db).create(
            kind="info_kind",
            label=label,
            order=i * 10,
            active=True,
            seeded=True,
            search_text=search_key(label),
        )


def unseed(apps, schema_editor):
    DictItem = apps.get_model("dicts", "DictItem")
    db = schema_editor.connection.alias
    for item in DictItem.objects.using(db).filter(kind="info_kind", seeded=True):
        try:
            item.delete()
        except models.ProtectedError:
            continue


class Migration(migrations.Migration):
    dependencies = [("dicts", "0001_squashed_0004_care_items")]

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
                    ("info_kind", "Information item kind"),
                ],
                max_length=30,
                verbose_name="dictionary",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
