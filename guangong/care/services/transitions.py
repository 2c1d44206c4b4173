"""The case workflow's actions (``care.workflow``): one audited transition at a time.

Out of order, incomplete or unauthorised: refused, and nothing changes. Approving (and
returning a case waiting for approval) is for approvers of the case's organisation or of the
one directly above it: the Case policy's ``approve`` rule.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.core import dates
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.notifications import notify

from .. import workflow
from ..models import Case, Status, Transition
from .cases import record_change, state


def _stage_label(status: str) -> str:
    return str(Status(status).label)


@action("transition", model=Case)
def transition(actor, case: Case, action: str, comment: str = "", **data) -> Case:
    """Apply one workflow action. Out of order, incomplete or unauthorised: refused, and
    nothing changes."""
    case = Case.objects.select_related("organization", "youth").get(pk=case.pk)
    step = workflow.ACTIONS.get(action)
    if step is None:
        raise ValidationError(_("Unknown action."))
    if case.anonymised_at:
        raise ValidationError(_("This case has been anonymised and cannot change."))
    if case.status not in step.moves:
        raise ValidationError(
            _("The case is at the stage “%(stage)s”; “%(action)s” is not possible now.")
            % {"stage": _stage_label(case.status), "action": step.label}
        )
    comment = (comment or "").strip()
    if step.needs_comment and not comment:
        raise ValidationError({"comment": _("Give a reason.")})
    if not policy_for(Case).allows(actor, step.op(case.status), case):
        if step.op(case.status) == "approve":
            raise PermissionDenied(
                _(
                    "Only an approver of this organisation or of its parent organisation may "
                    "do this."
                )
            )
        raise PermissionDenied(_("You do not have permission to do this."))
    before = state(case)
    _requirements(case, action, data)
    old = case.status
    case.status = step.moves[old]
    if action == "close":
        case.closed_on = timezone.localdate()
    if action == "reopen":
        case.closed_on = None
    case.save()
    step_taken = Transition.objects.create(
        case=case,
        action=action,
        from_status=old,
        to_status=case.status,
        actor=actor,
        actor_name=str(actor),
        comment=comment,
    )
    notify("case_step", case=case, transition=step_taken, actor=actor)
    record_change(
        actor,
        case,
        before,
        message=_("%(action)s: %(from)s → %(to)s")
        % {"action": step.label, "from": _stage_label(old), "to": _stage_label(case.status)},
    )
    return case


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except Exception as exc:
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 1500.00.")}) from exc
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    return amount


def _requirements(case: Case, action: str, data: dict) -> None:
    """What a stage needs before the case may leave it; fills the values the action carries."""
    if action == "submit" and not case.situation.strip():
        raise ValidationError({"situation": _("Describe the situation before assessment.")})
    if action == "assess":
        errors = {}
        if not case.assessment.strip():
            errors["assessment"] = _("Write the assessment first.")
        if not case.plan.strip():
            errors["plan"] = _("Write the plan of help first.")
        if case.youth is not None and case.youth.is_minor and not case.has_consent:
            errors["consent_by"] = _(
                "The person helped is a minor: record the guardian's consent before the "
                "assessment is passed on."
            )
        if errors:
            raise ValidationError(errors)
    if action == "approve":
        if data.get("amount_approved") in (None, ""):
            approved = case.amount_requested or Decimal("0.00")
        else:
            approved = _amount(data["amount_approved"], "amount_approved")
        if case.amount_requested is not None and approved > case.amount_requested:
            raise ValidationError(
                {"amount_approved": _("The approved amount cannot exceed the amount requested.")}
            )
        case.amount_approved = approved
        if data.get("funding_source"):
            case.funding_source = data["funding_source"]
    if action == "disburse":
        disbursed = _amount(data.get("amount_disbursed", 0) or 0, "amount_disbursed")
        if disbursed > (case.amount_approved or Decimal(0)):
            raise ValidationError(
                {"amount_disbursed": _("The amount disbursed cannot exceed the amount approved.")}
            )
        on = data.get("disbursed_on") or timezone.localdate()
        if on > timezone.localdate():
            raise ValidationError({"disbursed_on": _("The date cannot be in the future.")})
        dates.WORK.validate(on, "disbursed_on")
        case.amount_disbursed, case.disbursed_on = disbursed, on
    if action == "close" and not case.follow_ups.exists():
        raise ValidationError(_("Record at least one follow-up visit before closing the case."))
