"""Every change to people, teams and mentorships, and every reveal of an ID number."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core import crypto, idnumber
from guangong.core.scope import subtree_q
from guangong.core.services import require, require_in_scope
from guangong.dicts.models import DictItem

from .bulk import delete_blockers
from .dupcheck import check_duplicates, recording
from .models import Elder, Mentorship, MentorshipVisit, Person, Team


def _check_dict_items(model, values_by_field: dict) -> None:
    """Each many-to-many value is an item of the dictionary its field takes."""
    for name, values in values_by_field.items():
        if values is None:
            continue
        field = model._meta.get_field(name)
        kind = (field.remote_field.limit_choices_to or {}).get("kind")
        pks = {getattr(v, "pk", v) for v in values}
        if kind and pks and DictItem.objects.filter(pk__in=pks, kind=kind).count() != len(pks):
            raise ValidationError({name: _("Choose items of this list only.")})


# --- Elders and young people ----------------------------------------------------------------


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
        return _save_person(
            actor,
            person,
            id_number=id_number,
            m2m=m2m,
            allow_same_name=allow_same_name,
            import_batch=import_batch,
        )


@transaction.atomic
def _save_person(
    actor,
    person: Person,
    *,
    id_number: str | None,
    m2m: dict | None,
    allow_same_name: bool,
    import_batch: str,
) -> Person:
    require(actor, "edit")
    require_in_scope(actor, person.organization.path)
    model = type(person)
    before = old = None
    if person.pk:
        old = model.objects.select_related("organization").get(pk=person.pk)
        require_in_scope(actor, old.organization.path)
        before = snapshot(old)
        if m2m:
            before.update({k: sorted(getattr(old, k).values_list("pk", flat=True)) for k in m2m})
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
    _check_dict_items(model, m2m or {})
    check_duplicates(actor, person, allow_same_name, old=old)
    if import_batch:
        person.import_batch = import_batch
    person.save()
    for name, values in (m2m or {}).items():
        getattr(person, name).set(values)
    after = snapshot(person)
    if m2m:
        after.update({k: sorted(v.pk for v in values) for k, values in m2m.items()})
    if before != after:
        action = Action.UPDATE if before is not None else Action.CREATE
        record(actor, action, person, before=before, after=after, parent=person.organization)
    return person


@transaction.atomic
def delete_person(actor, person: Person) -> None:
    require(actor, "edit")
    require_in_scope(actor, person.organization.path)
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


@transaction.atomic
def reveal_id_number(actor, person: Person, reason: str) -> str:
    """The clear ID number, for a user who may reveal it; every reveal is audited."""
    require(actor, "reveal")
    require_in_scope(actor, person.organization.path)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you need to see the full ID number.")})
    if not person.id_number_enc:
        return ""
    record(
        actor,
        Action.REVEAL,
        person,
        parent=person.organization,
        message=_("ID number revealed: %(reason)s") % {"reason": reason[:400]},
    )
    return crypto.decrypt(person.id_number_enc)


@transaction.atomic
def find_by_id_number(actor, model, raw: str) -> Person | None:
    """The current record of ``model`` within the actor's scope holding this full ID number.

    Finding who holds a number tells as much as showing it: needs the ``reveal`` verb and is
    audited like a reveal, with the masked number only. A record outside the scope is not
    found, and the audit entry reads the same as for a number nobody holds.
    """
    require(actor, "reveal")
    value = _validate_id(raw)
    if not value:
        raise ValidationError({"id_number": _("Enter the full ID number.")})
    person = (
        model.objects.visible_to(actor)
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


# --- Teams ----------------------------------------------------------------------------------


def _check_team_people(team: Team, members) -> None:
    """Leader and members belong to the team's organisation or below it, and are current.

    Below the team's organisation (not merely within the actor's scope): whoever sees the team
    then sees its people too, and a county's user never reads names from a sibling county
    through a city's team.
    """
    path = team.organization.path
    errors = {}
    leader = team.leader
    if leader is not None and (
        not leader.organization.path.startswith(path) or leader.merged_into_id
    ):
        errors["leader"] = _(
            "Choose a leader who belongs to the team's organisation or one below it."
        )
    if members is not None:
        pks = {m.pk for m in members}
    elif team.pk:
        pks = set(team.members.values_list("pk", flat=True))
    else:
        pks = set()
    if pks:
        inside = Elder.objects.current().filter(subtree_q("organization__path", path), pk__in=pks)
        if inside.count() != len(pks):
            errors["members"] = _(
                "Choose members who belong to the team's organisation or one below it."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_team(actor, team: Team, members=None, import_batch: str = "") -> Team:
    """Create or update a team; ``members`` (elders) replaces the members when given."""
    require(actor, "edit")
    require_in_scope(actor, team.organization.path)
    before = None
    if team.pk:
        old = Team.objects.select_related("organization").get(pk=team.pk)
        require_in_scope(actor, old.organization.path)
        before = snapshot(old)
        before["members"] = sorted(old.members.values_list("pk", flat=True))
    team.full_clean()
    _check_team_people(team, members)
    if import_batch:
        team.import_batch = import_batch
    team.save()
    if members is not None:
        team.members.set(members)
    after = snapshot(team)
    after["members"] = sorted(team.members.values_list("pk", flat=True))
    if before != after:
        action = Action.UPDATE if before is not None else Action.CREATE
        record(actor, action, team, before=before, after=after, parent=team.organization)
    return team


@transaction.atomic
def delete_team(actor, team: Team) -> None:
    require(actor, "edit")
    require_in_scope(actor, team.organization.path)
    before = snapshot(team)
    before["members"] = sorted(team.members.values_list("pk", flat=True))
    record(actor, Action.DELETE, team, before=before, parent=team.organization)
    team.delete()


# --- Mentorships ----------------------------------------------------------------------------


def _check_pair(mentorship: Mentorship) -> None:
    """Both people belong to the mentorship's organisation or below it, and are current."""
    path = mentorship.organization.path
    errors = {}
    for field in ("elder", "youth"):
        person = getattr(mentorship, field)
        if not person.organization.path.startswith(path):
            errors[field] = _(
                "Choose someone who belongs to the mentorship's organisation or one below it."
            )
        elif person.merged_into_id:
            errors[field] = _("This record was merged into another one; choose that one.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_mentorship(actor, mentorship: Mentorship, goals=None, outcomes=None) -> Mentorship:
    """Create or update a mentorship; ``goals`` / ``outcomes`` replace the items when given.

    An elder mentors at most ``settings.MAX_ACTIVE_MENTEES`` young people at a time: a pairing
    that would become one more active mentorship of the elder is refused on ``elder``.
    """
    require(actor, "edit")
    people = (mentorship.elder, mentorship.youth)
    for org in (mentorship.organization, *(p.organization for p in people)):
        require_in_scope(actor, org.path)
    before = old = None
    if mentorship.pk:
        old = Mentorship.objects.select_related("organization").get(pk=mentorship.pk)
        require_in_scope(actor, old.organization.path)
        before = snapshot(old)
        before["goals"] = sorted(old.goals.values_list("pk", flat=True))
        before["outcomes"] = sorted(old.outcomes.values_list("pk", flat=True))
    mentorship.full_clean()
    if mentorship.end_date and mentorship.end_date < mentorship.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    _check_pair(mentorship)
    _check_dict_items(Mentorship, {"goals": goals, "outcomes": outcomes})
    if mentorship.is_active:
        # Lock the elder's row so two concurrent pairings cannot both pass the limit.
        Elder.objects.select_for_update().filter(pk=mentorship.elder_id).first()
        active = (
            Mentorship.objects.active().filter(elder=mentorship.elder).exclude(pk=mentorship.pk)
        )
        # Only a mentorship that becomes one more active pairing of the elder counts against
        # the limit: editing the notes of a current one is never refused.
        was_active_here = old is not None and old.is_active and old.elder_id == mentorship.elder_id
        limit = settings.MAX_ACTIVE_MENTEES
        if not was_active_here and active.count() >= limit:
            raise ValidationError(
                {
                    "elder": _(
                        "%(name)s already mentors %(n)d young people, the most one volunteer "
                        "may mentor at a time. End one of those pairings first."
                    )
                    % {"name": mentorship.elder.name, "n": limit}
                }
            )
        same_pair = old is not None and old.is_active and old.youth_id == mentorship.youth_id
        if not (was_active_here and same_pair) and active.filter(youth=mentorship.youth).exists():
            raise ValidationError({"youth": _("This pair already has an active mentorship.")})
    mentorship.save()
    if goals is not None:
        mentorship.goals.set(goals)
    if outcomes is not None:
        mentorship.outcomes.set(outcomes)
    after = snapshot(mentorship)
    after["goals"] = sorted(mentorship.goals.values_list("pk", flat=True))
    after["outcomes"] = sorted(mentorship.outcomes.values_list("pk", flat=True))
    if before != after:
        action = Action.UPDATE if before is not None else Action.CREATE
        org = mentorship.organization
        record(actor, action, mentorship, before=before, after=after, parent=org)
    return mentorship


@transaction.atomic
def end_mentorship(actor, mentorship: Mentorship, end_date=None, outcomes=None) -> Mentorship:
    """End a mentorship on ``end_date`` (today by default), optionally recording outcomes."""
    mentorship.end_date = end_date or timezone.localdate()
    return save_mentorship(actor, mentorship, outcomes=outcomes)


@transaction.atomic
def add_visit(actor, visit: MentorshipVisit) -> MentorshipVisit:
    require(actor, "edit")
    require_in_scope(actor, visit.mentorship.organization.path)
    visit.full_clean()
    if visit.date < visit.mentorship.start_date:
        raise ValidationError({"date": _("A visit cannot be before the mentorship started.")})
    if visit.date > timezone.localdate():
        raise ValidationError({"date": _("A visit cannot be in the future.")})
    visit.save()
    record(
        actor,
        Action.CREATE,
        visit,
        after=snapshot(visit),
        parent=visit.mentorship,
        org_path=visit.mentorship.organization.path,
    )
    return visit


@transaction.atomic
def delete_mentorship(actor, mentorship: Mentorship) -> None:
    require(actor, "edit")
    require_in_scope(actor, mentorship.organization.path)
    before = snapshot(mentorship)
    record(actor, Action.DELETE, mentorship, before=before, parent=mentorship.organization)
    mentorship.delete()


# Merging possible duplicates, and dismissing them, live in a module of their own.
from .merging import dismiss_duplicate as dismiss_duplicate  # noqa: E402
from .merging import merge_people as merge_people  # noqa: E402
from .merging import restore_duplicate as restore_duplicate  # noqa: E402
