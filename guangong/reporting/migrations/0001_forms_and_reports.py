import django.db.models.deletion
import guangong.reporting.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0001_squashed_0006_organization_phone_public'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FormSection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=100, verbose_name='title')),
                ('order', models.PositiveSmallIntegerField(default=10, verbose_name='order')),
            ],
            options={
                'verbose_name': 'section',
                'verbose_name_plural': 'sections',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='FormItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Short and unique within the form, e.g. A1.', max_length=10, verbose_name='code')),
                ('label', models.CharField(max_length=200, verbose_name='label')),
                ('kind', models.CharField(choices=[('computed', 'Computed from the ledgers'), ('integer', 'Whole number'), ('decimal', 'Decimal number'), ('text', 'Text')], max_length=10, verbose_name='kind')),
                ('metric', models.CharField(blank=True, max_length=40, verbose_name='computed from')),
                ('metric_param', models.CharField(blank=True, max_length=40, verbose_name='which')),
                ('overridable', models.BooleanField(default=False, help_text='The reporter may correct the computed value; both stay visible.', verbose_name='may be overridden')),
                ('required', models.BooleanField(default=True, verbose_name='required')),
                ('min_value', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='minimum')),
                ('max_value', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='maximum')),
                ('unit', models.CharField(blank=True, max_length=10, verbose_name='unit')),
                ('order', models.PositiveSmallIntegerField(default=10, verbose_name='order')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='reporting.formsection')),
            ],
            options={
                'verbose_name': 'report item',
                'verbose_name_plural': 'report items',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Report',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_start', models.DateField(verbose_name='period from')),
                ('period_end', models.DateField(verbose_name='period to')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('returned', 'Returned'), ('not_reported', 'Not reported')], default='draft', max_length=20, verbose_name='status')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='approved')),
                ('computed_at', models.DateTimeField(blank=True, null=True, verbose_name='computed')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('approved_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='orgs.organization')),
            ],
            options={
                'verbose_name': 'report',
                'verbose_name_plural': 'reports',
                'ordering': ['-period_start', 'organization__path'],
            },
        ),
        migrations.CreateModel(
            name='ReportEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=20, verbose_name='action')),
                ('actor_name', models.CharField(max_length=150, verbose_name='by')),
                ('comment', models.TextField(blank=True, max_length=1000, verbose_name='comment')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='reporting.report')),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ReportForm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('period_type', models.CharField(choices=[('month', 'Monthly'), ('quarter', 'Quarterly'), ('half', 'Half-yearly'), ('year', 'Yearly')], max_length=10, verbose_name='period')),
                ('reporting_kinds', models.JSONField(default=list, help_text='Organisations of these kinds in the subtree must file the report.', verbose_name='organisation kinds that report')),
                ('due_days', models.PositiveSmallIntegerField(default=10, verbose_name='due (days after the period ends)')),
                ('starts_on', models.DateField(default=guangong.reporting.models._today, help_text='The first period to report is the one containing this day.', verbose_name='reporting starts')),
                ('description', models.TextField(blank=True, max_length=2000, verbose_name='instructions')),
                ('active', models.BooleanField(default=True, verbose_name='in use')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='report_forms', to='orgs.organization', verbose_name='defined by')),
            ],
            options={
                'verbose_name': 'report form',
                'verbose_name_plural': 'report forms',
                'ordering': ['owner__path', 'name'],
            },
        ),
        migrations.AddField(
            model_name='report',
            name='form',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='reporting.reportform'),
        ),
        migrations.AddField(
            model_name='formsection',
            name='form',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='reporting.reportform'),
        ),
        migrations.CreateModel(
            name='FormRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('operator', models.CharField(choices=[('>=', '≥'), ('<=', '≤'), ('==', '='), ('>', '>'), ('<', '<')], max_length=2, verbose_name='operator')),
                ('message', models.CharField(blank=True, max_length=200, verbose_name='message')),
                ('left', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reporting.formitem')),
                ('right', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reporting.formitem')),
                ('form', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rules', to='reporting.reportform')),
            ],
            options={
                'verbose_name': 'rule',
                'verbose_name_plural': 'rules',
            },
        ),
        migrations.CreateModel(
            name='ReportValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('computed', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True)),
                ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True)),
                ('text', models.TextField(blank=True, max_length=2000)),
                ('overridden', models.BooleanField(default=False)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reporting.formitem')),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='reporting.report')),
            ],
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['form', 'period_start', 'status'], name='report_period'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.UniqueConstraint(fields=('form', 'organization', 'period_start'), name='report_unique_period'),
        ),
        migrations.AddConstraint(
            model_name='reportvalue',
            constraint=models.UniqueConstraint(fields=('report', 'item'), name='report_value_unique'),
        ),
    ]
