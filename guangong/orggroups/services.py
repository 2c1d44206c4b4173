"""Defining group sets and groups, and assigning organisations: each change one audited action."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.models import Action
from guangong.audit.services import record, record_many, snapshot
from guangong.core.actions import action, nothing_changed
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope

from .models import Assignment, GroupSet, OrgGroup

#: The most organisations one bulk assignment changes.
BULK_LIMIT = 5000


@action("write", model=GroupSet)
def save_group_set(actor, group_set: GroupSet) -> GroupSet:
    before = snapshot(GroupSet.objects.get(pk=group_set.pk)) if group_set.pk else None
    if not policy_for(GroupSet).allows_path(actor, "write", group_set.organization.path):
        raise OutOfScope()
    group_set.full_clean()
    group_set.save()
    record(
        actor,
        Action.UPDATE if before else Action.CREATE,
        group_set,
        before=before,
        after=snapshot(group_set),
        parent=group_set.organization,
    )
    return group_set


@action("write", model=GroupSet)
def delete_group_set(actor, group_set: GroupSet) -> None:
    """The set, its groups and every assignment to them."""
    assigned = Assignment.objects.filter(group_set=group_set).count()
    record(
        actor,
        Action.DELETE,
        group_set,
        before=snapshot(group_set),
        parent=group_set.organization,
        message=_("with %(n)d assignments") % {"n": assigned},
    )
    group_set.delete()


def _set_of(actor, group: OrgGroup) -> GroupSet:
    """The group's set, if the actor may change it (404 otherwise, as for an absent one)."""
    group_set = group.group_set
    if not policy_for(GroupSet).allows(actor, "write", group_set):
        raise OutOfScope()
    return group_set


@action("write", model=OrgGroup)
def save_group(actor, group: OrgGroup) -> OrgGroup:
    before = snapshot(OrgGroup.objects.get(pk=group.pk)) if group.pk else None
    group_set = _set_of(actor, group)
    group.full_clean()
    group.save()
    record(
        actor,
        Action.UPDATE if before else Action.CREATE,
        group,
        before=before,
        after=snapshot(group),
        parent=group_set,
        org_path=group_set.organization.path,
    )
    return group


@action("write", model=OrgGroup)
def delete_group(actor, group: OrgGroup) -> None:
    group_set = _set_of(actor, group)
    record(
        actor,
        Action.DELETE,
        group,
        before=snapshot(group),
        parent=group_set,
        org_path=group_set.organization.path,
    )
    group.delete()


def check_assignment(actor, organization, group: OrgGroup) -> None:
    """An organisation may join a group of a set that sorts its subtree, and only by someone
    who may change both the set's groups and the organisation's records."""
    group_set = group.group_set
    if not policy_for(OrgGroup).allows(actor, "read", group):
        raise OutOfScope()
    if not policy_for(Assignment).allows_path(actor, "write", organization.path):
        raise OutOfScope()
    if not organization.path.startswith(group_set.organization.path):
        raise ValidationError(
            {
                "organization": _(
                    "“%(org)s” is not within %(owner)s, whose organisations this set sorts."
                )
                % {"org": organization.name, "owner": group_set.organization.name}
            }
        )


@action("write", model=Assignment)
def save_assignment(actor, assignment: Assignment) -> Assignment:
    before = snapshot(Assignment.objects.get(pk=assignment.pk)) if assignment.pk else None
    check_assignment(actor, assignment.organization, assignment.group)
    assignment.group_set_id = assignment.group.group_set_id
    taken = Assignment.objects.filter(
        organization=assignment.organization, group_set_id=assignment.group_set_id
    ).exclude(pk=assignment.pk)
    if taken.exists():
        raise ValidationError(
            {
                "organization": _(
                    "This organisation is already in group “%(group)s” of this set: change that "
                    "assignment."
                )
                % {"group": taken.first().group.name}
            }
        )
    assignment.full_clean()
    assignment.save()
    record(
        actor,
        Action.UPDATE if before else Action.CREATE,
        assignment,
        before=before,
        after=snapshot(assignment),
        parent=assignment.organization,
    )
    return assignment


@action("write", model=Assignment)
def delete_assignment(actor, assignment: Assignment) -> None:
    record(
        actor,
        Action.DELETE,
        assignment,
        before=snapshot(assignment),
        parent=assignment.organization,
    )
    assignment.delete()


@action("write", model=Assignment)
def assign_many(actor, organizations, group: OrgGroup | None, group_set: GroupSet) -> int:
    """Put every organisation of ``organizations`` (already the actor's, from a filtered
    list) into ``group``, replacing its group of the same set; with no group, take them out
    of the set. One audit row per organisation changed; returns how many changed."""
    organizations = list(organizations)
    if len(organizations) > BULK_LIMIT:
        raise ValidationError(
            _("At most %(n)d organisations can be assigned at once: narrow the list.")
            % {"n": BULK_LIMIT}
        )
    if group is not None and group.group_set_id != group_set.pk:
        raise ValidationError({"group": _("The group is not one of this set.")})
    if not policy_for(GroupSet).allows(actor, "read", group_set):
        raise OutOfScope()
    current = {
        a.organization_id: a
        for a in Assignment.objects.filter(
            group_set=group_set, organization__in=[o.pk for o in organizations]
        ).select_related("group")
    }
    changed, befores, afters = [], [], []
    for org in organizations:
        if group is not None:
            check_assignment(actor, org, group)
        elif not policy_for(Assignment).allows_path(actor, "write", org.path):
            raise OutOfScope()
        old = current.get(org.pk)
        if (old.group_id if old else None) == (group.pk if group else None):
            continue
        befores.append(snapshot(old) if old else None)
        if group is None:
            old.delete()
            old.organization = org
            changed.append(old)
            afters.append(None)
            continue
        if old is None:
            old = Assignment(organization=org, group_set=group_set)
        old.group = group
        old.save()
        old.organization = org
        changed.append(old)
        afters.append(snapshot(old))
    if changed:
        record_many(
            actor,
            Action.UPDATE,
            changed,
            befores=befores,
            afters=afters,
            parents=[a.organization for a in changed],
            org_paths=[a.organization.path for a in changed],
            message=_("bulk assignment to %(set)s") % {"set": group_set.name},
        )
    else:
        nothing_changed()
    return len(changed)
