"""What each event says, and to whom: one function an event, ``build(**ids) -> [Note]``.

The services of other apps call ``notifications.notify(event, **objects)`` inside their action;
once it has committed, the task worker calls the event's builder here with the rows' ids. Who
receives a note is asked of the model's policy (``users_with``, ``allows``), so that a message
never tells anyone about a row they could not open. Each note carries the key that makes it
once only: the event, the occurrence (a report's history line, a case's transition) and the
user.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from guangong.care.models import Case, Transition
from guangong.core.resources import policy_for
from guangong.helpdesk.models import HelpReferral, HelpRequest
from guangong.jobs.models import Job
from guangong.jobs.models import Status as JobStatus
from guangong.reporting.models import Report, ReportEvent
from guangong.reporting.services.filing import period_of

from .models import Event


@dataclass(frozen=True)
class Note:
    """One message for one user."""

    user: object
    event: str
    title: str
    body: str
    url: str
    key: str


def _active(users):
    return [u for u in users if u.is_active]


def _report_title(report: Report) -> str:
    return f"{report.form.name} {period_of(report).label}"


def _report_writers(report: Report):
    """The users of the report's own organisation who may fill it in."""
    users = policy_for(Report).users_with("write", report.organization.path)
    return _active(users.filter(organization=report.organization_id))


def _report_event(event: str, action: str, report_id: int, **_kw) -> list[Note]:
    report = Report.objects.select_related("form", "organization").filter(pk=report_id).first()
    if report is None:
        return []
    line = ReportEvent.objects.filter(report=report, action=action).order_by("-pk").first()
    occurrence = line.pk if line else 0
    title = _report_title(report)
    if event == Event.REPORT_RETURNED:
        title = _("Report returned: %(report)s") % {"report": title}
        body = _("Reason: %(reason)s") % {"reason": line.comment} if line and line.comment else ""
    else:
        title = _("Report approved: %(report)s") % {"report": title}
        body = line.comment if line else ""
    url = report.get_absolute_url()
    return [
        Note(user, event, title, body, url, f"{event}:{report.pk}:{occurrence}:{user.pk}")
        for user in _report_writers(report)
    ]


def report_returned(report: int, **kw) -> list[Note]:
    return _report_event(Event.REPORT_RETURNED, "return", report, **kw)


def report_approved(report: int, **kw) -> list[Note]:
    return _report_event(Event.REPORT_APPROVED, "approve", report, **kw)


def report_due(report: int, due: str, **_kw) -> list[Note]:
    """A report of the user's organisation still open three days before it is due."""
    found = Report.objects.select_related("form", "organization").filter(pk=report).first()
    if found is None:
        return []
    on = datetime.date.fromisoformat(due)
    title = _("Due on %(date)s: %(report)s") % {
        "date": f"{on.month}月{on.day}日",
        "report": _report_title(found),
    }
    body = _("Fill it in and submit it before the deadline.")
    url = found.get_absolute_url()
    return [
        Note(user, Event.REPORT_DUE, title, body, url, f"report_due:{found.pk}:{due}:{user.pk}")
        for user in _report_writers(found)
    ]


def _case_waiters(case: Case):
    """Who takes the case's next step: approvers of its organisation or the one above for
    审批; otherwise its care worker, or, when it has none, the care workers of its
    organisation."""
    from guangong.home.todo.kinds import NEXT_STEP

    step = NEXT_STEP.get(case.status)
    if step is None:
        return []
    policy = policy_for(Case)
    op = step.op(case.status)
    if op == "write" and case.care_worker_id is not None:
        worker = case.care_worker
        return [worker] if worker.is_active and policy.allows(worker, "write", case) else []
    users = policy.users_with(op, case.organization.path)
    if op == "write":
        users = users.filter(organization=case.organization_id)
    return [u for u in _active(users) if policy.allows(u, op, case)]


