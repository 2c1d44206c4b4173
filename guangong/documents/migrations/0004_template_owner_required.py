"""Every template has its owner (set by 0003), and an owner has at most one active template
of a kind."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0003_template_owner_assigned"),
    ]

    operations = [
        migrations.AlterField(
            model_name="documenttemplate",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="document_templates",
                to="orgs.organization",
                verbose_name="organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="documenttemplate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active", True)),
                fields=("owner", "kind"),
                name="document_template_one_active",
            ),
        ),
    ]
