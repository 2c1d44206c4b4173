"""``guangong anonymise_cases [--dry-run]``: anonymise the closed cases past retention now.

The nightly task does the same; this runs it by hand (after changing CARE_RETENTION_DAYS, or
to see what the night will do with ``--dry-run``).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from guangong.care import retention


class Command(BaseCommand):
    help = "Anonymise care cases closed longer ago than CARE_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many cases are due."
        )

    def handle(self, *args, dry_run=False, **options):
        days = retention.retention_days()
        if dry_run:
            due = retention.due_for_anonymisation()
            numbers = list(due.order_by("closed_on", "pk").values_list("number", flat=True))
            self.stdout.write(
                _("%(n)d closed cases are past the retention period of %(days)d days.")
                % {"n": len(numbers), "days": days}
            )
            for number in numbers:
                self.stdout.write(f"  {number}")
            return
        count = retention.anonymise_due()
        self.stdout.write(
            _("%(n)d cases anonymised (retention period %(days)d days).")
            % {"n": count, "days": days}
        )
