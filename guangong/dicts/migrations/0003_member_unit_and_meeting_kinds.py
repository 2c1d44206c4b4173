"""Two dictionaries for meetings and their follow-up (``meetings``): the kinds of member unit
(成员单位) and the kinds of meeting, with their built-in items. Seeding is the first
migration's (an existing label is only marked built in; reversing keeps items in use)."""

from django.db import migrations, models

SEEDS = {
    "member_unit": [
        "组织部",
        "宣传部",
        "党委社会工作部",
        "老干部局",
        "教育局",
        "民政局",
        "司法局",
        "人社局",
        "国资委",
        "工商联",
        "工会",
        "团委",
        "妇联",
        "科协",
        "关工委成员单位（其他）",
    ],
    "meeting_kind": ["联席会议", "全体会议", "主任办公会", "推进会", "座谈会", "例会", "议事协商会"],
}


def seed(apps, schema_editor):
    from importlib import import_module

    first = import_module("guangong.dicts.migrations.0001_squashed_0004_care_items")
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
                search_text=first.search_key(label),
            )


def unseed(apps, schema_editor):
    from importlib import import_module

    first = import_module("guangong.dicts.migrations.0001_squashed_0004_care_items")
    DictItem = apps.get_model("dicts", "DictItem")
    db = schema_editor.connection.alias
    for kind, labels in SEEDS.items():
        for item in DictItem.objects.using(db).filter(kind=kind, label__in=labels, seeded=True):
            if not first._in_use(item, db):
                item.delete()


class Migration(migrations.Migration):
    dependencies = [("dicts", "0002_info_kind")]

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
                    ("member_unit", "Member unit kind"),
                    ("meeting_kind", "Meeting kind"),
                ],
                max_length=30,
                verbose_name="dictionary",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
