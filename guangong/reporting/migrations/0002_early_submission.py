"""A report form may allow submission before its period ends (off by default)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_forms_and_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportform",
            name="early_submission",
            field=models.BooleanField(
                default=False,
                help_text="Off: a report is submitted once its period is over, so its computed figures cover the whole period.",
                verbose_name="may be submitted before the period ends",
            ),
        ),
    ]
