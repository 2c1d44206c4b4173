"""Possible duplicates: merging two records of one person, and marking two records with the
same name and birth date as two different people (“不是同一人”), or taking that back.

Administrators' decisions (the policy's ``merge`` operation: the ``manage_users`` verb) on
records that are both within their subtree; each is an audited action (``core.actions``) of the
records' model, audited on both records.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.activities import services as activity_services
from guangong.audit.services import record_saved, snapshot
from guangong.care.services import cases as case_services
from guangong.core.actions import nothing_changed
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope

from .models import DISMISSALS, Elder, Mentorship, Person, Team, Youth
from .services.common import per_kind


def _check_merged_mentorships(survivor: Person, duplicate: Person, link: str) -> list:
    """Before a merge moves anything: the active pairings of the duplicate that repeat one of
    the survivor's (the same partner), as (repeated, kept) pairs.

    Merging two records of an elder must not leave more than ``MAX_ACTIVE_MENTEES`` young
    people mentored at once: refused, with the count, before anything changes.
    """
    partner = "youth_id" if link == "elder" else "elder_id"
    active = Mentorship.objects.active().order_by("start_date", "pk")
    kept = {}
    for mentorship in active.filter(**{link: survivor}):
        kept.setdefault(getattr(mentorship, partner), mentorship)
    incoming = list(active.filter(**{link: duplicate}))
    if link == "elder":
        total = len(set(kept) | {m.youth_id for m in incoming})
        limit = settings.MAX_ACTIVE_MENTEES
        if total > limit:
            raise ValidationError(
                _(
                    "After the merge %(name)s would mentor %(n)d young people at once, more "
                    "than the %(limit)d one volunteer may mentor. End some of those pairings "
                    "first, then merge."
                )
                % {"name": survivor.name, "n": total, "limit": limit}
            )
    return [(m, kept[getattr(m, partner)]) for m in incoming if getattr(m, partner) in kept]


def _end_repeated_mentorships(actor, repeated: list, survivor: Person) -> list[int]:
    """End the duplicate's pairings that repeat an active one of the survivor (the same elder
    and young person once merged): the survivor's stays active, the other ends (yesterday, or
    on its start day) with a note pointing at the one kept. Each is audited."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ended = []
    for mentorship, kept in repeated:
        mentorship = Mentorship.objects.select_related("organization").get(pk=mentorship.pk)
        before = snapshot(mentorship)
        mentorship.end_date = max(mentorship.start_date, yesterday)
        note = _("Ended when two records of %(name)s were merged: continued as mentorship %(pk)d.")
        note %= {"name": survivor.name, "pk": kept.pk}
        mentorship.notes = "\n".join(filter(None, [mentorship.notes, note]))[-2000:]
        mentorship.save(update_fields=["end_date", "notes", "updated_at"])
        record_saved(actor, mentorship, before, snapshot(mentorship), message=note)
        ended.append(mentorship.pk)
    return ended


def _require_both(actor, first: Person, second: Person) -> None:
    """The two records are of one kind, different, and both the actor's to merge."""
    if type(first) is not type(second) or first.pk == second.pk:
        raise ValidationError(_("Choose two different records of the same kind."))
    if not policy_for(type(second)).allows(actor, "merge", second):
        raise OutOfScope()


