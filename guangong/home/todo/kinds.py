"""The kinds of to-do item: one function each, ``kind(user, now) -> Pending``.

Who may act is the model's policy (``policy_for``): its ``instances`` for the scope and the
verbs, its rules for the rest (``passing``). Each kind runs a constant number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.care import workflow
from guangong.care.models import Case
from guangong.care.models import Status as CaseStatus
from guangong.core.resources import policy_for
from guangong.core.scope import scope_path
from guangong.helpdesk.models import HelpReply, HelpRequest
from guangong.jobs.models import Job
from guangong.jobs.models import Status as JobStatus
from guangong.people.duplicates import dismissals_in_scope, duplicate_pairs
from guangong.people.models import Elder, Youth
from guangong.reporting.models import Report, ReportEvent, ReportStatus
from guangong.reporting.services.filing import period_of

from .items import Item, Pending, item_for, passing

#: Jobs finished this many days ago or less are listed to whoever asked for them.
JOB_DAYS = 7


# --- Reports --------------------------------------------------------------------------------


def _report_item(report: Report, kind: str, changed_at, today, **more) -> Item:
    """A report's item: its form and period, due ``due_days`` after the period ends."""
    due = period_of(report).due(report.form.due_days)
    title = f"{report.form.name} {period_of(report).label}"
    return item_for(report, kind, title, changed_at, due=due, overdue=due < today, **more)


def _return_reasons(reports) -> dict:
    """Each returned report's latest reason (one query for all)."""
    returned = [r.pk for r in reports if r.status == ReportStatus.RETURNED]
    reasons = {}
    events = ReportEvent.objects.filter(report__in=returned, action="return").order_by("at", "pk")
    for report_id, comment in events.values_list("report_id", "comment"):
        reasons[report_id] = comment
    return reasons


def reports_to_fill(user, now) -> Pending:
    """Reports of the user's organisation in draft or returned, for users who may write them."""
    policy = policy_for(Report)
    rows = Report.objects.none()
    if user.organization_id is not None and policy.may(user, "write"):
        rows = policy.instances(
            user,
            "write",
            Report.objects.filter(
                organization=user.organization_id,
                status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED),
            ).select_related("form", "organization"),
        )
    today = timezone.localdate(now)

    def item(report, reasons):
        note = ""
        if report.status == ReportStatus.RETURNED:
            reason = reasons.get(report.pk) or report.note
            note = _("Returned: %(reason)s") % {"reason": reason} if reason else _("Returned")
        return _report_item(report, "report_fill", report.updated_at, today, note=note)

    return Pending(rows, item, lookup=_return_reasons)


def _awaiting_approval(user):
    policy = policy_for(Report)
    if not policy.may(user, "approve"):
        return Report.objects.none()
    return policy.instances(
        user,
        "approve",
        Report.objects.filter(status=ReportStatus.SUBMITTED).select_related(
            "form__owner", "organization"
        ),
    ).order_by("submitted_at", "pk")


def reports_to_approve(user, now) -> Pending:
    """Submitted reports the user may approve (the Report policy's ``approve`` rule)."""
    rows = passing(Report, user, "approve", _awaiting_approval(user))
    today = timezone.localdate(now)

    def item(report, _found):
        return _report_item(
            report, "report_approve", report.submitted_at or report.updated_at, today
        )

    return Pending(rows, item)


def next_report_to_approve(user, after: int | None = None) -> Report | None:
    """下一份待审: the report waiting for this user's approval that comes after ``after`` in
    the queue (the first one when ``after`` is not waiting any more), round to the start."""
    found = passing(Report, user, "approve", _awaiting_approval(user))
    ids = [r.pk for r in found]
    if after in ids:
        i = ids.index(after)
        found = found[i + 1 :] + found[:i]
    return found[0] if found else None


# --- Care cases -----------------------------------------------------------------------------

#: Each open stage's step forward (退回 and 重新开启 are not what a case waits for).
NEXT_STEP = {
    status: step
    for step in workflow.ACTIONS.values()
    if step.name not in ("return", "reopen")
    for status in step.moves
}


def _stages(op: str) -> list[str]:
    return [status for status, step in NEXT_STEP.items() if step.op(status) == op]


def care_cases(user, now) -> Pending:
    """Open cases whose next step this user may take: the approver's steps where the Case
    policy lets them approve, the others where they may write and the case is theirs (its
    responsible care worker) or nobody's."""
    policy = policy_for(Case)
    base = Case.objects.filter(anonymised_at=None).select_related("organization", "kind")
    rows = []
    if policy.may(user, "write"):
        rows += policy.instances(user, "write", base.filter(status__in=_stages("write"))).filter(
            Q(care_worker=user) | Q(care_worker=None)
        )
    if policy.may(user, "approve"):
        approvable = policy.instances(user, "approve", base.filter(status__in=_stages("approve")))
        rows += passing(Case, user, "approve", approvable)

    def item(case, _found):
        note = f"{CaseStatus(case.status).label} → {NEXT_STEP[case.status].label}"
        title = f"{case.number} {case.kind.label}"
        return item_for(case, "care", title, case.updated_at, note=note)

    return Pending(rows, item)


