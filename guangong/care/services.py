"""Every change to care cases, and every opening or reveal of one.

Each function checks the actor's verbs (``care`` for everything, ``edit`` for changes,
``approve`` for approval, ``reveal`` for sensitive fields) and scope, then writes the change,
the audit record and — for openings, reveals, exports and downloads — the case's access log,
in one transaction.
"""

import datetime
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action as AuditAction
from guangong.audit.services import record, snapshot
from guangong.core import context, crypto, dates
from guangong.core.scope import subtree_q
from guangong.core.services import require, require_in_scope
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Organization
from guangong.people.models import Elder, Team, Youth

from . import workflow
from .models import Access, Attachment, Case, FollowUp, Status, Transition

EDITABLE = (
    "youth",
    "kind",
    "organization",
    "care_worker",
    "situation",
    "assessment",
    "plan",
    "amount_requested",
    "funding_source",
    "opened_on",
)
SENSITIVE_LABELS = {
    "address": _("address"),
    "family_situation": _("family situation"),
    "health": _("health"),
    "id_number": _("ID number"),
    "photos": _("photos"),
}


def _require_care(actor, verb: str = "edit") -> None:
    require(actor, "care")
    if verb:
        require(actor, verb)


def log_access(actor, case: Case, kind: str, detail: str = "", reason: str = "") -> Access:
    ctx = context.current()
    return Access.objects.create(
        case=case,
        case_number=case.number,
        org_path=case.organization.path,
        user=actor if getattr(actor, "pk", None) else None,
        username=actor.get_username() if getattr(actor, "pk", None) else "system",
        kind=kind,
        detail=str(detail)[:200],
        reason=reason[:300],
        ip=ctx.ip,
        request_id=ctx.request_id,
    )


#: Free text about the child and the family: the audit log (read by administrators who may not
#: open cases) shows that it changed and how long it is, never what it says.
REDACTED_TEXT = ("situation", "assessment", "plan", "consent_by", "consent_note")


def _redacted(value: str) -> str:
    return _("(%(n)d characters)") % {"n": len(value)} if value else ""


def _state(case: Case) -> dict:
    data = snapshot(case)
    for name in REDACTED_TEXT:
        data[name] = _redacted(getattr(case, name))
    for name, column in Case.SENSITIVE_FIELDS.items():
        # The audit log says that a sensitive field changed, never what it holds.
        data[name] = _("(recorded)") if getattr(case, column) else ""
    data["elders"] = sorted(case.elders.values_list("pk", flat=True)) if case.pk else []
    data["teams"] = sorted(case.teams.values_list("pk", flat=True)) if case.pk else []
    return data


def _check(actor, case: Case, elders, teams) -> None:
    errors: dict[str, str] = {}
    scope = actor.scope_path or ""
    org = Organization.objects.get(pk=case.organization_id)
    require_in_scope(actor, org.path)
    if not DictItem.objects.filter(pk=case.kind_id, kind=DictKind.CASE_KIND).exists():
        errors["kind"] = _("Choose a kind of help.")
    if case.youth_id is None:
        errors["youth"] = _("Choose the person helped.")
    elif not (
        Youth.objects.current()
        .filter(subtree_q("organization__path", scope), pk=case.youth_id)
        .exists()
    ):
        errors["youth"] = _("Choose a young person within your organisation's scope.")
    if (
        case.funding_source_id
        and not DictItem.objects.filter(
            pk=case.funding_source_id, kind=DictKind.FUNDING_SOURCE
        ).exists()
    ):
        errors["funding_source"] = _("Choose a funding source from the list.")
    if case.care_worker_id is not None:
        worker = get_user_model().objects.filter(pk=case.care_worker_id).first()
        worker_path = worker.scope_path if worker else None
        if (
            worker is None
            or not worker.has_verb("care")
            or worker_path is None
            or not org.path.startswith(worker_path)
            or not worker_path.startswith(scope)
        ):
            errors["care_worker"] = _(
                "Choose a care worker who may open cases of this organisation."
            )
    if case.amount_requested is not None and case.amount_requested < 0:
        errors["amount_requested"] = _("An amount cannot be negative.")
    if case.opened_on and case.opened_on > timezone.localdate():
        errors["opened_on"] = _("A case cannot be opened in the future.")
    for name, model, values in (("elders", Elder, elders), ("teams", Team, teams)):
        if values:
            pks = {getattr(v, "pk", v) for v in values}
            found = model.objects.filter(subtree_q("organization__path", scope), pk__in=pks)
            if found.count() != len(pks):
                errors[name] = _("Choose only records within your organisation's scope.")
    if errors:
        raise ValidationError(errors)


