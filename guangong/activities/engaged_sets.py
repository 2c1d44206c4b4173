"""The engaged-elder sets of many activities at once (step 4 of ``bulk``).

The distinct (organisation, elder) pairs of a month are read once from the ledger and united
upwards in Python; above the lowest common ancestor of the touched organisations, the stored
sets of the other children are united instead. Each set is stored as a ``bitset``.
"""

# ruff: noqa: S608  (table names come from the models; every value is a query parameter)
from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection

from guangong.core.dates import next_month
from guangong.core.scope import PATH_MAX_LENGTH, PATH_STEP, PATH_TOP_CHAR, ancestor_paths, subtree_q
from guangong.orgs.models import Organization

from . import bitset
from .models import Activity, ActivityElder, EngagedElders

#: Rows per INSERT of engaged-elder sets.
BATCH = 2000

ACTIVITY = Activity._meta.db_table
LINK = ActivityElder._meta.db_table
ORG = Organization._meta.db_table


def _month_sets(cursor, month: datetime.date, top: str) -> dict[str, set[int]]:
    """Engaged elders of every organisation of ``top``'s subtree ('': the whole tree) in
    ``month``: each set is the union of the organisation's own activities and its
    descendants' sets."""
    end = next_month(month)
    where, params = "a.date >= %s AND a.date < %s", [month, end]
    if top:
        where += " AND o.path >= %s AND o.path <= %s"
        params += [top, top + PATH_TOP_CHAR * (PATH_MAX_LENGTH - len(top))]
    cursor.execute(
        f"""
        SELECT o.path, l.elder_id
        FROM {LINK} l
        JOIN {ACTIVITY} a ON a.id = l.activity_id
        JOIN {ORG} o ON o.id = a.organization_id
        WHERE {where}
        """,
        params,
    )
    sets: dict[str, set[int]] = defaultdict(set)
    for path, elder_id in cursor.fetchall():
        sets[path].add(elder_id)
    # Deepest level first, each set joins its parent's, up to ``top``.
    longest = max((len(p) for p in sets), default=0)
    for length in range(longest, max(len(top), PATH_STEP), -PATH_STEP):
        for path in [p for p in sets if len(p) == length]:
            sets[path[:-PATH_STEP]] |= sets[path]
    return sets


def _common_top(paths: set[str]) -> str:
    """The longest path prefix (whole steps) shared by all ``paths``."""
    first, last = min(paths), max(paths)
    n = 0
    while (
        n + PATH_STEP <= min(len(first), len(last))
        and first[: n + PATH_STEP] == last[: n + PATH_STEP]
    ):
        n += PATH_STEP
    return first[:n]


def _write_sets(month: datetime.date, wanted: dict[int, set[int] | int]) -> int:
    """Store ``wanted`` (organisation id → elder ids or a bit set) for ``month``; empty sets
    delete the row."""
    keep = [
        EngagedElders(organization_id=pk, month=month, bits=bitset.encode_ids(value))
        for pk, value in wanted.items()
        if value
    ]
    drop = [pk for pk, value in wanted.items() if not value]
    if keep:
        EngagedElders.objects.bulk_create(
            keep,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["organization", "month"],
            update_fields=["bits"],
        )
    for start in range(0, len(drop), BATCH):
        EngagedElders.objects.filter(
            organization_id__in=drop[start : start + BATCH], month=month
        ).delete()
    return len(keep) + len(drop)


def _chain_sets(month: datetime.date, top: str, top_value: int, ids: dict[str, int]) -> dict:
    """The sets of ``top``'s ancestors (id → bit set), from the one below in the chain, the
    stored sets of their other children and their own activities, nearest ancestor first."""
    chain = ancestor_paths(top)[:-1]
    out: dict[int, int] = {}
    below, value = top, top_value
    for path in reversed(chain):
        others = (
            Organization.objects.filter(subtree_q("path", path), depth=len(path) // PATH_STEP + 1)
            .exclude(path=below)
            .values("pk")
        )
        for bits in EngagedElders.objects.filter(
            organization_id__in=others, month=month
        ).values_list("bits", flat=True):
            value |= bitset.decode(bits)
        value |= bitset.of(
            ActivityElder.objects.filter(
                activity__organization_id=ids[path],
                activity__date__gte=month,
                activity__date__lt=next_month(month),
            ).values_list("elder_id", flat=True)
        )
        out[ids[path]] = value
        below = path
    return out


def refresh(touched: dict[datetime.date, set[str]]) -> int:
    """Recompute the sets of the touched organisations and all their ancestors, per month:
    from the ledger below the lowest common ancestor, from the stored sets above it."""
    if not touched:
        return 0
    paths = {prefix for group in touched.values() for p in group for prefix in ancestor_paths(p)}
    ids = dict(Organization.objects.filter(path__in=paths).values_list("path", "pk"))
    written = 0
    with connection.cursor() as cursor:
        for month, orgs in sorted(touched.items()):
            top = _common_top(orgs)
            sets = _month_sets(cursor, month, top)
            wanted: dict[int, set[int] | int] = {
                ids[prefix]: sets.get(prefix, set())
                for p in orgs
                for prefix in ancestor_paths(p)
                if len(prefix) >= len(top)
            }
            if top:
                wanted.update(_chain_sets(month, top, bitset.of(wanted[ids[top]]), ids))
            written += _write_sets(month, wanted)
    return written


def rebuild_month(cursor, month: datetime.date, ids: dict[str, int]) -> int:
    """Store the sets of every organisation (``ids``: path → id) for ``month`` from the ledger."""
    found = _month_sets(cursor, month, "")
    return _write_sets(month, {ids[p]: s for p, s in found.items() if s})
