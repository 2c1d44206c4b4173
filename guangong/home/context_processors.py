from django.utils.functional import SimpleLazyObject

from . import todo


def todo_badge(request):
    """The header's to-do count: counted when the page shows it, once a request."""
    return {"todo_count": SimpleLazyObject(lambda: todo.for_request(request).count)}
