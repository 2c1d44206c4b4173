"""Meetings: saving with their attendees, holding, minuting, a schedule of regular meetings,
the minutes' attachments, and decisions."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core import dates
from guangong.core.actions import action
from guangong.core.files import delete_on_commit
from guangong.core.resources import policy_for
from guangong.core.scope import subtree_q
from guangong.notifications import notify
from guangong.orgs.models import Organization
from guangong.people.models import Elder

from .. import attachments
from ..models import Decision, Meeting, MeetingAttachment, MeetingStatus, MemberUnit
from .common import check_lengths, covers, deleted, in_scope, saved, strip

LIMITS = {"title": 200, "place": 200, "chair": 50, "agenda": 5000, "minutes": 20000}
LIMITS |= {"speeches": 20000, "series": 100}
#: How many regular meetings one schedule creates at most.
MAX_OCCURRENCES = 24


def _check_attendees(actor, meeting, users, elders, units, committees) -> dict:
    errors = {}
    if users is not None:
        prefix = actor.scope_path or ""
        ok = get_user_model().objects.filter(
            subtree_q("organization__path", prefix), pk__in=[u.pk for u in users]
        )
        if ok.count() != len({u.pk for u in users}):
            errors["users"] = _("Choose users within your scope.")
    if elders is not None:
        seen = policy_for(Elder).instances(actor, "read", Elder.objects.all())
        if seen.filter(pk__in=[e.pk for e in elders]).count() != len({e.pk for e in elders}):
            errors["elders"] = _("Choose elders within your scope.")
    if units is not None and any(u.organization_id != meeting.organization_id for u in units):
        errors["units"] = _("Choose member units of the organiser.")
    if committees is not None and any(
        not covers(actor, o.path) or o.pk == meeting.organization_id for o in committees
    ):
        errors["committees"] = _("Choose other committees within your scope.")
    return errors


@action("write", model=Meeting)
def save_meeting(
    actor, meeting: Meeting, users=None, elders=None, units=None, committees=None
) -> Meeting:
    """Create or change a meeting and, when given, its attendees."""
    before = snapshot(Meeting.objects.get(pk=meeting.pk)) if meeting.pk else None
    in_scope(actor, Meeting, meeting.organization.path)
    strip(meeting, *LIMITS)
    check_lengths(meeting, LIMITS)
    errors = _check_attendees(actor, meeting, users, elders, units, committees)
    if meeting.status != MeetingStatus.PLANNED and meeting.date and meeting.date > dates.today():
        errors["date"] = _("A meeting that has been held cannot be dated in the future.")
    if meeting.status == MeetingStatus.MINUTED and not meeting.minutes:
        errors["minutes"] = _("Minuted meetings keep their minutes: write them.")
    if meeting.pk and meeting.date:
        first_due = meeting.items.order_by("due_date").values_list("due_date", flat=True).first()
        if first_due and first_due <= meeting.date:
            errors["date"] = _("Action items of this meeting are due before that date.")
    if errors:
        raise ValidationError(errors)
    meeting.full_clean()
    meeting.save()
    for name, rows in (("users", users), ("elders", elders), ("units", units)):
        if rows is not None:
            getattr(meeting, name).set(rows)
    if committees is not None:
        meeting.committees.set(committees)
    saved(actor, meeting, before, meeting.organization)
    notify("meeting_invitation", meeting=meeting, actor=actor)  # attendees, once per date
    return meeting


@action("write", model=Meeting)
def delete_meeting(actor, meeting: Meeting) -> None:
    meeting = Meeting.objects.select_related("organization").get(pk=meeting.pk)
    if meeting.decisions.exists():
        raise ValidationError(_("Delete this meeting's decisions first."))
    for attachment in meeting.attachments.all():
        delete_on_commit(attachment.file)
    deleted(actor, meeting, meeting.organization)
    meeting.delete()


def _move(actor, meeting: Meeting, to: str, message: str) -> Meeting:
    before = snapshot(meeting)
    meeting.status = to
    meeting.save(update_fields=["status", "updated_at"])
    record(
        actor,
        Action.UPDATE,
        meeting,
        before=before,
        after=snapshot(meeting),
        parent=meeting.organization,
        message=message,
    )
    return meeting


@action("write", model=Meeting)
def hold(actor, meeting: Meeting, head_count: int | None = None) -> Meeting:
    """A planned meeting took place (on its date, not in the future)."""
    meeting = Meeting.objects.select_related("organization").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be marked as held."))
    if meeting.date > dates.today():
        raise ValidationError(_("This meeting's date has not come yet."))
    if head_count is not None:
        if not 0 <= head_count <= 100_000:
            raise ValidationError({"head_count": _("Enter a number from 0 to 100000.")})
        meeting.head_count = head_count
        meeting.save(update_fields=["head_count"])
    return _move(actor, meeting, MeetingStatus.HELD, _("Meeting held"))


@action("write", model=Meeting)
def minute(actor, meeting: Meeting, minutes: str, speeches: str = "") -> Meeting:
    """Record a held meeting's minutes (and speeches): it is minuted from then on."""
    meeting = Meeting.objects.select_related("organization").get(pk=meeting.pk)
    if meeting.status == MeetingStatus.PLANNED:
        raise ValidationError(_("Mark the meeting as held first."))
    meeting.minutes = (minutes or "").strip()
    meeting.speeches = (speeches or "").strip() or meeting.speeches
    if not meeting.minutes:
        raise ValidationError({"minutes": _("Write the minutes.")})
    check_lengths(meeting, {"minutes": 20000, "speeches": 20000})
    meeting.save(update_fields=["minutes", "speeches", "updated_at"])
    return _move(actor, meeting, MeetingStatus.MINUTED, _("Minutes recorded"))


