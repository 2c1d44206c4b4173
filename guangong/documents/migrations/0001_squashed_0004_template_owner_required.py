"""Work bulletins, work summaries, the documents generated from them and the templates they are
generated with.

A template belongs to an organisation and serves only its subtree. Templates uploaded before
they had an owner became owned by the organisation of the administrator who uploaded them (or
by the root of the tree); of several active templates of one kind that came to share an owner,
the newest stayed active.
"""

import django.db.models.deletion
import guangong.documents.models
from django.conf import settings
from django.db import migrations, models


def assign_owners(apps, schema_editor):
    Template = apps.get_model("documents", "DocumentTemplate")
    Organization = apps.get_model("orgs", "Organization")
    root = Organization.objects.filter(depth=1).order_by("path").first()
    for template in Template.objects.select_related("uploaded_by").order_by("created_at", "pk"):
        owner_id = getattr(template.uploaded_by, "organization_id", None) or (
            root.pk if root is not None else None
        )
        if owner_id is None:
            template.delete()
            continue
        template.owner_id = owner_id
        template.save(update_fields=["owner"])
    seen = set()
    for template in Template.objects.filter(active=True).order_by("-created_at", "-pk"):
        key = (template.owner_id, template.kind)
        if key in seen:
            template.active = False
            template.save(update_fields=["active"])
        seen.add(key)


class Migration(migrations.Migration):

    replaces = [('documents', '0001_bulletins_and_summaries'), ('documents', '0002_template_owner'), ('documents', '0003_template_owner_assigned'), ('documents', '0004_template_owner_required')]

    initial = True

    dependencies = [
        ('orgs', '0001_squashed_0006_organization_phone_public'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Bulletin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='bulletin name')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('issue_no', models.PositiveIntegerField(verbose_name='issue')),
                ('cumulative_no', models.PositiveIntegerField(verbose_name='cumulative issue')),
                ('date', models.DateField(verbose_name='date')),
                ('title', models.CharField(max_length=200, verbose_name='headline')),
                ('sections', models.JSONField(blank=True, default=list, verbose_name='sections')),
                ('report_to', models.CharField(blank=True, max_length=300, verbose_name='报 (reported to)')),
                ('send_to', models.CharField(blank=True, max_length=300, verbose_name='送 (sent to)')),
                ('issue_to', models.CharField(blank=True, max_length=300, verbose_name='发 (issued to)')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('issued', 'Issued')], default='draft', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bulletins', to='orgs.organization', verbose_name='issued by')),
            ],
            options={
                'verbose_name': 'work bulletin',
                'verbose_name_plural': 'work bulletins',
                'ordering': ['-year', '-issue_no'],
            },
        ),
        migrations.CreateModel(
            name='DocumentTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('bulletin', 'Work bulletin'), ('summary', 'Work summary')], max_length=10, verbose_name='for')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('file', models.FileField(max_length=255, upload_to=guangong.documents.models.template_path, verbose_name='file')),
                ('active', models.BooleanField(default=True, verbose_name='in use')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('owner', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='document_templates', to='orgs.organization', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'document template',
                'verbose_name_plural': 'document templates',
                'ordering': ['kind', '-created_at'],
            },
        ),
        migrations.CreateModel(
            name='WorkSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_start', models.DateField(verbose_name='from')),
                ('period_end', models.DateField(verbose_name='to')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('sections', models.JSONField(blank=True, default=list, verbose_name='sections')),
                ('figures', models.JSONField(blank=True, default=dict, verbose_name='figures drafted from')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('issued', 'Issued')], default='draft', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='work_summaries', to='orgs.organization', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'work summary',
                'verbose_name_plural': 'work summaries',
                'ordering': ['-period_end', '-id'],
            },
        ),
        migrations.CreateModel(
            name='GeneratedDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('bulletin', 'Work bulletin'), ('summary', 'Work summary')], max_length=10, verbose_name='document')),
                ('format', models.CharField(choices=[('docx', 'Word (.docx)'), ('pdf', 'PDF')], max_length=4, verbose_name='format')),
                ('label', models.CharField(max_length=200, verbose_name='name')),
                ('file', models.FileField(max_length=255, upload_to='documents/generated/%Y/%m/', verbose_name='file')),
                ('size', models.PositiveIntegerField(default=0, verbose_name='size in bytes')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='generated')),
                ('bulletin', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='files', to='documents.bulletin')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='generated_documents', to='orgs.organization')),
                ('summary', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='files', to='documents.worksummary')),
            ],
            options={
                'verbose_name': 'generated document',
                'verbose_name_plural': 'generated documents',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddConstraint(
            model_name='bulletin',
            constraint=models.UniqueConstraint(fields=('organization', 'year', 'issue_no'), name='bulletin_unique_issue'),
        ),
        migrations.RunPython(assign_owners, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='documenttemplate',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='document_templates', to='orgs.organization', verbose_name='organisation'),
        ),
        migrations.AddConstraint(
            model_name='documenttemplate',
            constraint=models.UniqueConstraint(condition=models.Q(('active', True)), fields=('owner', 'kind'), name='document_template_one_active'),
        ),
    ]