def case_step(case: int, transition: int | None = None, actor: int | None = None, **_kw):
    """A case moved to a stage whose step is the user's (or was given to them)."""
    found = (
        Case.objects.select_related("organization", "kind", "care_worker")
        .filter(pk=case, anonymised_at=None)
        .first()
    )
    if found is None:
        return []
    from guangong.care.models import Status as CaseStatus

    occurrence = transition
    if transition is not None:
        step = Transition.objects.filter(pk=transition, case=found).first()
        if step is None or step.to_status != found.status:
            return []  # the case has moved on since: nothing waits from that step
    else:  # assigned: the latest step it is at
        last = Transition.objects.filter(case=found).order_by("-pk").first()
        occurrence = f"{last.pk if last else 0}:{found.care_worker_id}"
    stage = CaseStatus(found.status).label
    title = _("Care case %(number)s waits for you: %(stage)s") % {
        "number": found.number,
        "stage": stage,
    }
    body = _("%(kind)s, %(org)s.") % {"kind": found.kind.label, "org": found.organization.name}
    url = found.get_absolute_url()
    return [
        Note(
            user, Event.CASE_STEP, title, body, url, f"case_step:{found.pk}:{occurrence}:{user.pk}"
        )
        for user in _case_waiters(found)
        if user.pk != actor
    ]


def help_referred(referral: int, actor: int | None = None, **_kw) -> list[Note]:
    """A help request referred to the user's organisation: its care workers."""
    found = HelpReferral.objects.select_related("request__kind", "to_org", "from_org")
    found = found.filter(pk=referral).first()
    if found is None:
        return []
    req = found.request
    policy = policy_for(HelpRequest)
    users = policy.users_with("write", found.to_org.path).filter(organization=found.to_org_id)
    title = _("Help request %(code)s referred to you") % {"code": req.code}
    body = _("%(kind)s, referred by %(org)s.") % {
        "kind": req.kind.label,
        "org": found.from_org.name,
    }
    if found.note:
        body = f"{body} {found.note}"
    url = req.get_absolute_url()
    return [
        Note(user, Event.HELP_REFERRED, title, body, url, f"help_referred:{found.pk}:{user.pk}")
        for user in _active(users)
        if user.pk != actor and policy.allows(user, "write", req)
    ]


def job_finished(job: str, **_kw) -> list[Note]:
    """The owner's import, export or document finished or failed."""
    found = Job.objects.filter(pk=job).select_related("user").first()
    if found is None or found.user is None or not found.user.is_active:
        return []
    if found.status not in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        return []
    if found.status == JobStatus.SUCCEEDED:
        title = _("Finished: %(job)s") % {"job": found.label}
    else:
        title = _("Failed: %(job)s") % {"job": found.label}
    body = found.message or ""
    url = reverse("jobs:job_detail", args=[found.pk])
    key = f"job_finished:{found.pk}:{found.attempts}:{found.user_id}"
    return [Note(found.user, Event.JOB_FINISHED, title, body, url, key)]


def requester_sms(reply: int, **_kw) -> list[tuple[str, str, str, str]]:
    """A staff reply to a requester who agreed to SMS: (key, phone, org path, text). The text
    says where to read the reply, never what it says."""
    from guangong.core import crypto
    from guangong.helpdesk.models import HelpReply

    found = HelpReply.objects.select_related("request__organization").filter(pk=reply).first()
    if found is None or not found.public or found.from_requester:
        return []
    req = found.request
    if not req.sms_consent:
        return []
    text = _(
        "Your help request %(code)s has a new reply. See it at %(url)s with your tracking code "
        "and phone number."
    ) % {"code": req.code, "url": f"{settings.SITE_URL.rstrip('/')}{reverse('help:status')}"}
    phone = crypto.decrypt(req.phone_enc)
    return [(f"help_replied:{found.pk}:sms", phone, req.organization.path, text)]


BUILDERS = {
    Event.REPORT_RETURNED: report_returned,
    Event.REPORT_APPROVED: report_approved,
    Event.REPORT_DUE: report_due,
    Event.CASE_STEP: case_step,
    Event.HELP_REFERRED: help_referred,
    Event.JOB_FINISHED: job_finished,
}


def build(event: str, ids: dict) -> list[Note]:
    from .work import BUILDERS as WORK  # notices, information items, meetings

    return (BUILDERS.get(event) or WORK[event])(**ids)


def user_by_id(pk):
    return get_user_model().objects.filter(pk=pk).first()
