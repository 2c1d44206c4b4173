"""The policies' rules beyond scope and verbs (``core.policy``): what the state of a row
allows."""

from guangong.core.scope import scope_path

from .models import ItemStatus, NoticeStatus
from .models.items import OPEN


def notice_is_draft(user, notice) -> bool:
    """Only a draft is changed or deleted; an issued notice keeps its number and text."""
    return notice.status == NoticeStatus.DRAFT


def feedback_open(user, receipt) -> bool:
    """Feedback is filed on an issued notice that asks for it."""
    notice = receipt.notice
    return notice.feedback_required and notice.status == NoticeStatus.ISSUED


def item_editable(user, item) -> bool:
    """An item is changed while nobody has decided on it, or after it came back."""
    return item.status in (ItemStatus.PENDING, ItemStatus.RETURNED)


def item_decidable(user, item) -> bool:
    """The organisation holding an open item (or one above it) decides."""
    path = scope_path(user)
    return item.status in OPEN and path is not None and item.handler.path.startswith(path)