def _set_sensitive(case: Case, values: dict) -> None:
    for name, value in values.items():
        if name not in Case.SENSITIVE_FIELDS:
            raise ValueError(f"{name} is not a sensitive field")
        if value is None:
            continue  # keep what is stored
        value = value.strip()
        setattr(case, Case.SENSITIVE_FIELDS[name], crypto.encrypt(value) if value else "")


def _next_number(case: Case) -> str:
    return f"GA{case.opened_on:%Y}-{case.pk:06d}"


@transaction.atomic
def save_case(actor, case: Case, *, sensitive: dict | None = None, elders=None, teams=None) -> Case:
    """Register a case (登记) or change one that is not closed.

    ``sensitive`` holds clear values for ``address``, ``family_situation`` and ``health``
    (None keeps what is stored, "" clears); they are stored encrypted.
    """
    _require_care(actor)
    before = None
    if case.pk:
        stored = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        require_in_scope(actor, stored.organization.path)
        if stored.status == Status.CLOSED or stored.anonymised_at:
            raise ValidationError(_("A closed case cannot be changed; reopen it first."))
        before = _state(stored)
        case.status = stored.status  # stages move only through transitions
        for name in ("amount_approved", "amount_disbursed", "disbursed_on", "closed_on"):
            setattr(case, name, getattr(stored, name))
    else:
        case.status = Status.REGISTERED
        case.opened_on = case.opened_on or timezone.localdate()
        case.created_by = actor
    case.full_clean(exclude=["number", "elders", "teams"])
    _check(actor, case, elders, teams)
    _set_sensitive(case, sensitive or {})
    if not case.pk:
        case.number = f"new-{uuid.uuid4().hex[:16]}"  # replaced below, once the id is known
        case.save()
        case.number = _next_number(case)
        case.save(update_fields=["number"])
        Transition.objects.create(
            case=case,
            action="register",
            from_status=Status.REGISTERED,
            to_status=Status.REGISTERED,
            actor=actor,
            actor_name=str(actor),
        )
    else:
        case.save()
    if elders is not None:
        case.elders.set(elders)
    if teams is not None:
        case.teams.set(teams)
    after = _state(case)
    if after != before:
        record(
            actor,
            AuditAction.UPDATE if before else AuditAction.CREATE,
            case,
            before=before,
            after=after,
            parent=case.organization,
        )
    return case


