"""The collector's side: approving, returning and unlocking reports, and marking 未报.

Who approves a report is the ``approve`` rule of its policy (``reporting.resources``): an
approver of the organisation that collects it.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.core import dates
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope
from guangong.notifications import notify
from guangong.orgs.models import Organization

from ..models import Report, ReportForm, ReportStatus
from ..periods import period_starting
from .chain import collector_of, is_reporter, missing_children
from .filing import _transition  # the status change, its history line and audit row


def ensure_approver(actor, report: Report) -> None:
    """Refuse (403) an actor the report's policy does not let approve it, naming the
    organisation that collects it. ``report`` may be one not yet saved."""
    policy = policy_for(Report)
    if not policy.may(actor, "approve"):
        raise PermissionDenied(_("You do not have permission to do this."))
    if not policy.allows_path(actor, "approve", report.organization.path, report):
        collector = collector_of(report.form, report.organization)
        raise PermissionDenied(
            _("Only an approver of %(org)s, which collects this report, may do this.")
            % {"org": collector.name}
        )


def _approvable(actor, report: Report, *states: str) -> Report:
    report = Report.objects.select_related("form", "form__owner", "organization").get(pk=report.pk)
    ensure_approver(actor, report)
    if report.status not in states:
        raise ValidationError(
            _("The report is %(status)s; this is not possible now.")
            % {"status": report.get_status_display()}
        )
    return report


def _required_comment(text: str | None, refusal: str) -> str:
    """The comment an approver must give, stripped; ``refusal`` (on the comment) when empty."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"comment": refusal})
    return text


@action("approve", model=Report)
def approve(actor, report: Report, comment: str = "") -> Report:
    report = _approvable(actor, report, ReportStatus.SUBMITTED)
    missing = missing_children(report)
    if missing:
        raise ValidationError(
            _(
                "%(org)s's report can be approved once every report it collects is approved "
                "or marked not reported. Still open: %(missing)s."
            )
            % {"org": report.organization.name, "missing": "、".join(o.name for o in missing[:10])}
        )
    report.approved_at, report.approved_by = timezone.now(), actor
    notify("report_approved", report=report)
    return _transition(actor, report, "approve", ReportStatus.APPROVED, comment)


def approve_each(actor, reports, comment: str = "") -> tuple[list[Report], list[tuple]]:
    """Approve several submitted reports, each on its own (batch approval, 批量审核).

    Each approval is one ``approve`` action with its own audit row and history line; a report
    that cannot be approved (not the actor's to approve, no longer submitted, children still
    open) is left as it is and listed with the reason, and the others stay approved. Returns
    (approved, [(report, reason)]).
    """
    done: list[Report] = []
    refused: list[tuple] = []
    for report in reports:
        try:
            done.append(approve(actor, report, comment))
        except (ValidationError, PermissionDenied, OutOfScope) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            refused.append((report, reason or _("You do not have permission to do this.")))
    return done, refused


@action("approve", model=Report)
def return_report(actor, report: Report, comment: str) -> Report:
    comment = _required_comment(comment, _("Say what must be corrected."))
    report = _approvable(actor, report, ReportStatus.SUBMITTED)
    notify("report_returned", report=report)
    return _transition(actor, report, "return", ReportStatus.RETURNED, comment)


@action("approve", model=Report)
def unlock(actor, report: Report, reason: str) -> Report:
    """Reopen an approved report for correction (the approver only, with a reason)."""
    reason = _required_comment(reason, _("Give the reason for unlocking."))
    report = _approvable(actor, report, ReportStatus.APPROVED, ReportStatus.NOT_REPORTED)
    report.approved_at = report.approved_by = None
    return _transition(actor, report, "unlock", ReportStatus.RETURNED, reason)


@action("approve", model=Report)
def mark_not_reported(
    actor, form: ReportForm, org: Organization, start: datetime.date, reason: str
) -> Report:
    """未报: the collector records that ``org`` will not file for the period, and why."""
    reason = _required_comment(reason, _("Give the reason the report is missing."))
    if not policy_for(Report).allows_path(actor, "approve", org.path):
        raise OutOfScope()
    ensure_approver(actor, Report(form=form, organization=org))
    if not is_reporter(form, org):
        raise ValidationError(_("%(org)s does not file this report.") % {"org": org.name})
    period = period_starting(form.period_type, start)
    dates.PLAN.validate(period.start, "period_start")
    report, created = Report.objects.select_for_update().get_or_create(
        form=form, organization=org, period_start=period.start, defaults={"period_end": period.end}
    )
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError(
            _("The report is %(status)s; it cannot be marked not reported.")
            % {"status": report.get_status_display()}
        )
    report.note = reason[:300]
    return _transition(actor, report, "not_reported", ReportStatus.NOT_REPORTED, reason)
