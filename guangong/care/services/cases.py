"""Registering and changing care cases, the guardian's consent, and cases following people
merged in the people app.

Each change is an action (``core.actions``): the actor's verbs (``care`` and ``edit``) and the
case's scope are checked by the Case policy, and the change and its audit record are one
transaction.
"""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import record_saved, snapshot
from guangong.core import crypto, dates
from guangong.core.actions import action, nothing_changed
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope, subtree_q
from guangong.dicts.models import DictItem, DictKind
from guangong.dicts.services import unknown_item
from guangong.notifications import notify
from guangong.orgs.models import Organization
from guangong.people.models import Elder, Team, Youth

from ..models import Case, Status, Transition

#: Free text about the child and the family: the audit log (read by administrators who may not
#: open cases) shows that it changed and how long it is, never what it says.
REDACTED_TEXT = ("situation", "assessment", "plan", "consent_by", "consent_note")


def redacted(value: str) -> str:
    return _("(%(n)d characters)") % {"n": len(value)} if value else ""


def state(case: Case) -> dict:
    """The case as its audit records show it: free text by length, sensitive fields masked."""
    data = snapshot(case)
    for name in REDACTED_TEXT:
        data[name] = redacted(getattr(case, name))
    for name, column in Case.SENSITIVE_FIELDS.items():
        # The audit log says that a sensitive field changed, never what it holds.
        data[name] = _("(recorded)") if getattr(case, column) else ""
    data["elders"] = sorted(case.elders.values_list("pk", flat=True)) if case.pk else []
    data["teams"] = sorted(case.teams.values_list("pk", flat=True)) if case.pk else []
    return data


def record_change(actor, case: Case, before: dict, **extra) -> None:
    """The audit record of a change to ``case`` from ``before`` (``state``) to what it is now."""
    record_saved(actor, case, before, state(case), **extra)


def refuse_if_closed(case: Case) -> None:
    if case.status == Status.CLOSED or case.anonymised_at:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))


def _check(actor, case: Case, elders, teams) -> None:
    errors: dict[str, str] = {}
    scope = actor.scope_path or ""
    org = Organization.objects.get(pk=case.organization_id)
    if not policy_for(Case).allows_path(actor, "write", org.path):
        raise OutOfScope()
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
    if unknown_item(case.funding_source_id, DictKind.FUNDING_SOURCE):
        errors["funding_source"] = _("Choose a funding source from the list.")
    if case.care_worker_id is not None:
        worker = get_user_model().objects.filter(pk=case.care_worker_id).first()
        worker_path = worker.scope_path if worker else None
        if (
            worker is None
            or not policy_for(Case).may(worker, "read")
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


def next_number(case: Case) -> str:
    return f"GA{case.opened_on:%Y}-{case.pk:06d}"


def _insert_registered(case: Case, actor) -> None:
    """Store a new case with its number and the registration step of its history (the caller
    holds the action; the demo loader calls it in its batch)."""
    case.number = f"new-{uuid.uuid4().hex[:16]}"  # replaced below, once the id is known
    case.save()
    case.number = next_number(case)
    case.save(update_fields=["number"])
    Transition.objects.create(
        case=case,
        action="register",
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        actor_name=str(actor),
    )


@action("write", model=Case)
def save_case(actor, case: Case, *, sensitive: dict | None = None, elders=None, teams=None) -> Case:
    """Register a case (登记) or change one that is not closed.

    ``sensitive`` holds clear values for ``address``, ``family_situation`` and ``health``
    (None keeps what is stored, "" clears); they are stored encrypted.
    """
    before = None
    if case.pk:
        stored = Case.objects.select_related("organization").get(pk=case.pk)
        refuse_if_closed(stored)
        before = state(stored)
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
        _insert_registered(case, actor)
    else:
        case.save()
    if elders is not None:
        case.elders.set(elders)
    if teams is not None:
        case.teams.set(teams)
    after = state(case)
    if after == before:
        nothing_changed()
        return case
    if case.care_worker_id and (before or {}).get("care_worker") != case.care_worker_id:
        notify("case_step", case=case, actor=actor)  # the case is given to its care worker
    record_saved(actor, case, before, after)
    return case


@action("write", model=Case)
def record_consent(actor, case: Case, *, by: str, relation: str, on: datetime.date, note=""):
    """Record the guardian's consent (监护人同意) to handling the child's data."""
    case = Case.objects.select_related("organization").get(pk=case.pk)
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
    before = state(case)
    case.consent_by, case.consent_relation = by.strip(), relation.strip()
    case.consent_on, case.consent_note = on, (note or "").strip()
    case.save()
    record_change(actor, case, before)
    return case


@action("merge")
def follow_merge(actor, survivor, duplicate) -> dict:
    """Part of the people merge's action (``people.merging.merge_people``): the duplicate's
    cases become the survivor's, each with its audit record.

    Returns what moved for the survivor's audit record (``{"care_cases": [ids]}``, or ``{}``).
    """
    if isinstance(duplicate, Youth):
        cases = Case.objects.filter(youth=duplicate)
    elif isinstance(duplicate, Elder):
        cases = Case.objects.filter(elders=duplicate)
    else:
        cases = Case.objects.none()
    moved = list(cases.select_related("organization").order_by("pk"))
    for case in moved:
        before = state(case)
        if isinstance(duplicate, Youth):
            case.youth = survivor
            case.save(update_fields=["youth", "updated_at"])
        else:
            case.elders.remove(duplicate)
            case.elders.add(survivor)
        record_change(actor, case, before)
    if not moved:
        nothing_changed()
        return {}
    return {"care_cases": [case.pk for case in moved]}
