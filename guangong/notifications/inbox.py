"""A user's inbox: what is unread, and marking messages read.

A read mark is the reader's own note on their own message (not a record others see): it is
written here, outside an audited action, like a token's last use.
"""

from django.core.cache import cache
from django.utils import timezone

from guangong.core.resources import policy_for

from .models import Message

#: The header's count is kept this long per user (their own marks forget it at once).
BADGE_SECONDS = 60


def _key(user) -> str:
    return f"messages:unread:{user.pk}"


def mine(user):
    """The user's own messages (the Message policy: a user reads only their own)."""
    return policy_for(Message).instances(user, "read", Message.objects.all())


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    count = cache.get(_key(user))
    if count is None:
        count = mine(user).filter(read_at=None).count()
        cache.set(_key(user), count, BADGE_SECONDS)
    return count


def forget(user_id) -> None:
    cache.delete(f"messages:unread:{user_id}")


def mark_read(user, message: Message) -> Message:
    """Mark the user's own ``message`` read (404 for anyone else's, through the policy)."""
    found = policy_for(Message).get(user, message.pk, "write")
    if found.read_at is None:
        found.read_at = timezone.now()
        Message.objects.filter(pk=found.pk, read_at=None).update(read_at=found.read_at)
        forget(user.pk)
    return found


def mark_all_read(user) -> int:
    changed = mine(user).filter(read_at=None).update(read_at=timezone.now())
    forget(user.pk)
    return changed
