"""Retention: closed cases are anonymised once ``CARE_RETENTION_DAYS`` have passed.

Run daily by ``tasks.anonymise_cases`` and on demand by ``guangong anonymise_cases``; every
anonymisation is audited (as the system when no user asks for it).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.core.actions import action, nothing_changed
from guangong.core.files import delete_on_commit

from .models import Case, Status
from .services.cases import record_change, state


def retention_days() -> int:
    return settings.CARE_RETENTION_DAYS


@action("anonymise")
def anonymise(actor, case: Case) -> Case:
    """Remove what identifies the person from a closed case; keep kind, place, dates and
    amounts for the statistics. Run by the system (``actor`` None: the nightly task and the
    command), and audited as the system."""
    case = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
    if case.status != Status.CLOSED:
        raise ValidationError(_("Only closed cases are anonymised."))
    if case.anonymised_at:
        nothing_changed()
        return case
    before = state(case)
    case.youth = None
    for column in Case.SENSITIVE_FIELDS.values():
        setattr(case, column, "")
    case.situation = case.assessment = case.plan = ""
    case.consent_by = case.consent_relation = case.consent_note = ""
    case.anonymised_at = timezone.now()
    case.save()
    case.elders.clear()
    case.teams.clear()
    for attachment in case.attachments.all():
        delete_on_commit(attachment.file)
        attachment.delete()
    case.follow_ups.update(content=_("(anonymised)"), visitor="")
    case.transitions.update(comment="")
    record_change(
        actor,
        case,
        before,
        username=None if actor else "system",
        message=_("Anonymised after the retention period"),
    )
    return case


def due_for_anonymisation(today: datetime.date | None = None):
    """Closed cases past the retention period and not yet anonymised."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=retention_days())
    return Case.objects.filter(
        status=Status.CLOSED, anonymised_at__isnull=True, closed_on__lte=limit
    )


def anonymise_due(today: datetime.date | None = None) -> int:
    """Anonymise every case closed longer ago than the retention period; returns how many."""
    due = due_for_anonymisation(today).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        anonymise(None, Case(pk=pk))
        count += 1
    return count
