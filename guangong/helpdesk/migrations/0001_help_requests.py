import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('care', '0001_cases'),
        ('dicts', '0001_squashed_0004_care_items'),
        ('orgs', '0001_squashed_0006_organization_phone_public'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HelpRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(editable=False, max_length=16, unique=True, verbose_name='tracking code')),
                ('description', models.TextField(max_length=2000, verbose_name='what help is needed')),
                ('requester_name', models.CharField(blank=True, max_length=50, verbose_name="requester's name")),
                ('phone_enc', models.TextField(editable=False)),
                ('phone_hash', models.CharField(db_index=True, editable=False, max_length=64)),
                ('phone_masked', models.CharField(editable=False, max_length=20, verbose_name='phone')),
                ('relation', models.CharField(choices=[('self', 'Myself'), ('parent', 'Parent'), ('other', 'Other')], default='self', max_length=10, verbose_name='requester is')),
                ('youth_age', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(40)], verbose_name='age of the young person')),
                ('consent_version', models.CharField(max_length=20, verbose_name='consent text version')),
                ('consent_at', models.DateTimeField(verbose_name='consent given')),
                ('status', models.CharField(choices=[('new', 'Submitted'), ('in_progress', 'In progress'), ('referred', 'Referred'), ('replied', 'Replied'), ('closed', 'Closed'), ('converted', 'Turned into a care case')], default='new', max_length=12, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='submitted')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('addressed_to', models.ForeignKey(help_text='The organisation the requester chose.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='addressed to')),
                ('assigned_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='care worker')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='help_requests', to='care.case', verbose_name='care case')),
                ('kind', models.ForeignKey(limit_choices_to={'kind': 'case_kind'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dicts.dictitem', verbose_name='kind of help')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='help_requests', to='orgs.organization', verbose_name='handled by')),
            ],
            options={
                'verbose_name': 'help request',
                'verbose_name_plural': 'help requests',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='HelpReply',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=2000, verbose_name='text')),
                ('public', models.BooleanField(default=True, help_text='Public replies are shown to the requester; the others are internal notes.', verbose_name='visible to the requester')),
                ('author_name', models.CharField(max_length=150, verbose_name='written by')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='time')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='helpdesk.helprequest')),
            ],
            options={
                'verbose_name': 'reply',
                'verbose_name_plural': 'replies',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HelpReferral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('by_name', models.CharField(max_length=150, verbose_name='referred by')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='time')),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('from_org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='referred from')),
                ('to_org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='referred to')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referrals', to='helpdesk.helprequest')),
            ],
            options={
                'verbose_name': 'referral',
                'verbose_name_plural': 'referrals',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='helprequest',
            index=models.Index(fields=['organization', 'status'], name='help_org_status'),
        ),
    ]