# --- Help requests --------------------------------------------------------------------------


def help_requests(user, now) -> Pending:
    """Open requests in the user's scope with no reply to the requester for longer than
    ``HELPDESK_TODO_HOURS``, for users who may handle them."""
    policy = policy_for(HelpRequest)
    hours = datetime.timedelta(hours=settings.HELPDESK_TODO_HOURS)
    rows = HelpRequest.objects.none()
    if policy.may(user, "write"):
        replied = HelpReply.objects.filter(
            request=OuterRef("pk"), public=True, from_requester=False
        )
        rows = (
            policy.instances(
                user, "write", HelpRequest.objects.open().filter(created_at__lt=now - hours)
            )
            .filter(~Exists(replied))
            .select_related("organization", "kind")
            .order_by("created_at", "pk")
        )

    def item(request, _found):
        return item_for(
            request,
            "help",
            f"{request.code} {request.kind.label}",
            request.created_at,
            due=timezone.localdate(request.created_at + hours),
            overdue=True,
            note=request.get_status_display(),
        )

    return Pending(rows, item)


# --- Possible duplicates --------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateSet:
    model: type
    pairs: int
    latest: datetime.datetime


#: Finding the possible duplicates of a city takes a second (every person of the subtree
#: grouped twice): the answer of each subtree is kept this many seconds, and thrown away at
#: once when a merge, a mark as two different people or a deletion changes it
#: (``forget_duplicates``). New duplicates typed in show within this time.
DUPLICATES_SECONDS = 600
_DUPLICATES_VERSION = "todo:duplicates:version"


def forget_duplicates(**_kwargs) -> None:
    """Start every subtree's possible duplicates afresh (a signal receiver: ``apps``)."""
    try:
        cache.incr(_DUPLICATES_VERSION)
    except ValueError:
        cache.add(_DUPLICATES_VERSION, 1, None)


def forget_merged(instance=None, **_kwargs) -> None:
    if instance is not None and instance.merged_into_id:
        forget_duplicates()


def _duplicate_set(model, user) -> DuplicateSet | None:
    """The possible duplicates among the records of ``model`` the user may merge."""
    version = cache.get(_DUPLICATES_VERSION, 0)
    key = f"todo:duplicates:{model._meta.label_lower}:{scope_path(user)}:{version}"
    found = cache.get(key)
    if found is None:
        policy = policy_for(model)
        dismissed = dismissals_in_scope(model, user).count()
        pairs = duplicate_pairs(
            policy.instances(user, "merge", model.objects.all()), dismissed=dismissed
        )
        latest = max((max(p.first.updated_at, p.second.updated_at) for p in pairs), default=None)
        found = (len(pairs), latest)
        cache.set(key, found, DUPLICATES_SECONDS)
    count, latest = found
    return DuplicateSet(model, count, latest) if count else None


def duplicates(user, now) -> Pending:
    """For users who may merge records: each kind of person with possible duplicates in their
    subtree, as one item (the duplicates page lists the pairs)."""
    rows = []
    for model in (Elder, Youth):
        if policy_for(model).may(user, "merge"):
            found = _duplicate_set(model, user)
            if found is not None:
                rows.append(found)
    org = user.organization.name if user.organization_id else ""

    def item(found, _found):
        name = found.model._meta.model_name
        return Item(
            kind="duplicates",
            title=_("%(kind)s: %(n)d possible duplicate pairs")
            % {"kind": found.model._meta.verbose_name_plural, "n": found.pairs},
            url=f"{reverse('people:duplicates')}?kind={name}",
            organization=org,
            changed_at=found.latest,
        )

    return Pending(rows, item)


# --- Jobs -----------------------------------------------------------------------------------

JOB_ENDS = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.INTERRUPTED)


def jobs(user, now) -> Pending:
    """The user's own imports, exports and generated documents that finished, failed or were
    interrupted in the last ``JOB_DAYS`` days."""
    rows = (
        policy_for(Job)
        .instances(
            user,
            "read",
            Job.objects.filter(
                user=user.pk,
                status__in=JOB_ENDS,
                finished_at__gte=now - datetime.timedelta(days=JOB_DAYS),
            ),
        )
        .select_related("organization")
        .order_by("-finished_at")
    )

    def item(job, _found):
        note = job.get_status_display()
        if job.status != JobStatus.SUCCEEDED and job.message:
            note = f"{note}: {job.message}"
        return item_for(job, "jobs", job.label, job.finished_at, note=note)

    return Pending(rows, item)
