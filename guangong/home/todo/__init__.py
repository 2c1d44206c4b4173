"""The to-do centre (待办): what is waiting for a user, computed from the records.

Each kind of item is one small function in ``kinds`` that returns the rows waiting (a queryset
while it can stay one, so that the header's badge only counts them) and turns a row into an
``Item``. The number of queries does not grow with the number of items. The page, the badge
and the API share one ``Todo`` per request (``for_request``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guangong.core.actions import on_committed
from guangong.meetings import todo as meetings_todo
from guangong.notices.todo import items_waiting, notices_waiting

from .items import Item
from .kinds import (
    care_cases,
    duplicates,
    help_requests,
    jobs,
    next_report_to_approve,
    reports_to_approve,
    reports_to_fill,
)

__all__ = ["HOME_ITEMS", "KINDS", "Item", "Todo", "for_request", "next_report_to_approve"]

#: How many items the home page shows.
HOME_ITEMS = 5
#: How long the header's badge keeps its count: every page shows it, so it is counted at most
#: this often for a user (their own changes and a visit to the to-do page count afresh).
BADGE_SECONDS = 60


def badge_key(user) -> str:
    return f"todo:badge:{user.pk}"


@on_committed
def forget_badge(actor) -> None:
    cache.delete(badge_key(actor))


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    find: Callable


#: The kinds, in the order the page shows them.
KINDS = (
    Kind("report_fill", gettext_lazy("Reports to fill in"), reports_to_fill),
    Kind("report_approve", gettext_lazy("Reports to approve"), reports_to_approve),
    Kind("care", gettext_lazy("Care cases waiting for you"), care_cases),
    Kind("help", gettext_lazy("Help requests without a reply"), help_requests),
    Kind("notices", gettext_lazy("Notices to read or answer"), notices_waiting),
    Kind("info_items", gettext_lazy("Information items waiting for your decision"), items_waiting),
    Kind("action_item", gettext_lazy("Action items to follow up"), meetings_todo.action_items),
    Kind(
        "action_item_closure",
        gettext_lazy("Action items waiting for closure approval"),
        meetings_todo.closures,
    ),
    Kind("duplicates", gettext_lazy("Possible duplicates"), duplicates),
    Kind("jobs", gettext_lazy("Finished imports, exports and documents"), jobs),
)


@dataclass
class Group:
    kind: Kind
    items: list[Item] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)


def _order(item: Item):
    """Due date first (none last), then the oldest."""
    return (item.due or datetime.date.max, item.changed_at)


class Todo:
    """A user's to-do list, worked out once (per request: ``for_request``)."""

    def __init__(self, user, now: datetime.datetime | None = None):
        self.user = user
        self.now = now or timezone.now()
        self._groups: list[Group] | None = None
        self._count: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.user and self.user.is_authenticated and self.user.is_active)

    def groups(self) -> list[Group]:
        """Every kind with items, in page order, each sorted by due date and age."""
        if self._groups is None:
            self._groups = []
            if self.active:
                for kind in KINDS:
                    items = sorted(kind.find(self.user, self.now).items(), key=_order)
                    if items:
                        self._groups.append(Group(kind, items))
        return self._groups

    def items(self) -> list[Item]:
        return [item for group in self.groups() for item in group.items]

    @property
    def count(self) -> int:
        """How many items (counted without building them, unless they are built already)."""
        if self._count is None:
            if self._groups is not None:
                self._count = sum(group.count for group in self._groups)
                cache.set(badge_key(self.user), self._count, BADGE_SECONDS)
            elif not self.active:
                self._count = 0
            else:
                self._count = cache.get(badge_key(self.user))
                if self._count is None:
                    self._count = sum(kind.find(self.user, self.now).count() for kind in KINDS)
                    cache.set(badge_key(self.user), self._count, BADGE_SECONDS)
        return self._count


def for_request(request) -> Todo:
    """The request's user's to-do list, the same object for the page, the badge and the API."""
    todo = getattr(request, "_guangong_todo", None)
    if todo is None:
        todo = Todo(getattr(request, "user", None))
        request._guangong_todo = todo
    return todo
