"""Elders and young people: saving, deleting, and every reveal or look-up of an ID number.

Each change is an audited action (``core.actions``) of the person's own model: ``save_person``
and ``delete_person`` hand the record to the action of its kind.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, record_reveal, reveal_reason, snapshot
from guangong.core import crypto, idnumber
from guangong.core.actions import nothing_changed
from guangong.core.resources import policy_for

from ..bulk_delete import delete_blockers
from ..dupcheck import check_duplicates, recording
from ..models import Elder, Person, Youth
from .common import check_dict_items, per_kind, record_save, state

PEOPLE = (Elder, Youth)


def _validate_id(raw: str | None) -> str:
    value = idnumber.normalize(raw or "")
    if value:
        try:
            idnumber.validate_id_number(value)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from exc
    return value


def _stored_id_number(person: Person) -> str:
    """The stored clear number, for checks inside a service only (never shown, not audited)."""
    try:
        value = crypto.decrypt(person.id_number_enc)
        idnumber.validate_id_number(value)
    except (crypto.DecryptionError, ValidationError):
        return ""
    return value


def _check_id_consistency(person: Person, value: str) -> None:
    if not value:
        return
    info = idnumber.parse(value)
    errors = {}
    if person.birth_date and person.birth_date != info.birth_date:
        errors["birth_date"] = _("The birth date differs from the one in the ID number.")
    if person.sex and person.sex != info.sex:
        errors["sex"] = _("The sex differs from the one in the ID number.")
    if errors:
        raise ValidationError(errors)


def save_person(
    actor,
    person: Person,
    *,
    id_number: str | None = None,
    m2m: dict | None = None,
    allow_same_name: bool = False,
    import_batch: str = "",
) -> Person:
    """Create or update an elder or a young person.

    ``id_number``: a new clear ID number to store (None keeps the stored one; "" clears it).
    ``m2m``: many-to-many values by field name (categories, specialities…).
    A second record of the same ID number is refused, the same name and birth date unless
    ``allow_same_name`` (the user confirmed): naming the owning organisation when it is in the
    actor's scope, and only “registered outside your scope” otherwise (``people.dupcheck``:
    audited and limited per day). The audit rows of those answers are written after the
    transaction, which a refusal rolls back.
    """
    with recording():
        return _save(
            actor,
            person,
            id_number=id_number,
            m2m=m2m,
            allow_same_name=allow_same_name,
            import_batch=import_batch,
        )


def _save_person(
    actor,
    person: Person,
    *,
    id_number: str | None,
    m2m: dict | None,
    allow_same_name: bool,
    import_batch: str,
) -> Person:
    model = type(person)
    before = old = None
    if person.pk:
        old = model.objects.select_related("organization").get(pk=person.pk)
        before = state(old, m2m or ())
    value = _validate_id(id_number) if id_number is not None else None
    if value is not None:
        _check_id_consistency(person, value)
        person.set_id_number(value)
    elif person.id_number_enc:
        # The number is kept: birth date and sex must still agree with it (and follow from it
        # when left empty).
        stored = _stored_id_number(person)
        if stored:
            _check_id_consistency(person, stored)
            info = idnumber.parse(stored)
            person.birth_date = person.birth_date or info.birth_date
            person.sex = person.sex or info.sex
    errors: dict = {}
    if not person.id_number_enc:
        # Without an ID number, sex and birth date tell people apart (as in the import).
        for name in ("sex", "birth_date"):
            if not getattr(person, name):
                errors[name] = [
                    ValidationError(_("Required when there is no ID number."), code="required")
                ]
    try:
        person.full_clean(exclude=["id_number_enc", "id_number_hash", "id_number_masked"])
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    check_dict_items(model, m2m or {})
    check_duplicates(actor, person, allow_same_name, old=old)
    if import_batch:
        person.import_batch = import_batch
    person.save()
    for name, values in (m2m or {}).items():
        getattr(person, name).set(values)
    record_save(actor, person, before, state(person, m2m or ()))
    return person


def _delete_person(actor, person: Person) -> None:
    """Delete a record nothing else refers to (mentorships, teams led, merged records …)."""
    # Mentorships (ended ones too) are history, and records merged into this one point at it:
    # both keep the person (the foreign keys PROTECT); say so rather than fail.
    if isinstance(person, Elder) and person.led_teams.exists():
        raise ValidationError(_("This person leads a team; choose another leader first."))
    if person.mentorships.exists():
        raise ValidationError(
            _(
                "This person has mentorship records, which are kept as history; the record "
                "cannot be deleted."
            )
        )
    if person.merged_duplicates.exists():
        raise ValidationError(_("Other records were merged into this one; it cannot be deleted."))
    # Anything else that refers to the person (activities, care cases …) keeps it too.
    blockers = delete_blockers(type(person), [person.pk], actor)
    if blockers:
        raise ValidationError(
            _("Other records refer to this person; it cannot be deleted. %(what)s")
            % {"what": "；".join(blockers)}
        )
    record(actor, Action.DELETE, person, before=snapshot(person), parent=person.organization)
    person.delete()


_save = per_kind("write", _save_person, PEOPLE)
delete_person = per_kind("write", _delete_person, PEOPLE)


def _reveal_id_number(actor, person: Person, reason: str) -> str:
    """The clear ID number, for a user who may reveal it; every reveal is audited."""
    reason = reveal_reason(reason, _("Say why you need to see the full ID number."))
    if not person.id_number_enc:
        nothing_changed()
        return ""
    record_reveal(actor, person, _("ID number revealed: %(reason)s") % {"reason": reason[:400]})
    return crypto.decrypt(person.id_number_enc)


reveal_id_number = per_kind("reveal", _reveal_id_number, PEOPLE)


def _find_by_id_number(actor, model, raw: str) -> Person | None:
    """The current record of ``model`` within the actor's scope holding this full ID number.

    Finding who holds a number tells as much as showing it: needs the ``reveal`` verb and is
    audited like a reveal, with the masked number only. A record outside the scope is not
    found, and the audit entry reads the same as for a number nobody holds.
    """
    value = _validate_id(raw)
    if not value:
        raise ValidationError({"id_number": _("Enter the full ID number.")})
    person = (
        policy_for(model)
        .instances(actor, "read", model.objects.all())
        .current()
        .with_id_number(value)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    record(
        actor,
        Action.REVEAL,
        person,
        parent=person.organization if person is not None else None,
        org_path=None if person is not None else actor.scope_path or "",
        message=_("Searched by ID number %(masked)s: %(n)d found")
        % {"masked": idnumber.mask(value), "n": int(person is not None)},
    )
    return person


find_by_id_number = per_kind("reveal", _find_by_id_number, PEOPLE)
