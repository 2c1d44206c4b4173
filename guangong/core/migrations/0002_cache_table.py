"""The database table the Redis cache falls back to while Redis is unavailable (core/cache.py)."""

from django.core.management import call_command
from django.db import migrations

TABLE = "guangong_cache"


def create(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_health_and_key_check")]

    operations = [migrations.RunPython(create, drop)]
