from django.utils.functional import SimpleLazyObject

from . import inbox


def unread_messages(request):
    """The header's count of unread messages: counted when the page shows it."""
    return {"unread_messages": SimpleLazyObject(lambda: inbox.unread_count(request.user))}
