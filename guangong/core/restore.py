"""Reading a backup of core/backup.py back: checking it, and restoring it.

``verify`` restores a backup into a scratch database, compares every count with the manifest and
decrypts a sample of every encrypted column with the configured keys; ``restore`` puts a backup
back into the configured database and ``MEDIA_ROOT``. Both restore through the same function.
"""

from __future__ import annotations

import json
import sqlite3
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from guangong.core import crypto

from .backup import (
    FORMAT,
    MANIFEST,
    BackupError,
    _count,
    _pg_env,
    _PsycopgCursor,
    _run,
    _sha256,
    _sqlite_cursor,
    encrypted_columns,
)

SAMPLE = 20  # tokens decrypted per encrypted column by verify


@dataclass
class Verification:
    counts_checked: int = 0
    decrypted: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder}: unknown backup format {manifest.get('format')!r}.")
    for part in (manifest["database"], manifest["media"]):
        if _sha256(Path(folder) / part["file"]) != part["sha256"]:
            raise BackupError(f"{folder}/{part['file']} does not match its checksum.")
    return manifest


def restore_database(folder: Path, manifest: dict, target: dict) -> None:
    """Load the backup's database into ``target`` (a DATABASES entry) of the same vendor."""
    dump = Path(folder) / manifest["database"]["file"]
    if manifest["vendor"] == "postgresql":
        args, env = _pg_env(target)
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error"]
        _run([*command, *args, "--dbname", str(target["NAME"]), str(dump)], env)
    else:
        source = sqlite3.connect(dump)
        destination = sqlite3.connect(target["NAME"])
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()


def restore_media(folder: Path, manifest: dict, media_root: Path) -> None:
    with tarfile.open(Path(folder) / manifest["media"]["file"], "r:gz") as archive:
        archive.extractall(media_root, filter="data")  # refuses absolute paths and "..": safe


def restore(folder: Path) -> dict:
    """Put a backup back into the configured database and ``MEDIA_ROOT``."""
    manifest = read_manifest(folder)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"The backup is of a {manifest['vendor']} database; this site uses {connection.vendor}."
        )
    target = dict(connection.settings_dict)
    connections.close_all()
    restore_database(folder, manifest, target)
    restore_media(folder, manifest, Path(settings.MEDIA_ROOT))
    return manifest


def verify(folder: Path) -> Verification:
    """Restore into a scratch database; compare counts and decrypt a sample of each column."""
    manifest = read_manifest(folder)
    result = Verification()
    with _scratch_database(manifest["vendor"]) as (target, cursor_factory, quote):
        restore_database(folder, manifest, target)
        with cursor_factory() as cursor:
            for table, expected in manifest["counts"].items():
                try:
                    found = _count(cursor, [table], quote)[table]
                except Exception as error:  # noqa: BLE001 (a missing table is a finding)
                    result.problems.append(f"{table}: cannot be read ({error})")
                    continue
                result.counts_checked += 1
                if found != expected:
                    result.problems.append(f"{table}: {found} rows restored, {expected} backed up")
            _decrypt_sample(cursor, quote, result)
    with tempfile.TemporaryDirectory() as media:
        restore_media(folder, manifest, Path(media))
        restored = sum(1 for item in Path(media).rglob("*") if item.is_file())
        if restored != manifest["media"]["files"]:
            result.problems.append(
                f"media: {restored} files restored, {manifest['media']['files']} backed up"
            )
    return result


def _decrypt_sample(cursor, quote, result: Verification) -> None:
    for label, tokens in encrypted_columns(cursor, quote, limit=SAMPLE):
        for token in tokens:
            try:
                crypto.decrypt(token)
            except crypto.DecryptionError as error:
                result.problems.append(f"{label}: {error}")
                break
            result.decrypted += 1


class _scratch_database:  # noqa: N801 (used as a context manager)
    """A temporary database of the given vendor: ``(settings entry, cursor factory, quote)``."""

    def __init__(self, vendor: str):
        if vendor != connection.vendor:
            raise BackupError(f"Verifying a {vendor} backup needs a {vendor} database.")
        self.vendor = vendor

    def __enter__(self):
        quote = connection.ops.quote_name
        if self.vendor == "sqlite":
            self.tmp = tempfile.TemporaryDirectory()
            path = Path(self.tmp.name) / "verify.sqlite3"
            return {"NAME": str(path)}, lambda: _sqlite_cursor(path), quote
        self.name = f"guangong_verify_{uuid.uuid4().hex[:12]}"
        with connection.cursor() as cursor:  # autocommit: CREATE DATABASE refuses a transaction
            cursor.execute(f"CREATE DATABASE {quote(self.name)}")
        self.target = {**connection.settings_dict, "NAME": self.name}
        return self.target, self._pg_cursor, quote

    def _pg_cursor(self):
        import psycopg

        db = self.target
        raw = psycopg.connect(
            dbname=db["NAME"],
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            autocommit=True,
        )
        return _PsycopgSession(raw)

    def __exit__(self, *exc):
        if self.vendor == "sqlite":
            self.tmp.cleanup()
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(self.name)}")


class _PsycopgSession(_PsycopgCursor):
    def __init__(self, raw):
        self.raw = raw
        super().__init__(raw.cursor())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.raw.close()
