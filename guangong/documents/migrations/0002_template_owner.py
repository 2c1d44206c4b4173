"""Templates get an owner: the organisation whose subtree they serve (set by 0003)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_bulletins_and_summaries"),
        ("orgs", "0005_organization_import_batch"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="documenttemplate",
            name="owner",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="document_templates",
                to="orgs.organization",
                verbose_name="organisation",
            ),
        ),
    ]
