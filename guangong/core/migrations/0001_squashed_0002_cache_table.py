"""The worker heartbeats, the key canary and the database table the Redis cache falls back to
while Redis is unavailable (core/cache.py)."""

from django.core.management import call_command
from django.db import migrations, models

CACHE_TABLE = "guangong_cache"


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable", CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):

    replaces = [('core', '0001_health_and_key_check'), ('core', '0002_cache_table')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='KeyCanary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.TextField()),
                ('index', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='WorkerHeartbeat',
            fields=[
                ('name', models.CharField(max_length=40, primary_key=True, serialize=False)),
                ('beat_at', models.DateTimeField()),
            ],
        ),
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