@transaction.atomic
def record_consent(actor, case: Case, *, by: str, relation: str, on: datetime.date, note=""):
    """Record the guardian's consent (监护人同意) to handling the child's data."""
    _require_care(actor)
    case = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
    require_in_scope(actor, case.organization.path)
    errors = {}
    if not (by or "").strip():
        errors["consent_by"] = _("Say who gave consent.")
    if not (relation or "").strip():
        errors["consent_relation"] = _("Say how they are related to the child.")
    if on is None or on > timezone.localdate():
        errors["consent_on"] = _("Give the date consent was given (not in the future).")
    else:
        try:
            dates.WORK.validate(on)
        except ValidationError as exc:
            errors["consent_on"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    before = _state(case)
    case.consent_by, case.consent_relation = by.strip(), relation.strip()
    case.consent_on, case.consent_note = on, (note or "").strip()
    case.save()
    record(
        actor, AuditAction.UPDATE, case, before=before, after=_state(case), parent=case.organization
    )
    return case


def _may_approve(actor, case: Case) -> bool:
    """An approver belongs to the case's organisation or to its parent."""
    if not actor.has_verb("approve"):
        return False
    if actor.is_superuser and actor.organization is None:
        return True
    own = actor.organization
    if own is None:
        return False
    org = case.organization
    parent_path = org.path[: -Organization.steplen]
    return own.path in (org.path, parent_path)


def _stage_label(status: str) -> str:
    return str(Status(status).label)


@transaction.atomic
def transition(actor, case: Case, action: str, comment: str = "", **data) -> Case:
    """Apply one workflow action. Out of order, incomplete or unauthorised: refused, and
    nothing changes."""
    _require_care(actor)
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("organization", "youth")
        .get(pk=case.pk)
    )
    require_in_scope(actor, case.organization.path)
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
    approver_step = step.approver or (action == "return" and case.status == Status.APPROVAL)
    if approver_step and not _may_approve(actor, case):
        raise PermissionDenied(
            _("Only an approver of this organisation or of its parent organisation may do this.")
        )
    if not step.approver and not approver_step:
        require(actor, "edit")
    before = _state(case)
    _requirements(case, action, data)
    old = case.status
    case.status = step.moves[old]
    if action == "close":
        case.closed_on = timezone.localdate()
    if action == "reopen":
        case.closed_on = None
    case.save()
    Transition.objects.create(
        case=case,
        action=action,
        from_status=old,
        to_status=case.status,
        actor=actor,
        actor_name=str(actor),
        comment=comment,
    )
    record(
        actor,
        AuditAction.UPDATE,
        case,
        before=before,
        after=_state(case),
        parent=case.organization,
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


@transaction.atomic
def add_follow_up(actor, case: Case, follow_up: FollowUp) -> FollowUp:
    _require_care(actor)
    case = Case.objects.select_related("organization").get(pk=case.pk)
    require_in_scope(actor, case.organization.path)
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
        after={"date": follow_up.date.isoformat(), "content": _redacted(follow_up.content)},
        parent=case,
        org_path=case.organization.path,
    )
    return follow_up


@transaction.atomic
def add_attachment(actor, case: Case, checked) -> Attachment:
    """Store a checked upload (``attachments.check``) under a random name; audited."""
    _require_care(actor)
    case = Case.objects.select_related("organization").get(pk=case.pk)
    require_in_scope(actor, case.organization.path)
    if case.status == Status.CLOSED or case.anonymised_at:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))
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
    _require_care(actor, verb="reveal" if attachment.kind == Attachment.Kind.PHOTO else "")
    case = attachment.case
    require_in_scope(actor, case.organization.path)
    log_access(actor, case, Access.Kind.DOWNLOAD, detail=attachment.name)
    return attachment.file.open("rb")


# --- Reading ----------------------------------------------------------------------------------


def open_case(actor, case: Case) -> Case:
    """Log that ``actor`` opened the case (every detail page, every API read of one)."""
    _require_care(actor, verb="")
    require_in_scope(actor, case.organization.path)
    log_access(actor, case, Access.Kind.OPEN)
    return case


@transaction.atomic
def reveal(actor, case: Case, field: str, reason: str) -> str | list:
    """The clear value of a sensitive field, for a reason; logged and audited.

    ``field`` is one of ``address``, ``family_situation``, ``health``, ``id_number`` (of the
    person helped) or ``photos`` (returns the photo attachments).
    """
    _require_care(actor, verb="reveal")
    case = Case.objects.select_related("organization", "youth").get(pk=case.pk)
    require_in_scope(actor, case.organization.path)
    if field not in SENSITIVE_LABELS:
        raise ValidationError(_("Unknown field."))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("Say why you need to see this.")})
    label = SENSITIVE_LABELS[field]
    log_access(actor, case, Access.Kind.REVEAL, detail=label, reason=reason)
    record(
        actor,
        AuditAction.REVEAL,
        case,
        parent=case.organization,
        message=_("%(field)s revealed: %(reason)s") % {"field": label, "reason": reason[:300]},
    )
    if field == "id_number":
        youth = case.youth
        return crypto.decrypt(youth.id_number_enc) if youth and youth.id_number_enc else ""
    if field == "photos":
        return list(case.attachments.filter(kind="photo"))
    column = Case.SENSITIVE_FIELDS[field]
    value = getattr(case, column)
    return crypto.decrypt(value) if value else ""


# Retention (anonymising closed cases) lives in its own module; these names stay importable here.
from .retention import (  # noqa: E402, F401
    anonymise,
    anonymise_due,
    due_for_anonymisation,
    retention_days,
)
