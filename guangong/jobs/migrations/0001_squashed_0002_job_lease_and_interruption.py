"""Background jobs."""

import django.db.models.deletion
import guangong.jobs.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('jobs', '0001_initial'), ('jobs', '0002_job_lease_and_interruption')]

    initial = True

    dependencies = [
        ('orgs', '0001_squashed_0006_organization_phone_public'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Job',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('kind', models.CharField(max_length=64, verbose_name='kind')),
                ('status', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Running'), ('succeeded', 'Finished'), ('failed', 'Failed'), ('cancelled', 'Cancelled'), ('interrupted', 'Interrupted')], default='pending', max_length=12, verbose_name='status')),
                ('progress', models.PositiveIntegerField(default=0, verbose_name='progress')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='total')),
                ('message', models.CharField(blank=True, max_length=500, verbose_name='message')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('input_file', models.FileField(blank=True, max_length=255, upload_to=guangong.jobs.models.job_file_path, verbose_name='uploaded file')),
                ('result_file', models.FileField(blank=True, max_length=255, upload_to=guangong.jobs.models.job_file_path, verbose_name='result file')),
                ('params', models.JSONField(blank=True, default=dict, verbose_name='parameters')),
                ('summary', models.JSONField(blank=True, default=dict, verbose_name='summary')),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='jobs', to='orgs.organization', verbose_name='organisation')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='jobs', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('enqueued_at', models.DateTimeField(blank=True, null=True, verbose_name='queued')),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='last heartbeat')),
            ],
            options={
                'verbose_name': 'background job',
                'verbose_name_plural': 'background jobs',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['user', '-created_at'], name='job_user_created'), models.Index(fields=['status', 'created_at'], name='job_status_created')],
            },
        ),
    ]
