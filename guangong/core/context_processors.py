from django.conf import settings

from .menu import items_for


def shell(request):
    """What the page shell needs: the user's organisation for the tree and the nav."""
    user = getattr(request, "user", None)
    org = getattr(user, "organization", None) if user and user.is_authenticated else None
    return {"scope_root": org, "GUANGONG_DEBUG": settings.DEBUG, "menu_items": items_for(user)}
