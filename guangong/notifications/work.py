"""The messages of notices (通知), information items (信息报送) and meetings (会议督办): what each
event says and to whom, in the manner of ``events`` (recipients asked of the policies, one key
per occurrence and user), and the daily look for notices' feedback due in three days and for
action items past their due date."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.core.resources import policy_for
from guangong.meetings.models import ActionItem, Meeting, MeetingStatus
from guangong.notices.models import InfoItem, ItemStatus, Notice, NoticeStatus, Receipt, Reminder

from .events import Note, _active
from .models import Event

#: How long after its due date an open action item is still told to its owner once.
OVERDUE_LOOK_BACK_DAYS = 30


def _day(on: datetime.date) -> str:
    return f"{on.year}年{on.month}月{on.day}日"


# --- Notices --------------------------------------------------------------------------------


def _recipients_of(org_ids):
    """The active users of the recipient organisations who may file feedback (the verbs of
    the Receipt policy's ``write``)."""
    verbs = policy_for(Receipt).verbs_for("write")
    users = get_user_model()._default_manager.with_verbs(verbs)
    return users.filter(organization_id__in=list(org_ids), is_active=True)


def _notice_title(notice: Notice) -> str:
    return f"{notice.doc_number} {notice.title}".strip()


def _feedback_line(notice: Notice) -> str:
    if notice.feedback_required and notice.feedback_due:
        return _("Feedback is due by %(date)s.") % {"date": _day(notice.feedback_due)}
    return ""


def notice_issued(notice: int, **_kw) -> list[Note]:
    """A notice issued to the user's organisation."""
    found = Notice.objects.select_related("organization").filter(pk=notice).first()
    if found is None or found.status != NoticeStatus.ISSUED:
        return []
    orgs = found.receipts.values_list("organization_id", flat=True)
    title = _("New notice: %(notice)s") % {"notice": _notice_title(found)}
    body = " ".join(
        part
        for part in (_("From %(org)s.") % {"org": found.organization.name}, _feedback_line(found))
        if part
    )
    url = found.get_absolute_url()
    return [
        Note(user, Event.NOTICE_ISSUED, title, body, url, f"notice_issued:{found.pk}:{user.pk}")
        for user in _recipients_of(orgs)
    ]


def notice_reminder(reminder: int, **_kw) -> list[Note]:
    """The issuer reminded the user's organisation to read or answer a notice."""
    found = Reminder.objects.select_related("receipt__notice__organization").filter(pk=reminder)
    found = found.first()
    if found is None:
        return []
    notice = found.receipt.notice
    title = _("Reminder: %(notice)s") % {"notice": _notice_title(notice)}
    body = " ".join(
        part
        for part in (
            _("%(org)s asks you to read the notice and answer it.")
            % {"org": notice.organization.name},
            _feedback_line(notice),
            found.note,
        )
        if part
    )
    url = notice.get_absolute_url()
    return [
        Note(user, Event.NOTICE_REMINDER, title, body, url, f"notice_reminder:{found.pk}:{user.pk}")
        for user in _recipients_of([found.receipt.organization_id])
    ]


def notice_feedback_due(receipt: int, **_kw) -> list[Note]:
    """The feedback of the user's organisation is due in three days and not filed yet."""
    found = Receipt.objects.select_related("notice").filter(pk=receipt).first()
    if found is None or found.answered_at is not None:
        return []
    notice = found.notice
    if not notice.feedback_required or notice.feedback_due is None:
        return []
    title = _("Feedback due on %(date)s: %(notice)s") % {
        "date": f"{notice.feedback_due.month}月{notice.feedback_due.day}日",
        "notice": _notice_title(notice),
    }
    body = _("File your organisation's feedback before the deadline.")
    url = notice.get_absolute_url()
    key = f"notice_feedback_due:{found.pk}:{notice.feedback_due.isoformat()}"
    return [
        Note(user, Event.NOTICE_FEEDBACK_DUE, title, body, url, f"{key}:{user.pk}")
        for user in _recipients_of([found.organization_id])
    ]


def feedback_due_soon(today: datetime.date):
    """Receipts of issued notices whose feedback is due in ``NOTIFY_DEADLINE_DAYS`` days and
    not yet filed."""
    target = today + datetime.timedelta(days=settings.NOTIFY_DEADLINE_DAYS)
    return Receipt.objects.filter(
        notice__status=NoticeStatus.ISSUED,
        notice__feedback_required=True,
        notice__feedback_due=target,
        answered_at__isnull=True,
    ).values_list("pk", flat=True)


# --- Information items ----------------------------------------------------------------------


def info_item_decided(item: int, **_kw) -> list[Note]:
    """The user's organisation's information item was adopted or returned."""
    found = InfoItem.objects.select_related("organization", "handler").filter(pk=item).first()
    if found is None or found.status not in (ItemStatus.ACCEPTED, ItemStatus.RETURNED):
        return []
    if found.status == ItemStatus.RETURNED:
        title = _("Information item returned: %(title)s") % {"title": found.title}
        body = _("Reason: %(reason)s") % {"reason": found.reason}
    else:
        title = _("Information item adopted: %(title)s") % {"title": found.title}
        body = _("Adopted by %(org)s.") % {"org": found.handler.name}
    stamp = int(found.decided_at.timestamp()) if found.decided_at else 0
    occurrence = f"{found.pk}:{found.status}:{stamp}"
    policy = policy_for(InfoItem)
    users = policy.users_with("write", found.organization.path)
    url = found.get_absolute_url()
    return [
        Note(user, Event.INFO_ITEM_DECIDED, title, body, url, f"info_item:{occurrence}:{user.pk}")
        for user in _active(users.filter(organization=found.organization_id))
    ]


# --- Meetings and action items --------------------------------------------------------------


def meeting_invitation(meeting: int, actor: int | None = None, **_kw) -> list[Note]:
    """The user is among a planned meeting's attendees: once per meeting and date (a new date
    is an update). The link is given to those who may open the meeting; the text says what,
    when and where for all."""
    found = Meeting.objects.select_related("organization", "kind").filter(pk=meeting).first()
    if found is None or found.status != MeetingStatus.PLANNED:
        return []
    if found.date < timezone.localdate():
        return []
    policy = policy_for(Meeting)
    body = _("%(org)s, %(kind)s, on %(date)s at %(place)s.") % {
        "org": found.organization.name,
        "kind": found.kind.label,
        "date": _day(found.date),
        "place": found.place or _("a place to be announced"),
    }
    if found.chair:
        chair = _("Chair: %(chair)s.") % {"chair": found.chair}
        body = f"{body} {chair}"
    prefix = f"meeting_invitation:{found.pk}:"
    from .models import Message

    told = set(
        Message.objects.filter(key__startswith=prefix).values_list("recipient_id", flat=True)
    )
    notes = []
    for user in _active(found.users.all()):
        if user.pk == actor:
            continue
        if user.pk in told:
            title = _("Meeting rescheduled: %(title)s") % {"title": found.title}
        else:
            title = _("Invitation: %(title)s") % {"title": found.title}
        url = found.get_absolute_url() if policy.allows(user, "read", found) else ""
        key = f"{prefix}{found.date.isoformat()}:{user.pk}"
        notes.append(Note(user, Event.MEETING_INVITATION, title, body, url, key))
    return notes


def _item(pk: int) -> ActionItem | None:
    related = ("meeting__organization", "owner_org", "owner_unit__organization", "decision")
    return ActionItem.objects.select_related(*related).filter(pk=pk).first()


def _item_owners(item: ActionItem):
    """The users of the owning organisation (a member unit's: the organiser) who report on
    the item."""
    from guangong.meetings.services.items import may_report

    org = item.owner_org if item.owner_org_id else item.owner_unit.organization
    policy = policy_for(ActionItem)
    users = policy.users_with("read", org.path).filter(organization=org)
    return [u for u in _active(users) if may_report(u, item) and policy.allows(u, "read", item)]


def _item_body(item: ActionItem) -> str:
    return _("%(meeting)s; owner %(owner)s; due %(date)s.") % {
        "meeting": item.meeting.title,
        "owner": item.owner_name,
        "date": _day(item.due_date),
    }


def action_item_assigned(item: int, actor: int | None = None, **_kw) -> list[Note]:
    """An action item assigned to the user's organisation (or to a member unit of it)."""
    found = _item(item)
    if found is None or found.closed:
        return []
    owner = f"o{found.owner_org_id}" if found.owner_org_id else f"u{found.owner_unit_id}"
    title = _("Action item assigned: %(task)s") % {"task": found.task}
    url = found.get_absolute_url()
    return [
        Note(
            user,
            Event.ACTION_ITEM_ASSIGNED,
            title,
            _item_body(found),
            url,
            f"action_item_assigned:{found.pk}:{owner}:{user.pk}",
        )
        for user in _item_owners(found)
        if user.pk != actor
    ]


def action_item_closure(item: int, actor: int | None = None, **_kw) -> list[Note]:
    """The owner asks to close an action item: the organiser's approvers."""
    found = _item(item)
    if found is None or found.closed or found.closure_requested_at is None:
        return []
    org = found.meeting.organization
    policy = policy_for(ActionItem)
    users = policy.users_with("approve", org.path).filter(organization=org)
    stamp = int(found.closure_requested_at.timestamp())
    title = _("Closure asked for: %(task)s") % {"task": found.task}
    url = found.get_absolute_url()
    return [
        Note(
            user,
            Event.ACTION_ITEM_CLOSURE,
            title,
            _item_body(found),
            url,
            f"action_item_closure:{found.pk}:{stamp}:{user.pk}",
        )
        for user in _active(users)
        if user.pk != actor and policy.allows(user, "approve", found)
    ]


def action_item_overdue(item: int, **_kw) -> list[Note]:
    """An open action item of the user's organisation is past its due date (once per due
    date)."""
    found = _item(item)
    if found is None or not found.is_overdue:
        return []
    title = _("Action item overdue: %(task)s") % {"task": found.task}
    url = found.get_absolute_url()
    key = f"action_item_overdue:{found.pk}:{found.due_date.isoformat()}"
    return [
        Note(user, Event.ACTION_ITEM_OVERDUE, title, _item_body(found), url, f"{key}:{user.pk}")
        for user in _item_owners(found)
    ]


def overdue_items(today: datetime.date):
    since = today - datetime.timedelta(days=OVERDUE_LOOK_BACK_DAYS)
    return (
        ActionItem.objects.overdue(today).filter(due_date__gte=since).values_list("pk", flat=True)
    )


def remind(today: datetime.date) -> int:
    """The daily look: notices' feedback due in three days, action items overdue."""
    from .sending import make_messages

    made = 0
    for pk in list(feedback_due_soon(today)):
        made += len(make_messages(Event.NOTICE_FEEDBACK_DUE, {"receipt": pk}))
    for pk in list(overdue_items(today)):
        made += len(make_messages(Event.ACTION_ITEM_OVERDUE, {"item": pk}))
    return made


def reminded(reminder) -> None:
    """The hook the notices call with each reminder once it has committed."""
    from . import notify

    notify(Event.NOTICE_REMINDER, reminder=reminder)


BUILDERS = {
    Event.NOTICE_ISSUED: notice_issued,
    Event.NOTICE_REMINDER: notice_reminder,
    Event.NOTICE_FEEDBACK_DUE: notice_feedback_due,
    Event.INFO_ITEM_DECIDED: info_item_decided,
    Event.MEETING_INVITATION: meeting_invitation,
    Event.ACTION_ITEM_ASSIGNED: action_item_assigned,
    Event.ACTION_ITEM_CLOSURE: action_item_closure,
    Event.ACTION_ITEM_OVERDUE: action_item_overdue,
}
