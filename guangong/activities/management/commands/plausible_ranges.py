"""``guangong plausible_ranges``: compute the activities' plausible ranges from the ledger."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from guangong.activities import ranges


class Command(BaseCommand):
    help = _(
        "Compute the plausible participants and service hours of each activity type and "
        "organisation kind from the ledger (99.5th percentile); ranges set by administrators "
        "are kept."
    )

    def handle(self, *args, **options):
        written = ranges.compute(None)
        self.stdout.write(_("%(n)d plausible ranges computed.") % {"n": written})
