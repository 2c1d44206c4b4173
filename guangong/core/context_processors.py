from django.conf import settings

from .menu import active_url, groups_for


def shell(request):
    """What the page shell needs: the user's organisation for the tree, the side menu's groups
    (the current page's entry marked) and the large-text choice."""
    user = getattr(request, "user", None)
    org = getattr(user, "organization", None) if user and user.is_authenticated else None
    groups = groups_for(user)
    return {
        "scope_root": org,
        "GUANGONG_DEBUG": settings.DEBUG,
        "menu_groups": groups,
        "menu_active": active_url(groups, request.path),
        "large_text": request.COOKIES.get("gg_large") == "1",
    }
