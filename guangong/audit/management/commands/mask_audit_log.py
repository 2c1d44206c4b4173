"""Mask sensitive values in audit rows written before a masking rule covered them.

``guangong mask_audit_log`` applies ``audit.masking`` (phones, ID numbers, secrets, each model's
``audit_masked_fields``) to the before/after of every stored audit record, as a migration did
once (``audit.0005_mask_stored_values``, since consolidated). Run it after declaring a new
sensitive field; a second run changes nothing. One audit record sums the run up.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from guangong.audit.masking import mask_stored_rows
from guangong.audit.models import Action, AuditLog
from guangong.audit.services import record


class Command(BaseCommand):
    help = "Mask phones, ID numbers and secrets stored in clear in the audit log."

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = mask_stored_rows(AuditLog, apps)
            if changed:
                record(
                    None,
                    Action.UPDATE,
                    None,
                    message=_("Sensitive values masked in %(n)d audit records.") % {"n": changed},
                )
        self.stdout.write(f"{changed} audit records masked.")
