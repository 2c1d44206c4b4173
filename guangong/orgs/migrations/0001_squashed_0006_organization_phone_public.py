"""The organisation tree, its leadership positions and the per-subtree counts of organisations."""

import django.db.models.deletion
import guangong.core.validators
from django.db import migrations, models


def fill_subtree_counts(apps, schema_editor):
    """Count every existing subtree once; the services keep the counts current afterwards."""
    from collections import Counter

    Organization = apps.get_model("orgs", "Organization")
    SubtreeCount = apps.get_model("orgs", "SubtreeCount")
    ids = dict(Organization.objects.values_list("path", "pk"))
    totals = Counter()
    for path, kind, status in Organization.objects.values_list("path", "kind", "status"):
        for i in range(4, len(path) + 1, 4):
            totals[(ids[path[:i]], kind, status)] += 1
    SubtreeCount.objects.bulk_create(
        [
            SubtreeCount(organization_id=pk, kind=kind, status=status, n=n)
            for (pk, kind, status), n in totals.items()
        ],
        batch_size=5000,
    )


class Migration(migrations.Migration):

    replaces = [('orgs', '0001_initial'), ('orgs', '0002_position_verbose_names'), ('orgs', '0003_subtree_counts'), ('orgs', '0004_depth_path_index'), ('orgs', '0005_organization_import_batch'), ('orgs', '0006_organization_phone_public')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('path', models.CharField(max_length=255, unique=True)),
                ('depth', models.PositiveIntegerField()),
                ('numchild', models.PositiveIntegerField(default=0)),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('short_name', models.CharField(blank=True, max_length=50, verbose_name='short name')),
                ('kind', models.CharField(choices=[('province', 'Province'), ('city', 'City / prefecture'), ('county', 'County / district'), ('township', 'Township / subdistrict'), ('village', 'Village / community'), ('agency', 'Government agency'), ('soe', 'State-owned enterprise'), ('private', 'Private enterprise'), ('park', 'Industrial park'), ('chamber', 'Chamber of commerce'), ('school', 'School'), ('social', 'Social organisation'), ('joint', 'Joint committee')], max_length=12, verbose_name='kind')),
                ('division_code', models.CharField(blank=True, error_messages={'unique': 'Another organisation already has this division code.'}, help_text='GB/T 2260 code (6 digits) or 12-digit statistical code; regions only.', max_length=12, null=True, unique=True, validators=[guangong.core.validators.validate_division_code], verbose_name='division code')),
                ('status', models.CharField(choices=[('none', 'Not established'), ('preparing', 'Being established'), ('established', 'Established'), ('consolidated', 'Consolidated (five-good)')], default='none', max_length=12, verbose_name='committee status')),
                ('status_since', models.DateField(blank=True, null=True, verbose_name='status since')),
                ('established_on', models.DateField(blank=True, null=True, verbose_name='established on')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='address')),
                ('contact_person', models.CharField(blank=True, max_length=50, verbose_name='contact person')),
                ('contact_phone', models.CharField(blank=True, max_length=20, validators=[guangong.core.validators.validate_phone], verbose_name='contact phone')),
                ('notes', models.TextField(blank=True, max_length=2000, verbose_name='notes')),
                ('search_text', models.CharField(blank=True, editable=False, max_length=500)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('import_batch', models.CharField(blank=True, db_index=True, editable=False, max_length=32, null=True, verbose_name='import batch')),
                ('phone_public', models.BooleanField(default=False, help_text='Tick only for a public office line: it is then shown in full to everyone who can see this organisation. Otherwise it is shown masked to users who may not reveal sensitive fields.', verbose_name='contact phone is public')),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'indexes': [models.Index(fields=['path', 'kind', 'status'], name='org_path_kind_status'), models.Index(fields=['kind'], name='org_kind'), models.Index(fields=['depth', 'path'], name='org_depth_path')],
            },
        ),
        migrations.CreateModel(
            name='Position',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='name')),
                ('role', models.CharField(choices=[('director', 'Director'), ('executive_deputy', 'Executive deputy director'), ('deputy', 'Deputy director'), ('secretary_general', 'Secretary-general'), ('member', 'Member')], max_length=20, verbose_name='post')),
                ('source', models.CharField(choices=[('serving', 'Serving leader'), ('elder', 'Five-elders volunteer'), ('party_worker', 'Party-building officer')], max_length=20, verbose_name='source')),
                ('phone', models.CharField(blank=True, max_length=20, validators=[guangong.core.validators.validate_phone], verbose_name='phone')),
                ('start_date', models.DateField(blank=True, null=True, verbose_name='start date')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='positions', to='orgs.organization', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'leadership position',
                'verbose_name_plural': 'leadership positions',
                'ordering': ['organization', 'role', 'name'],
                'indexes': [models.Index(fields=['role', 'end_date', 'start_date'], name='position_role_term')],
            },
        ),
        migrations.CreateModel(
            name='SubtreeCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('province', 'Province'), ('city', 'City / prefecture'), ('county', 'County / district'), ('township', 'Township / subdistrict'), ('village', 'Village / community'), ('agency', 'Government agency'), ('soe', 'State-owned enterprise'), ('private', 'Private enterprise'), ('park', 'Industrial park'), ('chamber', 'Chamber of commerce'), ('school', 'School'), ('social', 'Social organisation'), ('joint', 'Joint committee')], max_length=12)),
                ('status', models.CharField(choices=[('none', 'Not established'), ('preparing', 'Being established'), ('established', 'Established'), ('consolidated', 'Consolidated (five-good)')], max_length=12)),
                ('n', models.IntegerField(default=0)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subtree_counts', to='orgs.organization')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('organization', 'kind', 'status'), name='subtree_count_unique')],
            },
        ),
        migrations.RunPython(fill_subtree_counts, migrations.RunPython.noop),
    ]
