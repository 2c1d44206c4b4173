"""The to-do kinds of notices and information items (``home.todo``): notices the user's
organisation has not read or not answered (with the reminders it got), and items waiting for
its decision."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.core.resources import policy_for
from guangong.home.todo.items import Item, Pending

from .models import InfoItem, NoticeStatus, Receipt
from .models.items import OPEN


def notices_waiting(user, now) -> Pending:
    """Receipts of the user's organisation: unread, or feedback due and not filed; for the
    users who may act on them (file the feedback)."""
    rows = Receipt.objects.none()
    if user.organization_id is not None and policy_for(Receipt).may(user, "write"):
        waiting = Q(read_at__isnull=True) | Q(
            notice__feedback_required=True, answered_at__isnull=True
        )
        rows = policy_for(Receipt).instances(
            user,
            "read",
            Receipt.objects.filter(
                waiting,
                organization_id=user.organization_id,
                notice__status=NoticeStatus.ISSUED,
            ).select_related("notice", "notice__organization"),
        )
    today = timezone.localdate(now)

    def item(receipt, _found) -> Item:
        notice = receipt.notice
        notes = [_("Not read yet") if receipt.read_at is None else _("Feedback due")]
        if receipt.reminders_sent:
            notes.append(_("Reminded %(n)d times") % {"n": receipt.reminders_sent})
        due = notice.feedback_due if notice.feedback_required else None
        return Item(
            kind="notices",
            title=str(notice),
            url=notice.get_absolute_url(),
            organization=notice.organization.name,
            changed_at=notice.issued_at or notice.updated_at,
            due=due,
            overdue=bool(due and due < today and receipt.answered_at is None),
            note="；".join(notes),
        )

    return Pending(rows, item)


def items_waiting(user, now) -> Pending:
    """Information items held by the user's organisation, for users who may decide."""
    policy = policy_for(InfoItem)
    rows = InfoItem.objects.none()
    if user.organization_id is not None and policy.may(user, "approve"):
        rows = policy.instances(
            user,
            "approve",
            InfoItem.objects.filter(handler_id=user.organization_id, status__in=OPEN),
        ).select_related("organization", "kind")

    def item(row, _found) -> Item:
        return Item(
            kind="info_items",
            title=f"{row.kind.label}：{row.title}",
            url=row.get_absolute_url(),
            organization=row.organization.name,
            changed_at=row.updated_at,
        )

    return Pending(rows, item)
