"""The to-do items of meetings' follow-up (``home.todo``): action items the user's organisation
owns that are open (overdue ones first), and closures waiting for the organiser's approval."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.core.resources import policy_for
from guangong.home.todo.items import Item, Pending

from .models import ActionItem, ItemStatus


def _item(row, kind: str, today, note: str = "") -> Item:
    return Item(
        kind=kind,
        title=row.task,
        url=row.get_absolute_url(),
        organization=row.owner_name,
        changed_at=row.updated_at,
        due=row.due_date,
        overdue=row.due_date < today,
        note=note,
    )


def action_items(user, now) -> Pending:
    """Open items owned by the user's organisation (or by a member unit of it), not yet put
    up for closure, for users who may report on them."""
    org = user.organization_id
    rows = ActionItem.objects.none()
    if org is not None and user.has_verb("edit"):
        rows = policy_for(ActionItem).instances(
            user,
            "read",
            ActionItem.objects.filter(
                Q(owner_org=org) | Q(owner_unit__organization=org),
                closure_requested_at__isnull=True,
            )
            .exclude(status=ItemStatus.DONE)
            .select_related("owner_org", "owner_unit"),
        )
    today = timezone.localdate(now)

    def item(row, _found):
        note = _("Overdue") if row.due_date < today else row.get_status_display()
        return _item(row, "action_item", today, note)

    return Pending(rows, item)


def closures(user, now) -> Pending:
    """Items whose owner asked to close them, of meetings the user's organisation organised,
    for users who may approve."""
    org = user.organization_id
    policy = policy_for(ActionItem)
    rows = ActionItem.objects.none()
    if org is not None and policy.may(user, "approve"):
        rows = policy.instances(
            user,
            "approve",
            ActionItem.objects.filter(meeting__organization=org, closure_requested_at__isnull=False)
            .exclude(status=ItemStatus.DONE)
            .select_related("owner_org", "owner_unit"),
        )
    today = timezone.localdate(now)

    def item(row, _found):
        return _item(row, "action_item_closure", today, _("Closure waiting for approval"))

    return Pending(rows, item)