def _merge_people(actor, survivor: Person, duplicate: Person) -> Person:
    """Fold ``duplicate`` into ``survivor``: histories move, the duplicate stays as a pointer.

    Both must be the same kind, current (not merged themselves) and within the actor's scope;
    needs the ``manage_users`` verb (an administrator's decision). Mentorships, team places and
    led teams move to the survivor; records merged into the duplicate earlier now point at the
    survivor too. Both records get an audit entry.

    An elder left with more than ``MAX_ACTIVE_MENTEES`` active pairings is refused (nothing
    changes). Two active pairings with the same partner become one: the survivor's stays, the
    duplicate's ends, noted and audited.
    """
    _require_both(actor, survivor, duplicate)
    model = type(survivor)
    # Work on the rows as they are now, locked: two administrators merging at once must not
    # both succeed.
    rows = (
        model.objects.select_for_update(of=("self",))
        .select_related("organization")
        .filter(pk__in=[survivor.pk, duplicate.pk])
        .in_bulk()
    )
    if len(rows) != 2:
        raise ValidationError(_("Choose two different records of the same kind."))
    survivor, duplicate = rows[survivor.pk], rows[duplicate.pk]
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ValidationError(_("This record was already merged."))

    link = "elder" if isinstance(duplicate, Elder) else "youth"
    repeated = _check_merged_mentorships(survivor, duplicate, link)
    moved = Mentorship.objects.filter(**{link: duplicate})
    moved_ids = sorted(moved.values_list("pk", flat=True))
    moved.update(**{link: survivor})
    ended = _end_repeated_mentorships(actor, repeated, survivor)
    earlier = model.objects.filter(merged_into=duplicate)
    earlier_ids = sorted(earlier.values_list("pk", flat=True))
    earlier.update(merged_into=survivor)
    survivor_after = {"merged_from": duplicate.pk, "mentorships": moved_ids}
    if ended:
        survivor_after["mentorships_ended_as_repeated"] = ended
    if earlier_ids:
        survivor_after["merged_earlier"] = earlier_ids
    duplicate_before = {"merged_into": None}
    duplicate_after = {"merged_into": survivor.pk}
    moved_elsewhere: dict = {}
    # The records of other apps follow, each with its own audit row, in this action.
    moved_elsewhere.update(case_services.follow_merge(actor, survivor, duplicate))
    moved_elsewhere.update(activity_services.follow_merge(actor, survivor, duplicate))
    survivor_after.update(moved_elsewhere)
    if isinstance(duplicate, Elder):
        team_ids = sorted(duplicate.teams.values_list("pk", flat=True))
        for team in Team.objects.filter(pk__in=team_ids):
            team.members.add(survivor)
        duplicate.teams.clear()
        led = Team.objects.filter(leader=duplicate)
        led_ids = sorted(led.values_list("pk", flat=True))
        led.update(leader=survivor)
        survivor_after.update(teams=team_ids, led_teams=led_ids)
        if duplicate.service_hours:
            # Hours move with the history, so that sums over current records count them once.
            survivor.service_hours += duplicate.service_hours
            survivor.save(update_fields=["service_hours", "updated_at"])
            survivor_after["service_hours_added"] = str(duplicate.service_hours)
            duplicate_before["service_hours"] = str(duplicate.service_hours)
            duplicate_after["service_hours"] = "0"
            duplicate.service_hours = 0
    if not survivor.id_number_enc and duplicate.id_number_enc:
        survivor.id_number_enc = duplicate.id_number_enc
        survivor.id_number_hash = duplicate.id_number_hash
        survivor.id_number_masked = duplicate.id_number_masked
        survivor.save(update_fields=["id_number_enc", "id_number_hash", "id_number_masked"])
        survivor_after["id_number_masked"] = survivor.id_number_masked
    duplicate.merged_into = survivor
    duplicate.id_number_hash = ""  # look-ups and duplicate checks find the survivor only
    changed = ["merged_into", "id_number_hash", "updated_at"]
    if isinstance(duplicate, Elder):
        changed.append("service_hours")
    duplicate.save(update_fields=changed)
    message = _("Merged into %(name)s (%(org)s)")
    record_saved(
        actor,
        duplicate,
        duplicate_before,
        duplicate_after,
        message=message % {"name": survivor.name, "org": survivor.organization.name},
    )
    message = _("Merged %(dup)s (%(org)s) into this record")
    record_saved(
        actor,
        survivor,
        {},
        survivor_after,
        message=message % {"dup": duplicate.name, "org": duplicate.organization.name},
    )
    return survivor


# --- “不是同一人” ------------------------------------------------------------------------------


def ordered_pair(first: Person, second: Person) -> tuple[Person, Person]:
    return (first, second) if first.pk < second.pk else (second, first)


def _record_both(actor, first: Person, second: Person, before, after, message, reason=""):
    """One audit entry on each record, naming the other one (and the reason, if any)."""
    for person, other in ((first, second), (second, first)):
        text = message % {"name": other.name, "org": other.organization.name}
        if reason:
            text = _("%(message)s: %(reason)s") % {"message": text, "reason": reason}
        record_saved(actor, person, before, after, message=text)


def _dismiss_duplicate(actor, first: Person, second: Person, reason: str = "") -> None:
    """Mark two current records with the same name and birth date as different people.

    A pair sharing an ID number is refused: one of the numbers is wrong, and is corrected or
    the records merged. Marking a pair again changes nothing.
    """
    _require_both(actor, first, second)
    if first.merged_into_id or second.merged_into_id:
        raise ValidationError(_("This record was already merged."))
    if first.id_number_hash and first.id_number_hash == second.id_number_hash:
        raise ValidationError(
            _(
                "These records have the same ID number, so they are the same person or one "
                "number is wrong: correct the number or merge the records."
            )
        )
    first, second = ordered_pair(first, second)
    model = DISMISSALS[type(first)]
    if model.objects.filter(first=first, second=second).exists():
        nothing_changed()
        return
    reason = (reason or "").strip()[:200]
    try:
        with transaction.atomic():
            model.objects.create(first=first, second=second, reason=reason, created_by=actor)
    except IntegrityError:  # marked at the same moment by someone else
        nothing_changed()
        return
    message = _("Marked as a different person from %(name)s (%(org)s)")
    after = {"not_same_person_as": [first.pk, second.pk], "reason": reason}
    _record_both(actor, first, second, {}, after, message, reason)


def _restore_duplicate(actor, first: Person, second: Person) -> None:
    """Take back a “不是同一人”: the pair is listed as a possible duplicate again."""
    _require_both(actor, first, second)
    first, second = ordered_pair(first, second)
    dismissal = DISMISSALS[type(first)].objects.filter(first=first, second=second).first()
    if dismissal is None:
        nothing_changed()
        return
    before = {"not_same_person_as": [first.pk, second.pk], "reason": dismissal.reason}
    dismissal.delete()
    message = _("No longer marked as a different person from %(name)s (%(org)s)")
    _record_both(actor, first, second, before, {}, message)


merge_people = per_kind("merge", _merge_people, (Elder, Youth))
dismiss_duplicate = per_kind("merge", _dismiss_duplicate, (Elder, Youth))
restore_duplicate = per_kind("merge", _restore_duplicate, (Elder, Youth))
