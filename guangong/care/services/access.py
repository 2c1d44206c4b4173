"""Opening a case (logged) and revealing a sensitive field of it (for a reason; logged and
audited)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.services import record_reveal, reveal_reason
from guangong.core import crypto
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope

from ..access_log import log_access
from ..models import Access, Case

SENSITIVE_LABELS = {
    "address": _("address"),
    "family_situation": _("family situation"),
    "health": _("health"),
    "id_number": _("ID number"),
    "photos": _("photos"),
}


def open_case(actor, case: Case) -> Case:
    """Log that ``actor`` opened the case (every detail page, every API read of one)."""
    if not policy_for(Case).allows_path(actor, "read", case.organization.path):
        raise OutOfScope()
    log_access(actor, case, Access.Kind.OPEN)
    return case


@action("reveal", model=Case)
def reveal(actor, case: Case, field: str, reason: str) -> str | list:
    """The clear value of a sensitive field, for a reason; logged and audited.

    ``field`` is one of ``address``, ``family_situation``, ``health``, ``id_number`` (of the
    person helped) or ``photos`` (returns the photo attachments).
    """
    case = Case.objects.select_related("organization", "youth").get(pk=case.pk)
    if field not in SENSITIVE_LABELS:
        raise ValidationError(_("Unknown field."))
    reason = reveal_reason(reason, _("Say why you need to see this."), min_length=2)
    label = SENSITIVE_LABELS[field]
    log_access(actor, case, Access.Kind.REVEAL, detail=label, reason=reason)
    message = _("%(field)s revealed: %(reason)s") % {"field": label, "reason": reason[:300]}
    record_reveal(actor, case, message)
    if field == "id_number":
        youth = case.youth
        return crypto.decrypt(youth.id_number_enc) if youth and youth.id_number_enc else ""
    if field == "photos":
        return list(case.attachments.filter(kind="photo"))
    column = Case.SENSITIVE_FIELDS[field]
    value = getattr(case, column)
    return crypto.decrypt(value) if value else ""
