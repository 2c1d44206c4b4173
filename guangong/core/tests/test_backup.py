"""Backups: what `guangong backup` writes is what `guangong restore --verify` finds again, on the
database the suite runs on (SQLite or PostgreSQL)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guangong.core import backup, crypto, restore
from guangong.people.models import Elder
from guangong.people.tests.conftest import categories, people  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("people")]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "activities").mkdir(parents=True)
    (settings.MEDIA_ROOT / "activities" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    return settings.MEDIA_ROOT


def test_a_backup_counts_every_table_and_verifies_in_a_scratch_database(media, tmp_path, capsys):
    folder = backup.create(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())

    assert manifest["counts"]["people_elder"] == Elder.objects.count() > 0
    assert manifest["media"]["files"] == 1
    kid = crypto.current_key_id()
    assert manifest["key_ids"]["people_elder.id_number_enc"] == {kid: Elder.objects.count()}

    call_command("restore", str(folder), "--verify")
    out = capsys.readouterr().out
    assert "verified" in out
    result = restore.verify(folder)
    assert result.ok, result.problems
    assert result.decrypted >= Elder.objects.count()
    assert result.counts_checked == len(manifest["counts"])


def test_verify_reports_a_count_that_differs_and_a_file_that_was_altered(media, tmp_path):
    folder = backup.create(tmp_path / "backups")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["counts"]["people_elder"] += 1
    manifest_path.write_text(json.dumps(manifest))

    result = restore.verify(folder)
    assert not result.ok
    assert any(p.startswith("people_elder:") for p in result.problems)

    (folder / manifest["media"]["file"]).write_bytes(b"not the archive")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(folder), "--verify")


def test_verify_fails_when_the_keys_no_longer_decrypt(media, tmp_path, settings):
    folder = backup.create(tmp_path / "backups")
    settings.FIELD_ENCRYPTION_KEYS = f"other:{crypto.generate_key()}"
    crypto.reset_cache()
    try:
        result = restore.verify(folder)
    finally:
        crypto.reset_cache()
    assert any("people_elder.id_number_enc" in p for p in result.problems)


def test_restore_puts_back_what_changed_after_the_backup(media, tmp_path):
    folder = backup.create(tmp_path / "backups")
    names = sorted(Elder.objects.values_list("name", flat=True))
    Elder.objects.update(name="改后的名字")
    (media / "activities" / "photo.jpg").unlink()

    call_command("restore", str(folder), "--yes")

    assert sorted(Elder.objects.values_list("name", flat=True)) == names
    assert (media / "activities" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"


def test_prune_keeps_the_newest_and_removes_the_old(media, tmp_path):
    import os
    import time

    root = tmp_path / "backups"
    old = backup.create(root)
    new = backup.create(root)
    a_month_ago = time.time() - 31 * 86400
    os.utime(old / "manifest.json", (a_month_ago, a_month_ago))
    os.utime(new / "manifest.json", (a_month_ago, a_month_ago))

    removed = backup.prune(root, keep_days=14)

    assert removed == [old]
    assert sorted(Path(root).iterdir()) == [new]


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path), "--verify")
