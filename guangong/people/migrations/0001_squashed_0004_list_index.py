"""Five-elders volunteers, young people, mentorships and teams, and the dismissed duplicate pairs."""

import django.db.models.deletion
import guangong.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('people', '0001_initial'), ('people', '0002_duplicate_dismissals'), ('people', '0003_plain_indexes'), ('people', '0004_list_index')]

    initial = True

    dependencies = [
        ('dicts', '0001_squashed_0004_care_items'),
        ('orgs', '0001_squashed_0006_organization_phone_public'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Elder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='name')),
                ('sex', models.CharField(blank=True, choices=[('M', 'Male'), ('F', 'Female')], max_length=1, verbose_name='sex')),
                ('birth_date', models.DateField(blank=True, null=True, verbose_name='birth date')),
                ('id_number_enc', models.TextField(blank=True, editable=False)),
                ('id_number_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('id_number_masked', models.CharField(blank=True, editable=False, max_length=24, verbose_name='ID number')),
                ('phone', models.CharField(blank=True, max_length=20, validators=[guangong.core.validators.validate_mobile], verbose_name='phone')),
                ('notes', models.TextField(blank=True, max_length=2000, verbose_name='notes')),
                ('search_text', models.CharField(blank=True, editable=False, max_length=500)),
                ('import_batch', models.CharField(blank=True, editable=False, max_length=32)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('former_unit', models.CharField(blank=True, max_length=100, verbose_name='former unit')),
                ('former_post', models.CharField(blank=True, max_length=50, verbose_name='former post')),
                ('political_status', models.CharField(blank=True, choices=[('cpc', 'CPC member'), ('probationary', 'Probationary CPC member'), ('league', 'Communist Youth League member'), ('democratic', 'Member of a democratic party'), ('masses', 'Ordinary citizen')], max_length=20, verbose_name='political status')),
                ('health', models.CharField(blank=True, choices=[('good', 'Good'), ('fair', 'Fair'), ('poor', 'Poor')], max_length=10, verbose_name='health')),
                ('availability', models.CharField(blank=True, max_length=100, verbose_name='availability')),
                ('joined_on', models.DateField(blank=True, null=True, verbose_name='joined on')),
                ('active', models.BooleanField(default=True, verbose_name='still serving')),
                ('service_hours', models.DecimalField(decimal_places=1, default=0, editable=False, max_digits=9, verbose_name='service hours')),
                ('categories', models.ManyToManyField(blank=True, limit_choices_to={'kind': 'elder_category'}, related_name='elders_in_category', to='dicts.dictitem', verbose_name='categories')),
                ('merged_into', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged_duplicates', to='people.elder', verbose_name='merged into')),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organisation')),
                ('specialities', models.ManyToManyField(blank=True, limit_choices_to={'kind': 'speciality'}, related_name='elders_with_speciality', to='dicts.dictitem', verbose_name='specialities')),
            ],
            options={
                'verbose_name': 'five-elders volunteer',
                'verbose_name_plural': 'five-elders volunteers',
                'indexes': [models.Index(fields=['name', 'birth_date'], name='elder_name_birth'), models.Index(fields=['id_number_hash'], name='elder_id_hash'), models.Index(fields=['import_batch'], name='elder_import_batch'), models.Index(fields=['organization', 'merged_into', 'name'], name='elder_org_list')],
            },
        ),
        migrations.CreateModel(
            name='Mentorship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start_date', models.DateField(verbose_name='start date')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                ('notes', models.TextField(blank=True, max_length=2000, verbose_name='notes')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('elder', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mentorships', to='people.elder', verbose_name='five-elders volunteer')),
                ('goals', models.ManyToManyField(blank=True, limit_choices_to={'kind': 'mentorship_goal'}, related_name='mentorships_with_goal', to='dicts.dictitem', verbose_name='goals')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organisation')),
                ('outcomes', models.ManyToManyField(blank=True, limit_choices_to={'kind': 'mentorship_outcome'}, related_name='mentorships_with_outcome', to='dicts.dictitem', verbose_name='outcomes')),
            ],
            options={
                'verbose_name': 'mentorship',
                'verbose_name_plural': 'mentorships',
                'ordering': ['-start_date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='MentorshipVisit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('content', models.CharField(max_length=500, verbose_name='content')),
                ('duration_minutes', models.PositiveIntegerField(default=60, verbose_name='duration (minutes)')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('mentorship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='people.mentorship', verbose_name='mentorship')),
            ],
            options={
                'verbose_name': 'mentorship visit',
                'verbose_name_plural': 'mentorship visits',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Team',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('description', models.TextField(blank=True, max_length=2000, verbose_name='description')),
                ('search_text', models.CharField(blank=True, editable=False, max_length=500)),
                ('import_batch', models.CharField(blank=True, db_index=True, editable=False, max_length=32)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('kind', models.ForeignKey(limit_choices_to={'kind': 'team_kind'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dicts.dictitem', verbose_name='kind')),
                ('leader', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='led_teams', to='people.elder', verbose_name='leader')),
                ('members', models.ManyToManyField(blank=True, related_name='teams', to='people.elder', verbose_name='members')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'team',
                'verbose_name_plural': 'teams',
                'ordering': ['organization', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Youth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='name')),
                ('sex', models.CharField(blank=True, choices=[('M', 'Male'), ('F', 'Female')], max_length=1, verbose_name='sex')),
                ('birth_date', models.DateField(blank=True, null=True, verbose_name='birth date')),
                ('id_number_enc', models.TextField(blank=True, editable=False)),
                ('id_number_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('id_number_masked', models.CharField(blank=True, editable=False, max_length=24, verbose_name='ID number')),
                ('phone', models.CharField(blank=True, max_length=20, validators=[guangong.core.validators.validate_mobile], verbose_name='phone')),
                ('notes', models.TextField(blank=True, max_length=2000, verbose_name='notes')),
                ('search_text', models.CharField(blank=True, editable=False, max_length=500)),
                ('import_batch', models.CharField(blank=True, editable=False, max_length=32)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('guardian_name', models.CharField(blank=True, max_length=50, verbose_name='guardian')),
                ('guardian_phone', models.CharField(blank=True, max_length=20, validators=[guangong.core.validators.validate_phone], verbose_name="guardian's phone")),
                ('guardian_relation', models.CharField(blank=True, max_length=20, verbose_name='relation to guardian')),
                ('school_or_employer', models.CharField(blank=True, max_length=100, verbose_name='school or employer')),
                ('ethnicity', models.CharField(blank=True, choices=[('汉族', '汉族'), ('蒙古族', '蒙古族'), ('回族', '回族'), ('藏族', '藏族'), ('维吾尔族', '维吾尔族'), ('苗族', '苗族'), ('彝族', '彝族'), ('壮族', '壮族'), ('布依族', '布依族'), ('朝鲜族', '朝鲜族'), ('满族', '满族'), ('侗族', '侗族'), ('瑶族', '瑶族'), ('白族', '白族'), ('土家族', '土家族'), ('哈尼族', '哈尼族'), ('哈萨克族', '哈萨克族'), ('傣族', '傣族'), ('黎族', '黎族'), ('傈僳族', '傈僳族'), ('佤族', '佤族'), ('畲族', '畲族'), ('高山族', '高山族'), ('拉祜族', '拉祜族'), ('水族', '水族'), ('东乡族', '东乡族'), ('纳西族', '纳西族'), ('景颇族', '景颇族'), ('柯尔克孜族', '柯尔克孜族'), ('土族', '土族'), ('达斡尔族', '达斡尔族'), ('仫佬族', '仫佬族'), ('羌族', '羌族'), ('布朗族', '布朗族'), ('撒拉族', '撒拉族'), ('毛南族', '毛南族'), ('仡佬族', '仡佬族'), ('锡伯族', '锡伯族'), ('阿昌族', '阿昌族'), ('普米族', '普米族'), ('塔吉克族', '塔吉克族'), ('怒族', '怒族'), ('乌孜别克族', '乌孜别克族'), ('俄罗斯族', '俄罗斯族'), ('鄂温克族', '鄂温克族'), ('德昂族', '德昂族'), ('保安族', '保安族'), ('裕固族', '裕固族'), ('京族', '京族'), ('塔塔尔族', '塔塔尔族'), ('独龙族', '独龙族'), ('鄂伦春族', '鄂伦春族'), ('赫哲族', '赫哲族'), ('门巴族', '门巴族'), ('珞巴族', '珞巴族'), ('基诺族', '基诺族')], max_length=10, verbose_name='ethnicity')),
                ('household_type', models.CharField(blank=True, choices=[('rural', 'Rural household'), ('urban', 'Urban household'), ('resident', 'Resident household')], max_length=10, verbose_name='household registration')),
                ('category', models.ForeignKey(limit_choices_to={'kind': 'youth_category'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dicts.dictitem', verbose_name='category')),
                ('merged_into', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged_duplicates', to='people.youth', verbose_name='merged into')),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'young person',
                'verbose_name_plural': 'young people',
                'indexes': [models.Index(fields=['name', 'birth_date'], name='youth_name_birth'), models.Index(fields=['id_number_hash'], name='youth_id_hash'), models.Index(fields=['import_batch'], name='youth_import_batch'), models.Index(fields=['organization', 'merged_into', 'name'], name='youth_org_list')],
            },
        ),
        migrations.AddField(
            model_name='mentorship',
            name='youth',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mentorships', to='people.youth', verbose_name='young person'),
        ),
        migrations.CreateModel(
            name='ElderDuplicateDismissal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='reason')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('first', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.elder')),
                ('second', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.elder')),
            ],
            options={
                'verbose_name': 'dismissed duplicate of a five-elders volunteer',
                'constraints': [models.UniqueConstraint(fields=('first', 'second'), name='elder_dismissal_pair'), models.CheckConstraint(condition=models.Q(('first__lt', models.F('second'))), name='elder_dismissal_order')],
            },
        ),
        migrations.CreateModel(
            name='YouthDuplicateDismissal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='reason')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('first', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.youth')),
                ('second', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.youth')),
            ],
            options={
                'verbose_name': 'dismissed duplicate of a young person',
                'constraints': [models.UniqueConstraint(fields=('first', 'second'), name='youth_dismissal_pair'), models.CheckConstraint(condition=models.Q(('first__lt', models.F('second'))), name='youth_dismissal_order')],
            },
        ),
    ]
