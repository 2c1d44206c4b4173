"""Wrong field keys are refused at start-up (the key check, ``core.canary``), and a value that
does not decrypt at reveal time is a Chinese error page, not a bare 500."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.test import override_settings

from guangong.audit.models import Action, AuditLog
from guangong.core import canary, crypto
from guangong.core.models import KeyCanary

ROOT = Path(__file__).resolve().parents[3]
OLD = f"old:{crypto.generate_key()}"
NEW = f"new:{crypto.generate_key()}"
OTHER = f"other:{crypto.generate_key()}"


def test_migrate_writes_the_key_check(db):
    """The test database was made by migrate, with the development keys."""
    row = KeyCanary.objects.get()

    assert crypto.key_id_of(row.token) == crypto.current_key_id()
    assert canary.problems() == []


def test_other_encryption_keys_are_refused_naming_the_guide(db):
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=OTHER),
        pytest.raises(canary.FieldKeysMismatch, match="docs/keys.md") as refused,
    ):
        canary.verify()

    assert "FIELD_ENCRYPTION_KEYS" in str(refused.value)
    assert OTHER.split(":")[1] not in str(refused.value)  # never key material


def test_another_hash_key_is_refused(db):
    with (
        override_settings(FIELD_HASH_KEY=crypto.generate_key()),
        pytest.raises(canary.FieldKeysMismatch, match="FIELD_HASH_KEY"),
    ):
        canary.verify()


def test_check_deploy_reports_wrong_keys(db):
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=OTHER),
        pytest.raises(SystemCheckError, match=r"guangong\.E001"),
    ):
        call_command("check", "--deploy", "--fail-level", "ERROR", stdout=StringIO())


def test_rotation_re_encrypts_the_key_check(db):
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        canary.write()

    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW},{OLD}"):
        call_command("rotate_field_keys", stdout=StringIO(), stderr=StringIO())

    with override_settings(FIELD_ENCRYPTION_KEYS=NEW):
        assert canary.problems() == []
        assert crypto.key_id_of(KeyCanary.objects.get().token) == "new"


def test_no_key_check_blesses_keys_that_do_not_read_the_data(db):
    """An installation that held encrypted values before the key check existed gets one only
    if its current keys decrypt them."""
    KeyCanary.objects.all().delete()
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        AuditLog.objects.create(action=Action.UPDATE, message=crypto.encrypt("秘密"))
    crypto.register(AuditLog, "message")
    try:
        with override_settings(FIELD_ENCRYPTION_KEYS=OTHER):
            assert canary.ensure() is None
        with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
            assert canary.ensure() is not None
    finally:
        crypto._registry.remove((AuditLog, "message"))


def test_the_command_checks_and_resets_the_key_check(db):
    call_command("check_field_keys", stdout=StringIO())
    hash_key = crypto.generate_key()

    with override_settings(FIELD_HASH_KEY=hash_key):
        with pytest.raises(CommandError, match="FIELD_HASH_KEY"):
            call_command("check_field_keys", stdout=StringIO())
        call_command("check_field_keys", "--reset", stdout=StringIO())
        call_command("check_field_keys", stdout=StringIO())

    assert "key check written again" in AuditLog.objects.latest("id").message


# --- Start-up, in a process of its own -------------------------------------------------------


def run(tmp_path, keys: str, *args: str) -> subprocess.CompletedProcess:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="guangong.settings",
        GUANGONG_VAR_DIR=str(tmp_path),  # a SQLite database of its own
        FIELD_ENCRYPTION_KEYS=keys,
        FIELD_HASH_KEY=HASH_KEY,
    )
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


HASH_KEY = crypto.generate_key()
START_WEB = ("-c", "import guangong.wsgi")


def test_the_web_process_refuses_to_start_with_other_keys(tmp_path):
    # Before migrate there is nothing to check: it starts.
    assert run(tmp_path, OLD, *START_WEB).returncode == 0
    migrated = run(tmp_path, OLD, "manage.py", "migrate", "core", "--noinput")
    assert migrated.returncode == 0, migrated.stderr[-2000:]

    wrong = run(tmp_path, OTHER, *START_WEB)
    right = run(tmp_path, OLD, *START_WEB)
    check = run(tmp_path, OTHER, "manage.py", "check", "--deploy", "--fail-level", "ERROR")

    assert wrong.returncode != 0
    assert "Refusing to start" in wrong.stderr and "docs/keys.md" in wrong.stderr
    assert right.returncode == 0, right.stderr[-2000:]
    assert check.returncode != 0 and "guangong.E001" in check.stderr
