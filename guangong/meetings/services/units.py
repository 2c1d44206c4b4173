"""Member units: saving, deleting, the audited reveal of a phone, and the activities a unit
co-organised."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.activities.models import Activity
from guangong.audit.services import Action, record, record_reveal, reveal_reason, snapshot
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.core.scope import subtree_q
from guangong.core.validators import normalize_phone, validate_phone
from guangong.dicts.models import DictKind

from ..models import MemberUnit
from .common import check_lengths, deleted, in_scope, saved, strip


@action("write", model=MemberUnit)
def save_unit(actor, unit: MemberUnit) -> MemberUnit:
    before = snapshot(MemberUnit.objects.get(pk=unit.pk)) if unit.pk else None
    in_scope(actor, MemberUnit, unit.organization.path)
    strip(unit, "name", "contact_person", "phone", "notes")
    check_lengths(unit, {"name": 100, "contact_person": 50, "notes": 500})
    errors = {}
    if unit.kind_id and unit.kind.kind != DictKind.MEMBER_UNIT:
        errors["kind"] = _("Choose a kind of member unit from the list.")
    if not unit.name and unit.kind_id:
        unit.name = unit.kind.label
    if unit.phone:
        unit.phone = normalize_phone(unit.phone)
        try:
            validate_phone(unit.phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if unit.joined_on and unit.left_on and unit.left_on < unit.joined_on:
        errors["left_on"] = _("The membership cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    unit.full_clean()
    unit.save()
    saved(actor, unit, before, unit.organization)
    return unit


@action("write", model=MemberUnit)
def delete_unit(actor, unit: MemberUnit) -> None:
    unit = MemberUnit.objects.select_related("organization").get(pk=unit.pk)
    if unit.action_items.exists():
        raise ValidationError(
            _("Action items are assigned to this member unit; end its membership instead.")
        )
    deleted(actor, unit, unit.organization)
    unit.delete()


@action("reveal", model=MemberUnit)
def reveal_phone(actor, unit: MemberUnit, reason: str) -> str:
    """The contact's phone in clear, for a user who may reveal; audited with the reason."""
    unit = MemberUnit.objects.select_related("organization").get(pk=unit.pk)
    reason = reveal_reason(reason, _("Say why you need to see this."), min_length=2)
    record_reveal(
        actor, unit, _("Member unit's phone revealed: %(reason)s") % {"reason": reason[:300]}
    )
    return unit.phone


def linkable_activities(actor, unit: MemberUnit):
    """Activities the unit may be named a co-organiser of: those in the actor's scope, owned in
    the subtree of the unit's organisation."""
    rows = policy_for(Activity).instances(actor, "write", Activity.objects.all())
    return rows.filter(subtree_q("organization__path", unit.organization.path))


@action("write", model=MemberUnit)
def link_activity(actor, unit: MemberUnit, activity: Activity, linked: bool = True) -> MemberUnit:
    """Name the unit a co-organiser of ``activity`` (or, ``linked`` False, no longer)."""
    unit = MemberUnit.objects.select_related("organization").get(pk=unit.pk)
    if activity is None or not linkable_activities(actor, unit).filter(pk=activity.pk).exists():
        raise ValidationError(
            {"activity": _("Choose an activity of this organisation or below it, in your scope.")}
        )
    if linked:
        unit.activities.add(activity)
        message = _("Named co-organiser of %(title)s") % {"title": activity.title}
    else:
        unit.activities.remove(activity)
        message = _("No longer co-organiser of %(title)s") % {"title": activity.title}
    record(actor, Action.UPDATE, unit, parent=unit.organization, message=message)
    return unit
