import django.db.models.deletion
import guangong.care.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dicts', '0001_squashed_0004_care_items'),
        ('orgs', '0001_squashed_0006_organization_phone_public'),
        ('people', '0001_squashed_0004_list_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Case',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(editable=False, max_length=20, unique=True, verbose_name='case number')),
                ('situation', models.TextField(blank=True, max_length=5000, verbose_name='situation')),
                ('address_enc', models.TextField(blank=True, editable=False)),
                ('family_situation_enc', models.TextField(blank=True, editable=False)),
                ('health_enc', models.TextField(blank=True, editable=False)),
                ('assessment', models.TextField(blank=True, max_length=5000, verbose_name='assessment')),
                ('plan', models.TextField(blank=True, max_length=5000, verbose_name='plan of help')),
                ('amount_requested', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='amount requested (yuan)')),
                ('amount_approved', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='amount approved (yuan)')),
                ('amount_disbursed', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='amount disbursed (yuan)')),
                ('disbursed_on', models.DateField(blank=True, null=True, verbose_name='disbursed on')),
                ('consent_by', models.CharField(blank=True, max_length=50, verbose_name='consent given by')),
                ('consent_relation', models.CharField(blank=True, max_length=20, verbose_name='relation to the child')),
                ('consent_on', models.DateField(blank=True, null=True, verbose_name='consent date')),
                ('consent_note', models.CharField(blank=True, max_length=200, verbose_name='how consent was given')),
                ('status', models.CharField(choices=[('registered', 'Registration'), ('assessment', 'Assessment'), ('approval', 'Approval'), ('implementation', 'Implementation / disbursement'), ('follow_up', 'Follow-up'), ('closed', 'Closed')], default='registered', max_length=20, verbose_name='stage')),
                ('opened_on', models.DateField(verbose_name='opened on')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                ('anonymised_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='anonymised')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('care_worker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='care_cases', to=settings.AUTH_USER_MODEL, verbose_name='responsible care worker')),
                ('created_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('elders', models.ManyToManyField(blank=True, related_name='care_cases', to='people.elder', verbose_name='helping elders')),
                ('funding_source', models.ForeignKey(blank=True, limit_choices_to={'kind': 'funding_source'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dicts.dictitem', verbose_name='funding source')),
                ('kind', models.ForeignKey(limit_choices_to={'kind': 'case_kind'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dicts.dictitem', verbose_name='kind of help')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_cases', to='orgs.organization', verbose_name='organisation')),
                ('teams', models.ManyToManyField(blank=True, related_name='care_cases', to='people.team', verbose_name='helping teams')),
                ('youth', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='care_cases', to='people.youth', verbose_name='person helped')),
            ],
            options={
                'verbose_name': 'care case',
                'verbose_name_plural': 'care cases',
                'ordering': ['-opened_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('photo', 'Photo'), ('document', 'Document')], max_length=10, verbose_name='kind')),
                ('file', models.FileField(max_length=255, upload_to=guangong.care.models.case_file_path, verbose_name='file')),
                ('name', models.CharField(max_length=200, verbose_name='file name')),
                ('size', models.PositiveIntegerField(default=0, verbose_name='size in bytes')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='care.case')),
            ],
            options={
                'verbose_name': 'case attachment',
                'verbose_name_plural': 'case attachments',
                'ordering': ['kind', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Access',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('case_number', models.CharField(blank=True, max_length=20, verbose_name='case number')),
                ('org_path', models.CharField(db_index=True, max_length=255)),
                ('username', models.CharField(max_length=150, verbose_name='user')),
                ('kind', models.CharField(choices=[('open', 'Opened'), ('reveal', 'Revealed'), ('export', 'Exported'), ('download', 'Downloaded')], max_length=10, verbose_name='access')),
                ('detail', models.CharField(blank=True, max_length=200, verbose_name='what')),
                ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                ('request_id', models.CharField(blank=True, max_length=64)),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='time')),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='accesses', to='care.case')),
            ],
            options={
                'verbose_name': 'case access',
                'verbose_name_plural': 'case access log',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('content', models.TextField(max_length=3000, verbose_name='what was found')),
                ('visitor', models.CharField(blank=True, max_length=100, verbose_name='visited by')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='care.case')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'follow-up visit',
                'verbose_name_plural': 'follow-up visits',
                'ordering': ['date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Transition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=20, verbose_name='action')),
                ('from_status', models.CharField(choices=[('registered', 'Registration'), ('assessment', 'Assessment'), ('approval', 'Approval'), ('implementation', 'Implementation / disbursement'), ('follow_up', 'Follow-up'), ('closed', 'Closed')], max_length=20, verbose_name='from')),
                ('to_status', models.CharField(choices=[('registered', 'Registration'), ('assessment', 'Assessment'), ('approval', 'Approval'), ('implementation', 'Implementation / disbursement'), ('follow_up', 'Follow-up'), ('closed', 'Closed')], max_length=20, verbose_name='to')),
                ('actor_name', models.CharField(max_length=150, verbose_name='by')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                ('comment', models.TextField(blank=True, max_length=2000, verbose_name='comment')),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='care.case')),
            ],
            options={
                'verbose_name': 'case transition',
                'verbose_name_plural': 'case transitions',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['organization', 'status'], name='case_org_status'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['status', 'closed_on'], name='case_status_closed'),
        ),
    ]
