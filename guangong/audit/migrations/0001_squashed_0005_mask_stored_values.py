"""The audit log."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    # 0005 masked the values of rows written before audit.masking existed, once (elided: a new
    # database has no such rows, and ``guangong mask_audit_log`` does the same).
    replaces = [('audit', '0001_initial'), ('audit', '0002_request_id_label'), ('audit', '0003_plain_indexes'), ('audit', '0004_duplicate_probe_action'), ('audit', '0005_mask_stored_values')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('time', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='time')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='user name')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                ('request_id', models.CharField(blank=True, max_length=64, verbose_name='request ID')),
                ('action', models.CharField(choices=[('create', 'Create'), ('update', 'Update'), ('delete', 'Delete'), ('move', 'Move'), ('login', 'Log in'), ('logout', 'Log out'), ('login_failed', 'Failed login'), ('reveal', 'Reveal sensitive field'), ('export', 'Export'), ('password', 'Password change'), ('token', 'API token issued'), ('duplicate_probe', 'Duplicate check hit')], max_length=20, verbose_name='action')),
                ('object_type', models.CharField(blank=True, max_length=100, verbose_name='object type')),
                ('object_id', models.CharField(blank=True, max_length=64, verbose_name='object id')),
                ('object_repr', models.CharField(blank=True, max_length=200, verbose_name='object')),
                ('parent_type', models.CharField(blank=True, max_length=100, verbose_name='parent type')),
                ('parent_id', models.CharField(blank=True, max_length=64, verbose_name='parent id')),
                ('parent_repr', models.CharField(blank=True, max_length=200, verbose_name='parent')),
                ('org_path', models.CharField(blank=True, max_length=255)),
                ('before', models.JSONField(blank=True, null=True, verbose_name='before')),
                ('after', models.JSONField(blank=True, null=True, verbose_name='after')),
                ('message', models.CharField(blank=True, max_length=500, verbose_name='message')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'audit record',
                'verbose_name_plural': 'audit records',
                'ordering': ['-time', '-id'],
                'indexes': [models.Index(fields=['object_type', 'object_id'], name='audit_object'), models.Index(fields=['action'], name='audit_action'), models.Index(fields=['org_path'], name='audit_org_path')],
            },
        ),
    ]
