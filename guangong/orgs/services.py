"""Every change to organisations and their leadership rosters goes through these functions."""

from django.core.exceptions import ValidationError
from django.db.models.deletion import Collector, ProtectedError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from treebeard.exceptions import InvalidMoveToDescendant

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action, nothing_changed
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope
from guangong.core.services import record_saved

from . import rollup
from .models import Organization, Position
from .signals import subtree_moved


def _require_writable(actor, org: Organization) -> None:
    """404 unless ``actor`` may change ``org`` (a second organisation an action names)."""
    if not policy_for(Organization).allows(actor, "write", org):
        raise OutOfScope()


def _validate(org: Organization, parent: Organization | None) -> None:
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.clean_against_parent(parent)


@action(model=Organization)
def create_organization(actor, parent: Organization | None, **fields) -> Organization:
    """Add a committee under ``parent`` (or at the top, for a superuser); the action locks
    ``parent`` and answers 404 outside the actor's scope."""
    if parent is None:
        if not actor.is_superuser:
            raise ValidationError({"parent": _("Choose the organisation this one belongs to.")})
    else:
        parent = Organization.objects.get(pk=parent.pk)
    org = Organization(**fields)
    _validate(org, parent)
    org = (
        Organization.objects.add_root(instance=org)
        if parent is None
        else Organization.objects.add_child(parent, instance=org)
    )
    rollup.added(org)
    record(actor, Action.CREATE, org, after=snapshot(org), parent=parent)
    return org


@action(model=Organization)
def update_organization(actor, org: Organization, **fields) -> Organization:
    org = Organization.objects.get(pk=org.pk)  # as locked by the action
    before = snapshot(org)
    old_key = rollup.key(org)
    for name, value in fields.items():
        if name not in Organization.audit_fields:
            raise ValueError(f"{name} is not an editable field")
        setattr(org, name, value)
    parent = Organization.objects.get_parent(org)
    _validate(org, parent)
    org.save()
    rollup.changed(org, old_key)
    record_saved(actor, org, before, parent=parent)
    return org


@action(model=Organization)
def update_and_move(
    actor, org: Organization, new_parent: Organization | None = None, **fields
) -> Organization:
    """Change ``org``'s fields and, when ``new_parent`` differs from its parent, move it there:
    both or neither."""
    org = update_organization(actor, org, **fields)
    old_parent = Organization.objects.get_parent(org)
    if new_parent is not None and (old_parent is None or new_parent.pk != old_parent.pk):
        org = move_organization(actor, org, new_parent)
    return org


@action(model=Organization)
def move_organization(actor, org: Organization, new_parent: Organization) -> Organization:
    """Hang ``org`` and its whole subtree under ``new_parent``."""
    org = Organization.objects.get(pk=org.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    _require_writable(actor, new_parent)
    if org.path == actor.scope_path:
        raise ValidationError({"parent": _("You cannot move your own organisation.")})
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            {"parent": _("An organisation cannot be moved under itself or one of its children.")}
        )
    old_parent = Organization.objects.get_parent(org)
    if old_parent is not None and old_parent.pk == new_parent.pk:
        nothing_changed()
        return org
    org.clean_against_parent(new_parent)
    moved = rollup.histogram(org.path)
    old_ancestor_ids = list(Organization.objects.get_ancestors(org).values_list("pk", flat=True))
    if old_parent is not None:
        rollup.adjust(old_parent.path, moved, -1)
    try:
        Organization.objects.move(org, new_parent, "last-child")
    except InvalidMoveToDescendant as exc:  # guarded above; kept for races
        raise ValidationError({"parent": str(exc)}) from exc
    org.refresh_from_db()
    new_parent.refresh_from_db()
    rollup.adjust(new_parent.path, moved, +1)
    subtree_moved.send(
        sender=Organization,
        organization=org,
        old_ancestor_ids=old_ancestor_ids,
        new_ancestor_ids=list(Organization.objects.get_ancestors(org).values_list("pk", flat=True)),
    )
    record(
        actor,
        Action.MOVE,
        org,
        before={"parent": old_parent.pk if old_parent else None},
        after={"parent": new_parent.pk},
        parent=new_parent,
        message=_("Moved from %(old)s to %(new)s")
        % {"old": old_parent.name if old_parent else "—", "new": new_parent.name},
    )
    return org


def blockers(org: Organization) -> list[str]:
    """What still hangs on an organisation, in words: '3 leadership positions', …"""
    found: list[str] = []
    children = Organization.objects.get_children_count(org)
    if children:
        found.append(
            ngettext("%(n)d subordinate organisation", "%(n)d subordinate organisations", children)
            % {"n": children}
        )
    collector = Collector(using="default")
    try:
        collector.collect([org])
    except ProtectedError as exc:
        counts: dict[str, int] = {}
        for obj in exc.protected_objects:
            label = capfirst(obj._meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + 1
        found.extend(_("%(what)s (%(n)d)") % {"what": label, "n": n} for label, n in counts.items())
    return found


@action(model=Organization)
def delete_organization(actor, org: Organization) -> None:
    org = Organization.objects.get(pk=org.pk)  # as locked by the action
    if org.path == actor.scope_path:
        raise ValidationError(_("You cannot delete your own organisation."))
    hanging = blockers(org)
    if hanging:
        raise ValidationError(
            _("This organisation cannot be deleted while these remain: %(what)s.")
            % {"what": "、".join(hanging)}
        )
    before = snapshot(org)
    parent = Organization.objects.get_parent(org)
    record(actor, Action.DELETE, org, before=before, parent=parent)
    if parent is not None and rollup.key(org):
        rollup.adjust(parent.path, {rollup.key(org): 1}, -1)
    org.delete()


# --- Leadership roster ----------------------------------------------------------------------


@action(model=Position)
def save_position(actor, position: Position) -> Position:
    """Create or update one roster entry (the instance carries the new values); the action
    answers 404 when the entry, before or after, lies outside the actor's scope."""
    _require_writable(actor, position.organization)
    before = None
    if position.pk:
        before = snapshot(Position.objects.get(pk=position.pk))
    position.full_clean()
    position.save()
    record_saved(actor, position, before, parent=position.organization)
    return position


@action(model=Position)
def delete_position(actor, position: Position) -> None:
    record(
        actor,
        Action.DELETE,
        position,
        before=snapshot(position),
        parent=position.organization,
    )
    position.delete()
