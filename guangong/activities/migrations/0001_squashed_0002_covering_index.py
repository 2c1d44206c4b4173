"""The activity ledger and its monthly figures."""

import django.db.models.deletion
import guangong.activities.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('activities', '0001_ledger'), ('activities', '0002_covering_index')]

    initial = True

    dependencies = [
        ('dicts', '0001_squashed_0004_care_items'),
        ('orgs', '0001_squashed_0006_organization_phone_public'),
        ('people', '0001_squashed_0004_list_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Activity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('date', models.DateField(db_index=True, verbose_name='date')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                ('participants', models.PositiveIntegerField(default=0, help_text='How many people took part, counted per attendance (人次).', verbose_name='participants (person-times)')),
                ('summary', models.TextField(blank=True, max_length=5000, verbose_name='summary')),
                ('search_text', models.CharField(blank=True, editable=False, max_length=500)),
                ('import_batch', models.CharField(blank=True, db_index=True, editable=False, max_length=32)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('audience', models.ForeignKey(blank=True, limit_choices_to={'kind': 'youth_category'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dicts.dictitem', verbose_name='audience')),
                ('co_organizers', models.ManyToManyField(blank=True, related_name='co_organized_activities', to='orgs.organization', verbose_name='co-organisers')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='orgs.organization', verbose_name='organisation')),
                ('teams', models.ManyToManyField(blank=True, related_name='activities', to='people.team', verbose_name='teams')),
                ('type', models.ForeignKey(limit_choices_to={'kind': 'activity_type'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dicts.dictitem', verbose_name='activity type')),
                ('youths', models.ManyToManyField(blank=True, related_name='activities', to='people.youth', verbose_name='named participants')),
            ],
            options={
                'verbose_name': 'activity',
                'verbose_name_plural': 'activities',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ActivityAttachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('photo', 'Photo'), ('document', 'Document')], max_length=10, verbose_name='kind')),
                ('file', models.FileField(max_length=255, upload_to=guangong.activities.models.attachment_path, verbose_name='file')),
                ('name', models.CharField(max_length=200, verbose_name='file name')),
                ('size', models.PositiveIntegerField(default=0, verbose_name='size in bytes')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='activities.activity')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'attachment',
                'verbose_name_plural': 'attachments',
                'ordering': ['kind', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ActivityElder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hours', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='service hours')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='elder_links', to='activities.activity')),
                ('elder', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.elder')),
            ],
            options={
                'verbose_name': 'elder at an activity',
                'verbose_name_plural': 'elders at activities',
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='elders',
            field=models.ManyToManyField(blank=True, related_name='activities', through='activities.ActivityElder', to='people.elder', verbose_name='elders'),
        ),
        migrations.CreateModel(
            name='ActivityMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('sessions', models.IntegerField(default=0)),
                ('participants', models.BigIntegerField(default=0)),
                ('elder_times', models.IntegerField(default=0)),
                ('hours', models.DecimalField(decimal_places=1, default=0, max_digits=14)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='dicts.dictitem')),
            ],
        ),
        migrations.CreateModel(
            name='EngagedElders',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('bits', models.BinaryField(default=b'')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
            ],
        ),
        migrations.AddConstraint(
            model_name='activityelder',
            constraint=models.UniqueConstraint(fields=('activity', 'elder'), name='activity_elder_unique'),
        ),
        migrations.AddConstraint(
            model_name='activityelder',
            constraint=models.CheckConstraint(condition=models.Q(('hours__gte', 0)), name='activity_hours_gte_0'),
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(fields=['organization', 'date'], name='activity_org_date'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('date')), _connector='OR'), name='activity_end_after_start'),
        ),
        migrations.AddConstraint(
            model_name='activitymonth',
            constraint=models.UniqueConstraint(fields=('organization', 'month', 'type'), name='activity_month_unique'),
        ),
        migrations.AddConstraint(
            model_name='engagedelders',
            constraint=models.UniqueConstraint(fields=('organization', 'month'), name='engaged_elders_unique'),
        ),
        migrations.AddIndex(
            model_name='activitymonth',
            index=models.Index(fields=['organization', 'month'], include=('type', 'sessions', 'participants', 'elder_times', 'hours'), name='activity_month_cover'),
        ),
    ]
