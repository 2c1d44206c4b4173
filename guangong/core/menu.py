"""The main menu, from the apps' declarations.

Each app registers the entries of its pages in its ``resources.py``::

    menu.register(MenuItem("people:elder_list", _("Elders"), order=40))

The shell shows a user the entries whose verbs their role holds, in ``order``; an entry needs
``view`` unless it names other verbs (the user list needs ``manage_users``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from .policy import has_verbs


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str
    order: int
    verbs: tuple[str, ...] = ("view",)
    #: A stable handle for browser tests (``data-testid``).
    testid: str = ""

    @property
    def url(self) -> str:
        key = (get_script_prefix(), self.url_name)  # reversed once, not on every page
        if key not in _urls:
            _urls[key] = reverse(self.url_name)
        return _urls[key]


_items: dict[str, MenuItem] = {}
_urls: dict[tuple[str, str], str] = {}


def register(item: MenuItem) -> MenuItem:
    if item.url_name in _items:
        raise ValueError(f"{item.url_name} is in the menu twice")
    _items[item.url_name] = item
    return item


def items_for(user) -> list[MenuItem]:
    """The entries ``user`` may open, in menu order (none for a visitor)."""
    return sorted(
        (item for item in _items.values() if has_verbs(user, item.verbs)),
        key=lambda item: item.order,
    )


register(MenuItem("swagger-ui", _("API"), order=1000, verbs=()))
