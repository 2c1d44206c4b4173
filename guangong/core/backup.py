"""Backups of the database and the uploaded files, and their restore.

A backup is one folder, ``<BACKUP_DIR>/<YYYYmmdd-HHMMSS>/``, holding

- ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3`` (SQLite's online backup);
- ``media.tar.gz``, every file under ``MEDIA_ROOT``;
- ``manifest.json``: when and from what it was made, the row count of every table, the key ids
  the encrypted columns were written with, and a SHA-256 of each file.

The row counts describe exactly what the dump holds: on PostgreSQL they are read in the same
snapshot ``pg_dump`` exports (``pg_export_snapshot``); on SQLite from the copy itself.

Reading a backup back (``verify`` and ``restore``) is core/restore.py.
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
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from guangong.core import crypto

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"


class BackupError(RuntimeError):
    """A backup or restore that could not be made; the message says why."""


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


def encrypted_columns(cursor, quote, limit: int | None = None):
    """Each encrypted column (``table.column``) with its stored tokens (the first ``limit``)."""
    for model, name in crypto.registered_fields():
        column = model._meta.get_field(name).column
        sample = f" ORDER BY 1 LIMIT {int(limit)}" if limit else ""  # a sample: the same rows
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(column)} LIKE %s{sample}",
            [f"{crypto.VERSION}:%"],
        )
        yield f"{model._meta.db_table}.{column}", [token for (token,) in cursor.fetchall()]


def _key_ids(cursor, quote) -> dict[str, dict[str, int]]:
    """For each encrypted column, how many tokens each key id encrypted."""
    out: dict[str, dict[str, int]] = {}
    for label, tokens in encrypted_columns(cursor, quote):
        per_key: dict[str, int] = {}
        for token in tokens:
            kid = crypto.key_id_of(token)
            per_key[kid] = per_key.get(kid, 0) + 1
        out[label] = per_key
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
