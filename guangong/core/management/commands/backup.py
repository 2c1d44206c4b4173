"""``guangong backup [--dir DIR] [--prune]``: back up the database and uploaded files.

Writes ``<DIR>/<YYYYmmdd-HHMMSS>/`` (``BACKUP_DIR`` by default) with the database dump, the
media archive and a manifest of row counts, key ids and checksums. See docs/operations.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guangong.core import backup, restore


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder under BACKUP_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="where to write (default: BACKUP_DIR)")
        parser.add_argument(
            "--prune", action="store_true", help="then delete backups older than BACKUP_KEEP_DAYS"
        )

    def handle(self, *args, **options):
        try:
            folder = backup.create(options["dir"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = restore.read_manifest(folder)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"{folder}: {len(manifest['counts'])} tables, {rows} rows, "
            f"{manifest['media']['files']} files"
        )
        if options["prune"]:
            for old in backup.prune(options["dir"]):
                self.stdout.write(f"removed {old}")
