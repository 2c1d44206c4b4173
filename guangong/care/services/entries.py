"""What is added to a case as help goes on: follow-up visits (回访) and attachments; and the
download of an attachment (logged)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action as AuditAction
from guangong.audit.services import record
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope

from ..access_log import log_access
from ..models import Access, Attachment, Case, FollowUp, Status
from .cases import redacted, refuse_if_closed


@action("write", model=Case)
def add_follow_up(actor, case: Case, follow_up: FollowUp) -> FollowUp:
    case = Case.objects.select_related("organization").get(pk=case.pk)
    if case.status not in (Status.IMPLEMENTATION, Status.FOLLOW_UP):
        raise ValidationError(_("Follow-up visits are recorded once help has been given."))
    follow_up.case = case
    follow_up.recorded_by = actor
    follow_up.full_clean()
    if follow_up.date > timezone.localdate():
        raise ValidationError({"date": _("A visit cannot be in the future.")})
    follow_up.save()
    record(
        actor,
        AuditAction.CREATE,
        follow_up,
        after={"date": follow_up.date.isoformat(), "content": redacted(follow_up.content)},
        parent=case,
        org_path=case.organization.path,
    )
    return follow_up


@action("write", model=Case)
def add_attachment(actor, case: Case, checked) -> Attachment:
    """Store a checked upload (``attachments.check``) under a random name; audited."""
    case = Case.objects.select_related("organization").get(pk=case.pk)
    refuse_if_closed(case)
    attachment = Attachment(case=case, uploaded_by=actor)
    attachment.store(checked)
    attachment.save()
    record(
        actor,
        AuditAction.CREATE,
        attachment,
        after={"kind": checked.kind, "size": attachment.size},
        parent=case,
        org_path=case.organization.path,
    )
    return attachment


def open_attachment(actor, attachment: Attachment):
    """The file of an attachment, for download; a photo needs the ``reveal`` verb. Logged."""
    case = attachment.case
    policy = policy_for(Case)
    if not policy.allows_path(actor, "read", case.organization.path):
        raise OutOfScope()
    if attachment.kind == Attachment.Kind.PHOTO and not policy.may(actor, "reveal"):
        raise PermissionDenied(_("You do not have permission to do this."))
    log_access(actor, case, Access.Kind.DOWNLOAD, detail=attachment.name)
    return attachment.file.open("rb")
