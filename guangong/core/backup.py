"""Backups of the database and the uploaded files, and their restore.

A backup is one folder, ``<BACKUP_DIR>/<YYYYmmdd-HHMMSS>/``, holding

- ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3`` (SQLite's online backup);
- ``media.tar.gz``, every file under ``MEDIA_ROOT``;
- ``manifest.json``: when and from what it was made, the row count of every table, the key ids
  the encrypted columns were written with, and a SHA-256 of each file.

The row counts describe exactly what the dump holds: on PostgreSQL they are read in the same
snapshot ``pg_dump`` exports (``pg_export_snapshot``); on SQLite from the copy itself.

``verify`` restores a backup into a scratch database, compares every count with the manifest and
decrypts a sample of every encrypted column with the configured keys; ``restore`` puts a backup
back into the configured database and ``MEDIA_ROOT``. Both restore through the same function.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404: pg_dump and pg_restore, with argument lists
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from guangong.core import crypto

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
SAMPLE = 20  # tokens decrypted per encrypted column by verify


class BackupError(RuntimeError):
    """A backup or restore that could not be made; the message says why."""


@dataclass
class Verification:
    counts_checked: int = 0
    decrypted: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Helpers ----------------------------------------------------------------------------------


def _tables() -> list[str]:
    """Every table of an installed model (sorted), the unit the manifest counts."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def _count(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (model table names)
        counts[table] = cursor.fetchone()[0]
    return counts


def _key_ids(cursor, quote) -> dict[str, dict[str, int]]:
    """For each encrypted column, how many tokens each key id encrypted."""
    out: dict[str, dict[str, int]] = {}
    for model, name in crypto.registered_fields():
        column = model._meta.get_field(name).column
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(column)} LIKE %s",
            [f"{crypto.VERSION}:%"],
        )
        per_key: dict[str, int] = {}
        for (token,) in cursor.fetchall():
            kid = crypto.key_id_of(token)
            per_key[kid] = per_key.get(kid, 0) + 1
        out[f"{model._meta.db_table}.{column}"] = per_key
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(db: dict) -> tuple[list[str], dict[str, str]]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if not shutil.which(command[0]):
        raise BackupError(f"{command[0]} is not installed (Debian package postgresql-client).")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


# --- Making a backup ---------------------------------------------------------------------------


def create(directory: Path | None = None) -> Path:
    """Make a backup in a new folder under ``directory`` (``BACKUP_DIR``); return that folder."""
    root = Path(directory or settings.BACKUP_DIR)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = root / stamp
    suffix = 1
    while target.exists():
        suffix += 1
        target = root / f"{stamp}-{suffix}"
    partial = root / f".{target.name}.partial"
    partial.mkdir(parents=True)
    try:
        manifest = {
            "format": FORMAT,
            "created": timezone.localtime().isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "configured_key_ids": list(crypto.parse_encryption_keys(settings.FIELD_ENCRYPTION_KEYS))
            if settings.FIELD_ENCRYPTION_KEYS
            else [crypto.current_key_id()],
        }
        if connection.vendor == "postgresql":
            manifest.update(_dump_postgresql(partial))
        else:
            manifest.update(_dump_sqlite(partial))
        manifest["media"] = _archive_media(partial / MEDIA)
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial.rename(target)  # a folder without ".partial" is always complete
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def _dump_postgresql(folder: Path) -> dict:
    db = connection.settings_dict
    args, env = _pg_env(db)
    dump = folder / "database.dump"
    # Count inside the snapshot pg_dump reads, so the manifest describes the dump exactly.
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection, outside Django's transaction handling
    with raw.transaction(), raw.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        command = ["pg_dump", "-Fc", "--no-owner", "--snapshot", snapshot, "-f", str(dump)]
        _run([*command, *args, str(db["NAME"])], env)
        quote = connection.ops.quote_name
        wrapped = _PsycopgCursor(cursor)
        counts = _count(wrapped, _tables(), quote)
        keys = _key_ids(wrapped, quote)
    return {
        "database": {"file": dump.name, "sha256": _sha256(dump)},
        "counts": counts,
        "key_ids": keys,
    }


class _PsycopgCursor:
    """Django-style ``%s`` parameters on a raw psycopg cursor."""

    def __init__(self, cursor):
        self.cursor = cursor

    def execute(self, sql, params=None):
        self.cursor.execute(sql, params)

    def fetchone(self):
        return self.cursor.fetchone()

    def fetchall(self):
        return self.cursor.fetchall()


def _dump_sqlite(folder: Path) -> dict:
    copy = folder / "database.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)  # SQLite's online backup: a consistent copy
    finally:
        target.close()
    with _sqlite_cursor(copy) as cursor:
        counts = _count(cursor, _tables(), connection.ops.quote_name)
        keys = _key_ids(cursor, connection.ops.quote_name)
    return {
        "database": {"file": copy.name, "sha256": _sha256(copy)},
        "counts": counts,
        "key_ids": keys,
    }


class _sqlite_cursor:  # noqa: N801 (used as a context manager)
    """A cursor on an SQLite file taking Django-style ``%s`` parameters."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)
        self.cursor = self.db.cursor()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.db.close()

    def execute(self, sql, params=None):
        self.cursor.execute(sql.replace("%s", "?"), params or [])

    def fetchone(self):
        return self.cursor.fetchone()

    def fetchall(self):
        return self.cursor.fetchall()


def _archive_media(path: Path) -> dict:
    media = Path(settings.MEDIA_ROOT)
    files = 0
    size = 0
    with tarfile.open(path, "w:gz") as archive:
        if media.exists():
            for item in sorted(media.rglob("*")):
                if item.is_file():
                    archive.add(item, arcname=str(item.relative_to(media)))
                    files += 1
                    size += item.stat().st_size
    return {"file": path.name, "files": files, "bytes": size, "sha256": _sha256(path)}


# --- Reading and restoring --------------------------------------------------------------------


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
    for model, name in crypto.registered_fields():
        column = model._meta.get_field(name).column
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(column)} LIKE %s ORDER BY 1 LIMIT {SAMPLE}",
            [f"{crypto.VERSION}:%"],
        )
        for (token,) in cursor.fetchall():
            try:
                crypto.decrypt(token)
            except crypto.DecryptionError as error:
                result.problems.append(f"{model._meta.db_table}.{column}: {error}")
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


# --- Retention ---------------------------------------------------------------------------------


def prune(directory: Path | None = None, keep_days: int | None = None) -> list[Path]:
    """Delete backups older than ``keep_days`` (``BACKUP_KEEP_DAYS``); the newest always stays."""
    root = Path(directory or settings.BACKUP_DIR)
    days = settings.BACKUP_KEEP_DAYS if keep_days is None else keep_days
    if not root.exists():
        return []
    backups = sorted(p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).exists())
    cutoff = timezone.now() - datetime.timedelta(days=days)
    removed = []
    for folder in backups[:-1]:
        made = datetime.datetime.fromtimestamp((folder / MANIFEST).stat().st_mtime, datetime.UTC)
        if made < cutoff:
            shutil.rmtree(folder)
            removed.append(folder)
    return removed
