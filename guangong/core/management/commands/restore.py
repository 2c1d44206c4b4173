"""``guangong restore DIR --verify`` or ``guangong restore DIR --yes``.

``--verify`` restores the backup into a scratch database, compares every table's row count with
the manifest and decrypts a sample of every encrypted column with the configured keys; it changes
nothing. ``--yes`` replaces the configured database and adds the backup's files to MEDIA_ROOT:
stop the web and worker processes first. See docs/operations.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guangong.core import backup, restore


class Command(BaseCommand):
    help = "Verify a backup in a scratch database (--verify), or restore it (--yes)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder written by `guangong backup`")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--verify", action="store_true", help="check it; change nothing")
        group.add_argument("--yes", action="store_true", help="replace this site's data with it")

    def handle(self, *args, **options):
        folder = options["folder"]
        try:
            if options["verify"]:
                result = restore.verify(folder)
            else:
                manifest = restore.restore(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if options["yes"]:
            self.stdout.write(f"restored {folder} (made {manifest['created']})")
            return
        for problem in result.problems:
            self.stderr.write(problem)
        summary = f"{result.counts_checked} tables compared, {result.decrypted} values decrypted"
        if not result.ok:
            raise CommandError(f"{folder} failed verification: {summary}")
        self.stdout.write(f"{folder} verified: {summary}")
