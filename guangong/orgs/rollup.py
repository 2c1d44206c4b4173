"""Subtree counts of organisations by kind and status, kept exact as the tree changes.

Every organisation holds one ``SubtreeCount`` row per (kind, status) present in its subtree,
counting the organisations not dissolved (``key``).
The organisation services adjust the rows of every ancestor (a handful: the tree is about six
levels deep) in the transaction that makes the change; ``rebuild`` recomputes the table from the
tree, and ``mismatches`` compares the two.
"""

import contextvars
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, F

from guangong.core.scope import ancestor_paths, subtree_q

from .models import NOT_DISSOLVED, Organization, SubtreeCount

Key = tuple[str, str]  # (kind, status)

# Adjustments collected by ``deferred()``: (path of the counted subtree, kind, status) -> delta.
_pending: contextvars.ContextVar[Counter | None] = contextvars.ContextVar(
    "subtree_count_pending", default=None
)


def adjust(path: str, counts: dict[Key, int], sign: int) -> None:
    """Add ``sign`` × ``counts`` to the organisation at ``path`` and every ancestor of it."""
    counts = {key: n for key, n in counts.items() if n}
    if not path or not counts:
        return
    pending = _pending.get()
    if pending is not None:
        for prefix in ancestor_paths(path):
            for (kind, status), n in counts.items():
                pending[(prefix, kind, status)] += sign * n
        return
    ids = list(
        Organization.objects.filter(path__in=ancestor_paths(path)).values_list("pk", flat=True)
    )
    for (kind, status), n in counts.items():
        SubtreeCount.objects.bulk_create(
            [SubtreeCount(organization_id=pk, kind=kind, status=status, n=0) for pk in ids],
            ignore_conflicts=True,
        )
        SubtreeCount.objects.filter(organization_id__in=ids, kind=kind, status=status).update(
            n=F("n") + sign * n
        )


@contextmanager
def deferred() -> Iterator[None]:
    """Collect adjustments and apply them once when the block ends without an error.

    For bulk work inside one transaction (imports, undo): thousands of rows under the same
    county would otherwise update that county's, city's and province's counters once per row —
    slow, and on PostgreSQL a pile of row versions and a long lock on the hottest rows. Nothing
    may read the counts inside the block. Nested blocks join the outer one.
    """
    if _pending.get() is not None:
        yield
        return
    pending: Counter = Counter()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _apply(pending)


def _apply(pending: Counter) -> None:
    """Write collected adjustments: one UPDATE per existing counter row, the rest in bulk."""
    changes = {key: n for key, n in pending.items() if n}
    if not changes:
        return
    paths = list({path for path, _kind, _status in changes})
    ids: dict[str, int] = {}
    for i in range(0, len(paths), 2000):
        ids.update(
            Organization.objects.filter(path__in=paths[i : i + 2000]).values_list("path", "pk")
        )
    by_row = {
        (ids[path], kind, status): n for (path, kind, status), n in changes.items() if path in ids
    }  # a path that is gone was deleted in the block, and its counters with it
    org_ids = list({pk for pk, _kind, _status in by_row})
    existing: set[tuple[int, str, str]] = set()
    for i in range(0, len(org_ids), 2000):
        existing.update(
            SubtreeCount.objects.filter(organization_id__in=org_ids[i : i + 2000]).values_list(
                "organization_id", "kind", "status"
            )
        )
    SubtreeCount.objects.bulk_create(
        [
            SubtreeCount(organization_id=pk, kind=kind, status=status, n=n)
            for (pk, kind, status), n in by_row.items()
            if (pk, kind, status) not in existing
        ],
        batch_size=2000,
    )
    for (pk, kind, status), n in by_row.items():
        if (pk, kind, status) in existing:
            SubtreeCount.objects.filter(organization_id=pk, kind=kind, status=status).update(
                n=F("n") + n
            )


def key(org: Organization) -> Key | None:
    """What ``org`` counts as: its (kind, status); nothing once dissolved."""
    return None if org.dissolved_on else (org.kind, org.status)


def changed(org: Organization, old: Key | None) -> None:
    """``org`` counted as ``old`` before an edit: move its count to what it is now."""
    new = key(org)
    if new != old:
        adjust(org.path, {old: 1} if old else {}, -1)
        adjust(org.path, {new: 1} if new else {}, +1)


def added(org: Organization) -> None:
    if key(org):
        adjust(org.path, {key(org): 1}, +1)


def histogram(path: str) -> dict[Key, int]:
    """The live count of a subtree by (kind, status)."""
    rows = (
        Organization.objects.filter(subtree_q("path", path), NOT_DISSOLVED)
        .values_list("kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(kind, status): n for kind, status, n in rows}


def counts_for(org_ids) -> dict[int, dict[Key, int]]:
    """The stored counts of each organisation's subtree."""
    result: dict[int, dict[Key, int]] = {}
    rows = SubtreeCount.objects.filter(organization_id__in=org_ids, n__gt=0).values_list(
        "organization_id", "kind", "status", "n"
    )
    for org_id, kind, status, n in rows:
        result.setdefault(org_id, {})[(kind, status)] = n
    return result


def _computed() -> Counter:
    ids = dict(Organization.objects.values_list("path", "pk"))
    totals: Counter = Counter()
    for path, kind, status in Organization.objects.filter(NOT_DISSOLVED).values_list(
        "path", "kind", "status"
    ):
        for prefix in ancestor_paths(path):
            totals[(ids[prefix], kind, status)] += 1
    return totals


@transaction.atomic
def rebuild() -> int:
    """Recompute every subtree count from the tree; returns the number of rows written."""
    totals = _computed()
    SubtreeCount.objects.all().delete()
    SubtreeCount.objects.bulk_create(
        [
            SubtreeCount(organization_id=pk, kind=kind, status=status, n=n)
            for (pk, kind, status), n in totals.items()
        ],
        batch_size=5000,
    )
    return len(totals)


def mismatches() -> list[tuple[int, str, str, int, int]]:
    """(organisation id, kind, status, stored, actual) for every count that is wrong."""
    actual = _computed()
    stored = Counter(
        {
            (pk, kind, status): n
            for pk, kind, status, n in SubtreeCount.objects.values_list(
                "organization_id", "kind", "status", "n"
            )
            if n
        }
    )
    keys = set(actual) | set(stored)
    return sorted(
        (pk, kind, status, stored[(pk, kind, status)], actual[(pk, kind, status)])
        for pk, kind, status in keys
        if stored[(pk, kind, status)] != actual[(pk, kind, status)]
    )
