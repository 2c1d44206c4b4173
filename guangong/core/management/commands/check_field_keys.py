"""Check that the field keys fit the stored data, or write the key check again.

``guangong check_field_keys`` decrypts the stored key check (``core.canary``) and exits with an
error naming what does not fit. ``--reset`` replaces it with one made with the current keys:
only after ``FIELD_HASH_KEY`` was changed *and* every blind index recomputed (docs/keys.md),
since the check exists to refuse keys that do not fit the data. The reset is audited.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guangong.audit.models import Action
from guangong.audit.services import record
from guangong.core import canary, crypto


class Command(BaseCommand):
    help = "Check that the field keys decrypt the stored key check (docs/keys.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Write the key check again with the current keys (after a change of "
            "FIELD_HASH_KEY and the recomputation of the blind indexes).",
        )

    def handle(self, *args, **options):
        if options["reset"]:
            with transaction.atomic():
                canary.write()
                record(
                    None,
                    Action.UPDATE,
                    None,
                    message=f"Field key check written again with key {crypto.current_key_id()}.",
                )
            self.stdout.write(
                self.style.SUCCESS("The key check was written with the current keys.")
            )
            return
        found = canary.problems()
        if found:
            raise CommandError(" ".join(found) + f" See {canary.DOCS}.")
        self.stdout.write(self.style.SUCCESS("The field keys fit the stored data."))
