"""Every change to the activity ledger.

Each function checks the actor's verb and scope, writes the ledger rows, moves the statistics
counters from what the activity contributed before to what it contributes now
(``rollup.replace``) and writes the audit record, all in one transaction: the statistics are
current the moment the transaction commits.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action, current_unit, nothing_changed
from guangong.core.files import delete_on_commit
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope, subtree_q
from guangong.dicts.models import DictItem, DictKind
from guangong.dicts.services import unknown_item
from guangong.orgs.models import Organization
from guangong.people.models import Elder, Team, Youth

from . import attachments, plausibility, rollup
from .models import Activity, ActivityAttachment, ActivityElder

MAX_PARTICIPANTS = 1_000_000
HOURS_PER_DAY = Decimal(24)


def _pk(value) -> int:
    return int(getattr(value, "pk", value))


def normalise_elders(elders) -> dict[int, Decimal]:
    """``{elder or id: hours}`` or an iterable of elders/ids (no hours) → ``{id: Decimal}``."""
    if elders is None:
        return {}
    if not isinstance(elders, dict):
        elders = dict.fromkeys(elders, 0)
    result: dict[int, Decimal] = {}
    for elder, hours in elders.items():
        try:
            value = Decimal(str(hours if hours not in (None, "") else 0))
        except InvalidOperation as exc:
            raise ValidationError({"elders": _("Service hours must be a number.")}) from exc
        result[_pk(elder)] = value.quantize(Decimal("0.1"))
    return result


def _days(activity: Activity) -> int:
    end = activity.end_date or activity.date
    return (end - activity.date).days + 1


def _validate(actor, activity, teams, youths, co_orgs, given=None):
    """Refuse what cannot be saved (``given``: the elders given, None when kept)."""
    errors: dict[str, str] = {}
    named = len({_pk(y) for y in youths}) if youths is not None else _stored_youths(activity)
    errors.update(plausibility.errors(activity, activity.organization, given or {}, named))
    today = timezone.localdate()
    if activity.date and activity.date > today:
        errors["date"] = _("An activity cannot be recorded before it takes place.")
    if activity.end_date and activity.date and activity.end_date < activity.date:
        errors["end_date"] = _("The end date cannot be before the date.")
    elif activity.end_date and activity.end_date > today:
        errors["end_date"] = _("The end date cannot be in the future.")
    if activity.participants is not None and activity.participants > MAX_PARTICIPANTS:
        errors["participants"] = _("At most %(n)s participants per activity.") % {
            "n": f"{MAX_PARTICIPANTS:,}"
        }
    type_item = DictItem.objects.filter(pk=activity.type_id, kind=DictKind.ACTIVITY_TYPE).first()
    if type_item is None:
        errors["type"] = _("Choose an activity type.")
    elif not type_item.active and not _type_unchanged(activity):
        errors["type"] = _("This activity type is no longer in use; choose another.")
    if unknown_item(activity.audience_id, DictKind.YOUTH_CATEGORY):
        errors["audience"] = _("Choose an audience from the list.")
    scope = actor.scope_path or ""
    elders = given or {}
    if elders:
        days = _days(activity) if activity.date else 1
        if any(h < 0 for h in elders.values()):
            errors["elders"] = _("Service hours cannot be negative.")
        elif any(h > HOURS_PER_DAY * days for h in elders.values()):
            errors["elders"] = _(
                "An elder cannot give more than %(h)s hours to an activity of %(d)s day(s)."
            ) % {"h": HOURS_PER_DAY * days, "d": days}
        found = Elder.objects.current().filter(subtree_q("organization__path", scope))
        if found.filter(pk__in=list(elders)).count() != len(elders):
            errors["elders"] = _("Choose elders within your organisation's scope.")
    for name, model, values in (("teams", Team, teams), ("youths", Youth, youths)):
        if values:
            pks = {_pk(v) for v in values}
            qs = model.objects.filter(subtree_q("organization__path", scope), pk__in=pks)
            if model is Youth:
                qs = qs.filter(merged_into__isnull=True)
            if qs.count() != len(pks):
                errors[name] = _("Choose only records within your organisation's scope.")
    if co_orgs:
        pks = {_pk(o) for o in co_orgs}
        if activity.organization_id in pks:
            errors["co_organizers"] = _("The organiser itself is not a co-organiser.")
        elif Organization.objects.filter(subtree_q("path", scope), pk__in=pks).count() != len(pks):
            errors["co_organizers"] = _("Choose co-organisers within your organisation's scope.")
    if errors:
        raise ValidationError(errors)


def _stored_youths(activity: Activity) -> int:
    return activity.youths.count() if activity.pk else 0


def _stored_elders(activity: Activity) -> dict[int, Decimal]:
    if not activity.pk:
        return {}
    return dict(ActivityElder.objects.filter(activity=activity).values_list("elder_id", "hours"))


def _type_unchanged(activity: Activity) -> bool:
    return bool(
        activity.pk and Activity.objects.filter(pk=activity.pk, type_id=activity.type_id).exists()
    )


RELATIONS = ("teams", "youths", "co_organizers")


def _state(activity: Activity, elders=None, relations=None) -> dict:
    """The audited state of a saved activity: its fields, elders' hours and relations.
    ``elders`` (``{id: hours}``) and ``relations`` (``{name: sorted ids}``), when the caller
    knows them (it has just written them), are not read again."""
    data = snapshot(activity)
    if elders is None:
        elders = _stored_elders(activity)
    data["elders"] = {str(e): str(h) for e, h in sorted(elders.items())}
    if relations is None:
        relations = {
            name: sorted(getattr(activity, name).values_list("pk", flat=True)) for name in RELATIONS
        }
    data.update(relations)
    return data


def _contribution(activity: Activity, path: str, elders: dict) -> rollup.Contribution:
    """What ``activity`` (owned at ``path``, with ``elders``' hours) adds to the counters, from
    what the service knows; ``rollup.Contribution.of`` reads the same from the database."""
    return rollup.Contribution(path, activity.date, activity.type_id, activity.participants, elders)


def _write_elders(activity: Activity, hours: dict[int, Decimal], kept: dict) -> None:
    """Make the activity's elders ``hours`` (``{id: hours}``); ``kept``: those stored now."""
    gone = [pk for pk in kept if pk not in hours]
    if gone:
        ActivityElder.objects.filter(activity=activity, elder_id__in=gone).delete()
    for elder_id, value in hours.items():
        if elder_id in kept and kept[elder_id] != value:
            ActivityElder.objects.filter(activity=activity, elder_id=elder_id).update(hours=value)
    added = [
        ActivityElder(activity=activity, elder_id=elder_id, hours=value)
        for elder_id, value in hours.items()
        if elder_id not in kept
    ]
    if added:
        ActivityElder.objects.bulk_create(added)


@action(model=Activity)
def save_activity(
    actor,
    activity: Activity,
    *,
    elders=None,
    teams=None,
    youths=None,
    co_organizers=None,
    import_batch: str = "",
    confirmed: bool = False,
) -> Activity:
    """Create or update an activity. ``elders`` is ``{elder: hours}``; each of the four
    relations replaces the stored one when given and is kept when None. Figures that look
    implausible (``plausibility``) are saved only when ``confirmed``; the audit row says so."""
    organization = Organization.objects.get(pk=activity.organization_id)
    if not policy_for(Activity).allows_path(actor, "write", organization.path):
        raise OutOfScope()
    activity.organization = organization
    before = old = stored = None
    stored_elders: dict[int, Decimal] = {}
    if activity.pk:
        saved = Activity.objects.get(pk=activity.pk)  # as locked by the action
        stored_elders = _stored_elders(saved)
        before = _state(saved, stored_elders)
        old_path = (
            organization.path
            if saved.organization_id == organization.pk
            else Organization.objects.values_list("path", flat=True).get(pk=saved.organization_id)
        )
        old = _contribution(saved, old_path, stored_elders)
        stored = (saved, stored_elders)
    elder_hours = normalise_elders(elders) if elders is not None else None
    # The organisation was just read, and ``_validate`` checks the type and the audience
    # against their dictionaries: the model's own existence checks of them would repeat it.
    activity.full_clean(
        exclude=["organization", "type", "audience", "elders", *RELATIONS],
        validate_constraints=False,
    )
    all_hours = elder_hours if elder_hours is not None else stored_elders
    _validate(actor, activity, teams, youths, co_organizers, given=elder_hours)
    doubts = plausibility.check(
        activity, organization, all_hours, confirmed=confirmed, stored=stored
    )
    if import_batch:
        activity.import_batch = import_batch
    if not activity.pk:
        activity.created_by = actor if getattr(actor, "pk", None) else None
    activity.save()
    if elder_hours is not None:
        _write_elders(activity, elder_hours, stored_elders)
    relations = {}
    for name, given in zip(RELATIONS, (teams, youths, co_organizers), strict=True):
        if given is not None:
            relations[name] = sorted({_pk(v) for v in given})
            if relations[name] or before is not None:
                getattr(activity, name).set(relations[name])
        else:  # kept: as before, and a new activity has none
            relations[name] = before[name] if before is not None else []
    rollup.replace(old, _contribution(activity, organization.path, all_hours))
    after = _state(activity, all_hours, relations)
    if after != before:
        record(
            actor,
            Action.UPDATE if before is not None else Action.CREATE,
            activity,
            before=before,
            after=after,
            parent=organization,
            message=plausibility.audit_message(doubts),
        )
    else:
        nothing_changed()
    return activity


@action(model=Activity)
def delete_activity(actor, activity: Activity) -> None:
    activity = Activity.objects.get(pk=activity.pk)  # as locked by the action
    organization = Organization.objects.get(pk=activity.organization_id)
    elders = _stored_elders(activity)
    before = _state(activity, elders)
    old = _contribution(activity, organization.path, elders)
    record(actor, Action.DELETE, activity, before=before, parent=organization)
    for attachment in activity.attachments.all():
        delete_on_commit(attachment.file)
    activity.delete()
    rollup.replace(old, None)


def month_range(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = rollup.month_of(day)
    return start, rollup.next_month(start) - datetime.timedelta(days=1)


# --- Attachments ----------------------------------------------------------------------------


def _attachment_state(attachment: ActivityAttachment) -> dict:
    return {"name": attachment.name, "kind": attachment.kind, "size": attachment.size}


@action(model=Activity)
def add_attachment(actor, activity: Activity, upload) -> ActivityAttachment:
    """Check an uploaded photo or document by its content and attach it (photos are shrunk
    and stripped of EXIF first). Only the owner's side may attach."""
    checked = attachments.check_upload(upload)
    activity = Activity.objects.get(pk=activity.pk)  # as locked by the action
    organization = Organization.objects.get(pk=activity.organization_id)
    attachment = ActivityAttachment(
        activity=activity, uploaded_by=actor if getattr(actor, "pk", None) else None
    )
    stored = attachment.store(checked)
    try:
        attachment.save()
        record(
            actor,
            Action.CREATE,
            attachment,
            after=_attachment_state(attachment),
            parent=activity,
            org_path=organization.path,
        )
    except Exception:
        # The new file, which no row will name: removed now, not on a commit that won't come.
        attachment.file.storage.delete(stored)
        raise
    return attachment


@action(model=ActivityAttachment)
def delete_attachment(actor, attachment: ActivityAttachment) -> None:
    attachment = ActivityAttachment.objects.select_related("activity").get(pk=attachment.pk)
    activity = attachment.activity
    organization = Organization.objects.get(pk=activity.organization_id)
    record(
        actor,
        Action.DELETE,
        attachment,
        before=_attachment_state(attachment),
        parent=activity,
        org_path=organization.path,
    )
    delete_on_commit(attachment.file)
    attachment.delete()


# --- People merged ---------------------------------------------------------------------------


@action(model=Activity, audited=False)
def follow_merge(actor, kept: Elder | Youth, merged: Elder | Youth) -> dict:
    """Make the activities of ``merged`` (a duplicate record) ``kept``'s; returns what moved,
    ``{"activities": [ids]}`` (empty if nothing), for the merge's audit record.

    Runs inside the people merge's action, whose audit record on ``kept`` lists what moved. An
    activity both served at keeps one line with the hours added up (one elder, counted once).
    """
    if current_unit().name == "follow_merge":  # not joined to an enclosing action
        raise ImproperlyConfigured("follow_merge runs inside the merge's action")
    if isinstance(merged, Youth):
        ids = list(Activity.objects.filter(youths=merged).values_list("pk", flat=True))
        for activity in Activity.objects.filter(pk__in=ids):
            activity.youths.remove(merged)
            activity.youths.add(kept)
        return {"activities": sorted(ids)} if ids else {}
    links = list(ActivityElder.objects.filter(elder=merged).select_related("activity"))
    for link in links:
        activity = link.activity
        old = rollup.Contribution.of(activity)
        both = ActivityElder.objects.filter(activity=activity, elder=kept).first()
        if both is not None:
            ActivityElder.objects.filter(pk=both.pk).update(hours=F("hours") + link.hours)
            link.delete()
        else:
            ActivityElder.objects.filter(pk=link.pk).update(elder=kept)
        # Hours move with the elder's running total in the people app, not here.
        rollup.replace(old, rollup.Contribution.of(activity), elder_hours=False)
    return {"activities": sorted(link.activity_id for link in links)} if links else {}
