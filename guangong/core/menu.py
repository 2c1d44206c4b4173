"""The main menu, from the apps' declarations.

Each app registers the entries of its pages in its ``resources.py``::

    menu.register(MenuItem("people:elder_list", _("Elders"), order=40, group=menu.TEAM))

The shell shows a user the entries whose verbs their role holds, in ``order``; an entry needs
``view`` unless it names other verbs (the user list needs ``manage_users``). The entries stand in
groups (组织建设, 队伍建设 … as the side menu shows them); an entry that names no group goes in
its app's usual group (``APP_GROUPS``), else under 其他, so a new app's pages still show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .policy import has_verbs

#: Entries above the groups (待办): the daily work.
TOP = "top"
ORGS = "orgs"
TEAM = "team"
ACTIVITIES = "activities"
CARE = "care"
STATS = "stats"
DOCUMENTS = "documents"
SYSTEM = "system"
OTHER = "other"

#: The groups in the side menu's order, with their labels.
GROUPS: dict[str, str] = {
    TOP: "",
    ORGS: _("Organisation building"),
    TEAM: _("Team building"),
    ACTIVITIES: _("Activity ledger"),
    CARE: _("Care and help"),
    STATS: _("Statistics and reports"),
    DOCUMENTS: pgettext_lazy("menu", "Bulletins and summaries"),
    OTHER: _("More"),
    SYSTEM: _("System management"),
}

#: The group of an entry that names none, by its URL's namespace (the app).
APP_GROUPS: dict[str, str] = {
    "home": TOP,
    "notify": TOP,
    "notifications": TOP,
    "orgs": ORGS,
    "meetings": ORGS,
    "workplans": ORGS,
    "orggroups": ORGS,
    "people": TEAM,
    "activities": ACTIVITIES,
    "care": CARE,
    "helpdesk": CARE,
    "stats": STATS,
    "reporting": STATS,
    "documents": DOCUMENTS,
    "notices": DOCUMENTS,
    "accounts": SYSTEM,
    "dicts": SYSTEM,
    "audit": SYSTEM,
    "jobs": SYSTEM,
}


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str
    order: int
    verbs: tuple[str, ...] = ("view",)
    #: A stable handle for browser tests (``data-testid``).
    testid: str = ""
    #: The side menu's group (a key of ``GROUPS``); empty: the app's usual one.
    group: str = ""

    @property
    def url(self) -> str:
        key = (get_script_prefix(), self.url_name)  # reversed once, not on every page
        if key not in _urls:
            _urls[key] = reverse(self.url_name)
        return _urls[key]

    @property
    def group_key(self) -> str:
        if self.group in GROUPS:
            return self.group
        return APP_GROUPS.get(self.url_name.partition(":")[0], OTHER)


@dataclass
class MenuGroup:
    key: str
    label: str
    items: list[MenuItem] = field(default_factory=list)

    def holds(self, path: str) -> bool:
        """Whether the page at ``path`` is one of the group's (the group then opens)."""
        return any(_under(path, item.url) for item in self.items)


def _under(path: str, url: str) -> bool:
    return path == url or (url != "/" and url.endswith("/") and path.startswith(url))


_items: dict[str, MenuItem] = {}
_urls: dict[tuple[str, str], str] = {}


def register(item: MenuItem) -> MenuItem:
    if item.url_name in _items:
        raise ValueError(f"{item.url_name} is in the menu twice")
    if item.group and item.group not in GROUPS:
        raise ValueError(f"{item.url_name}: no menu group {item.group!r}")
    _items[item.url_name] = item
    return item


def items_for(user) -> list[MenuItem]:
    """The entries ``user`` may open, in menu order (none for a visitor)."""
    return sorted(
        (item for item in _items.values() if has_verbs(user, item.verbs)),
        key=lambda item: item.order,
    )


def groups_for(user) -> list[MenuGroup]:
    """The entries ``user`` may open, in the side menu's groups (empty groups left out)."""
    groups = {key: MenuGroup(key, label) for key, label in GROUPS.items()}
    for item in items_for(user):
        groups[item.group_key].items.append(item)
    return [group for group in groups.values() if group.items]


def active_url(groups: list[MenuGroup], path: str) -> str:
    """The URL of the entry the page at ``path`` belongs to (the longest that holds it)."""
    urls = [item.url for group in groups for item in group.items if _under(path, item.url)]
    return max(urls, key=len, default="")


# The API's documentation, inside the shell; in the menu of the administrators only.
register(MenuItem("swagger-ui", _("API"), order=1000, verbs=("manage_users",), group=SYSTEM))
