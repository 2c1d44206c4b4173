"""Mentorships (结对帮带) and their visits, each change an audited action (``core.actions``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope

from ..models import Elder, Mentorship, MentorshipVisit
from .common import check_dict_items, record_save, state

GOALS_AND_OUTCOMES = ("goals", "outcomes")


def _check_pair(actor, mentorship: Mentorship) -> None:
    """Both people are the actor's to see, belong to the mentorship's organisation or below
    it, and are current."""
    for person in (mentorship.elder, mentorship.youth):
        if not policy_for(type(person)).allows_path(actor, "write", person.organization.path):
            raise OutOfScope()
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


def _check_limits(mentorship: Mentorship, old: Mentorship | None) -> None:
    """An elder mentors at most ``settings.MAX_ACTIVE_MENTEES`` young people at a time, and a
    pair has one active mentorship."""
    # Lock the elder's row so two concurrent pairings cannot both pass the limit.
    Elder.objects.select_for_update().filter(pk=mentorship.elder_id).first()
    active = Mentorship.objects.active().filter(elder=mentorship.elder).exclude(pk=mentorship.pk)
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


@action("write", model=Mentorship)
def save_mentorship(actor, mentorship: Mentorship, goals=None, outcomes=None) -> Mentorship:
    """Create or update a mentorship; ``goals`` / ``outcomes`` replace the items when given.

    An elder mentors at most ``settings.MAX_ACTIVE_MENTEES`` young people at a time: a pairing
    that would become one more active mentorship of the elder is refused on ``elder``.
    """
    before = old = None
    if mentorship.pk:
        old = Mentorship.objects.select_related("organization").get(pk=mentorship.pk)
        before = state(old, GOALS_AND_OUTCOMES)
    mentorship.full_clean()
    if mentorship.end_date and mentorship.end_date < mentorship.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    _check_pair(actor, mentorship)
    check_dict_items(Mentorship, {"goals": goals, "outcomes": outcomes})
    if mentorship.is_active:
        _check_limits(mentorship, old)
    mentorship.save()
    if goals is not None:
        mentorship.goals.set(goals)
    if outcomes is not None:
        mentorship.outcomes.set(outcomes)
    record_save(actor, mentorship, before, state(mentorship, GOALS_AND_OUTCOMES))
    return mentorship


def end_mentorship(actor, mentorship: Mentorship, end_date=None, outcomes=None) -> Mentorship:
    """End a mentorship on ``end_date`` (today by default), optionally recording outcomes."""
    mentorship.end_date = end_date or timezone.localdate()
    return save_mentorship(actor, mentorship, outcomes=outcomes)


@action("write", model=MentorshipVisit)
def add_visit(actor, visit: MentorshipVisit) -> MentorshipVisit:
    if not policy_for(Mentorship).allows(actor, "write", visit.mentorship):
        raise OutOfScope()
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


@action("write", model=Mentorship)
def delete_mentorship(actor, mentorship: Mentorship) -> None:
    before = snapshot(mentorship)
    record(actor, Action.DELETE, mentorship, before=before, parent=mentorship.organization)
    mentorship.delete()
