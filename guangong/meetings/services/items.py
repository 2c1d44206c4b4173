"""Action items (督办事项): assigning, progress reports with evidence, closure asked for by the
owner and approved (or returned) by the organiser's side."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action
from guangong.core.scope import has_verb
from guangong.notifications import notify

from .. import attachments
from ..models import ActionItem, Decision, ItemStatus, MeetingStatus, ProgressReport
from .common import check_lengths, covers, deleted, in_scope, saved, strip


def _check(item: ActionItem) -> dict:
    errors = {}
    meeting = item.meeting
    if bool(item.owner_org_id) == bool(item.owner_unit_id):
        errors["owner_org"] = _("Assign the item to one organisation or one member unit.")
    elif item.owner_unit_id and item.owner_unit.organization_id != meeting.organization_id:
        errors["owner_unit"] = _("Choose a member unit of the meeting's organiser.")
    elif item.owner_org_id and not item.owner_org.path.startswith(meeting.organization.path):
        errors["owner_org"] = _("Choose the organiser or an organisation below it.")
    if item.due_date and item.due_date <= meeting.date:
        errors["due_date"] = _("The due date must be after the meeting (%(date)s).") % {
            "date": meeting.date.isoformat()
        }
    if meeting.status == MeetingStatus.PLANNED:
        errors["decision"] = _("Action items are assigned once the meeting has been held.")
    return errors


@action("write", model=ActionItem)
def save_item(actor, item: ActionItem) -> ActionItem:
    """Assign or change an action item of a decision (the organiser's side)."""
    before = snapshot(ActionItem.objects.get(pk=item.pk)) if item.pk else None
    decision = Decision.objects.select_related("meeting__organization").get(pk=item.decision_id)
    item.meeting = decision.meeting
    in_scope(actor, ActionItem, item.meeting.organization.path)
    if before and item.closed:
        raise ValidationError(_("This item is closed; it cannot be changed."))
    strip(item, "task", "responsible")
    check_lengths(item, {"task": 500, "responsible": 50})
    errors = _check(item)
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    item.save()
    saved(actor, item, before, item.meeting, org_path=item.meeting.organization.path)
    notify("action_item_assigned", item=item, actor=actor)  # the owner, once per owner
    return item


@action("write", model=ActionItem)
def delete_item(actor, item: ActionItem) -> None:
    item = ActionItem.objects.select_related("meeting__organization").get(pk=item.pk)
    if item.reports.exists():
        raise ValidationError(_("Progress has been reported on this item; it stays on record."))
    deleted(actor, item, item.meeting, org_path=item.meeting.organization.path)
    item.delete()


def may_report(actor, item: ActionItem) -> bool:
    """The owner (the owning organisation's side, or for a member unit the organiser's) and the
    organiser's side report and ask for closure, with the ``edit`` verb."""
    if not has_verb(actor, "edit"):
        return False
    paths = [item.meeting.organization.path]
    if item.owner_org_id:
        paths.append(item.owner_org.path)
    return any(covers(actor, path) for path in paths)


def _owned(actor, item: ActionItem) -> ActionItem:
    item = ActionItem.objects.select_related(
        "meeting__organization", "owner_org", "owner_unit"
    ).get(pk=item.pk)
    if not may_report(actor, item):
        raise PermissionDenied(_("You do not have permission to do this."))
    if item.closed:
        raise ValidationError(_("This item is closed; nothing more can be reported on it."))
    return item


def _record(actor, item, before, message: str) -> None:
    record(
        actor,
        Action.UPDATE,
        item,
        before=before,
        after=snapshot(item),
        parent=item.meeting,
        org_path=item.meeting.organization.path,
        message=message,
    )


# ``read``: the owner reads the item through the policy's reach; ``may_report`` decides.
@action("read", model=ActionItem)
def report(actor, item: ActionItem, text: str, upload=None) -> ProgressReport:
    """A progress report, with a file as evidence if given; an item not started is then in
    progress."""
    item = _owned(actor, item)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what has been done.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("At most 2000 characters.")})
    entry = ProgressReport(item=item, text=text, author_name=str(actor), uploaded_by=actor)
    stored = entry.store(attachments.check_upload(upload)) if upload else None
    try:
        entry.save()
        before = snapshot(item)
        if item.status == ItemStatus.NOT_STARTED:
            item.status = ItemStatus.IN_PROGRESS
            item.save(update_fields=["status", "updated_at"])
        _record(actor, item, before, _("Progress reported (%(n)d characters)") % {"n": len(text)})
    except Exception:
        if stored:
            entry.file.storage.delete(stored)
        raise
    return entry


@action("read", model=ActionItem)
def request_closure(actor, item: ActionItem) -> ActionItem:
    """The owner says the task is done and asks the organiser to close it."""
    item = _owned(actor, item)
    if item.closure_requested_at:
        raise ValidationError(_("Closure has already been asked for."))
    if not item.reports.exists():
        raise ValidationError(_("Report the progress made before asking to close the item."))
    before = snapshot(item)
    item.closure_requested_at = timezone.now()
    item.save(update_fields=["closure_requested_at", "updated_at"])
    _record(actor, item, before, _("Closure requested"))
    notify("action_item_closure", item=item, actor=actor)  # the organiser's approvers
    return item


@action("approve", model=ActionItem)
def approve_closure(actor, item: ActionItem, approved: bool = True, note: str = "") -> ActionItem:
    """The organiser's side closes the item (已完成) or returns the request."""
    item = ActionItem.objects.select_related("meeting__organization").get(pk=item.pk)
    if item.closed or not item.closure_requested_at:
        raise ValidationError(_("No closure is waiting for approval on this item."))
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": _("At most 300 characters.")})
    before = snapshot(item)
    if approved:
        item.status, item.closed_at = ItemStatus.DONE, timezone.now()
        message = _("Closure approved")
    else:
        item.closure_requested_at = None
        message = _("Closure returned: %(note)s") % {"note": note or "—"}
    item.save(update_fields=["status", "closed_at", "closure_requested_at", "updated_at"])
    _record(actor, item, before, message)
    return item