def occurrences(first: datetime.date, every: str, count: int) -> list[datetime.date]:
    """The dates of ``count`` regular meetings from ``first``, monthly or quarterly."""
    step = {"month": 1, "quarter": 3}[every]
    found = []
    for i in range(count):
        month = dates.add_months(first, i * step)
        last = dates.last_of_month(month.year, month.month).day
        found.append(month.replace(day=min(first.day, last)))
    return found


@action("write", model=Meeting)
def schedule(
    actor,
    organization: Organization,
    *,
    kind,
    title: str,
    first: datetime.date,
    every: str,
    count: int,
    place: str = "",
) -> list[Meeting]:
    """Create the next ``count`` regular meetings (例会) as planned, one per month or quarter,
    titled with their month and sharing the schedule's name."""
    if every not in ("month", "quarter"):
        raise ValidationError({"every": _("Choose monthly or quarterly.")})
    if not 1 <= count <= MAX_OCCURRENCES:
        message = _("Between 1 and %(n)d meetings.") % {"n": MAX_OCCURRENCES}
        raise ValidationError({"count": message})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Name the regular meeting.")})
    if len(title) > 80:
        raise ValidationError({"title": _("At most 80 characters.")})
    made = []
    for day in occurrences(first, every, count):
        meeting = Meeting(
            organization=organization,
            kind=kind,
            title=f"{title}（{day.year}年{day.month}月）",
            date=day,
            place=place,
            series=title,
        )
        made.append(save_meeting(actor, meeting))
    return made


@action("write", model=Meeting)
def add_attachment(actor, meeting: Meeting, upload) -> MeetingAttachment:
    """Attach a photo or document to the meeting's minutes (checked by its content)."""
    checked = attachments.check_upload(upload)
    meeting = Meeting.objects.select_related("organization").get(pk=meeting.pk)
    attachment = MeetingAttachment(meeting=meeting, uploaded_by=actor)
    stored = attachment.store(checked)
    try:
        attachment.save()
        record(
            actor,
            Action.CREATE,
            attachment,
            after={"name": attachment.name, "size": attachment.size},
            parent=meeting,
            org_path=meeting.organization.path,
        )
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@action("write", model=Meeting)
def delete_attachment(actor, meeting: Meeting, attachment_pk: int) -> None:
    meeting = Meeting.objects.select_related("organization").get(pk=meeting.pk)
    attachment = meeting.attachments.get(pk=attachment_pk)
    record(
        actor,
        Action.DELETE,
        attachment,
        before={"name": attachment.name, "size": attachment.size},
        parent=meeting,
        org_path=meeting.organization.path,
    )
    delete_on_commit(attachment.file)
    attachment.delete()


# --- Decisions ------------------------------------------------------------------------------


@action("write", model=Decision)
def save_decision(actor, decision: Decision) -> Decision:
    before = snapshot(Decision.objects.get(pk=decision.pk)) if decision.pk else None
    meeting = Meeting.objects.select_related("organization").get(pk=decision.meeting_id)
    in_scope(actor, Meeting, meeting.organization.path)
    strip(decision, "text")
    check_lengths(decision, {"text": 2000})
    if meeting.status == MeetingStatus.PLANNED:
        raise ValidationError(_("Decisions are recorded once the meeting has been held."))
    if not decision.number:
        last = meeting.decisions.order_by("-number").values_list("number", flat=True).first()
        decision.number = (last or 0) + 1
    decision.full_clean()
    decision.save()
    saved(actor, decision, before, meeting, org_path=meeting.organization.path)
    return decision


@action("write", model=Decision)
def delete_decision(actor, decision: Decision) -> None:
    decision = Decision.objects.select_related("meeting__organization").get(pk=decision.pk)
    if decision.items.exists():
        raise ValidationError(_("Delete this decision's action items first."))
    deleted(actor, decision, decision.meeting, org_path=decision.meeting.organization.path)
    decision.delete()


def units_of(meeting: Meeting):
    return MemberUnit.objects.filter(organization=meeting.organization_id).current(
        timezone.localdate()
    )
