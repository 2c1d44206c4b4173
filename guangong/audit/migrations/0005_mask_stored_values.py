"""Mask the phones, ID numbers and secrets that audit rows written before ``audit.masking``
hold in clear in their before/after values."""

from django.db import migrations

from guangong.audit.masking import mask_stored_rows


def mask_rows(apps, schema_editor):
    mask_stored_rows(apps.get_model("audit", "AuditLog"), apps)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_duplicate_probe_action"),
        # The models whose rows are masked, in their current shape (their phone fields).
        ("accounts", "0002_care_capability"),
        ("care", "0001_cases"),
        ("helpdesk", "0001_help_requests"),
        ("orgs", "0006_organization_phone_public"),
        ("people", "0004_list_index"),
    ]

    operations = [migrations.RunPython(mask_rows, migrations.RunPython.noop, elidable=True)]
