"""What a to-do item is, and the rows of one kind waiting for a user (``Pending``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from guangong.core.resources import policy_for


@dataclass(frozen=True)
class Item:
    kind: str
    title: str
    url: str
    organization: str
    #: When the row came in or last changed (the age an item is sorted by).
    changed_at: datetime.datetime
    due: datetime.date | None = None
    overdue: bool = False
    #: What the user reads first: a returned report's reason, a step to take, a failure.
    note: str = ""


@dataclass
class Pending:
    """The rows of one kind waiting for a user, and how a row reads as an item."""

    rows: QuerySet | list
    item: Callable
    #: What the items need besides the rows (a return's reason), fetched once for all rows.
    lookup: Callable | None = None

    def count(self) -> int:
        rows = self.rows
        return rows.count() if isinstance(rows, QuerySet) else len(rows)

    def items(self) -> list[Item]:
        rows = list(self.rows)
        found = self.lookup(rows) if self.lookup and rows else {}
        return [self.item(row, found) for row in rows]


def passing(model, user, op: str, rows: Iterable) -> list:
    """The rows that also pass the policy's rule for ``op`` (all rows when it has none)."""
    rule = policy_for(model).rules.get(op)
    rows = list(rows)
    if rule is None:
        return rows
    many = getattr(rule, "many", None)
    return many(user, rows) if many is not None else [r for r in rows if rule(user, r)]


def org_name(obj) -> str:
    return obj.organization.name if obj.organization_id else ""


def item_for(obj, kind: str, title: str, changed_at, **more) -> Item:
    """An item that opens ``obj``'s own page, named with ``obj``'s organisation."""
    return Item(
        kind=kind,
        title=title,
        url=obj.get_absolute_url(),
        organization=org_name(obj),
        changed_at=changed_at,
        **more,
    )
