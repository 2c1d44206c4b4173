"""The daily counters (``ActivityDay``) and engaged-elder sets (``EngagedEldersDay``) of the
organisations near the top of the tree, for many activities at once.

A period that starts or ends inside a month (this year to 6 December, compared with 1 January
to 6 December a year earlier) adds its edge days to the whole months. Below the top levels a
subtree's edge days are a few ledger rows; at a province they are tens of thousands, so the
organisations of depth at most ``DAILY_DEPTH`` keep their totals by day too (and those of
depth at most ``DAILY_SETS_DEPTH`` their engaged elders by day). ``rollup.replace`` keeps them
for one activity, with the monthly rows; here:

- ``store_counts``: a batch's totals added to (or taken from) the daily rows of its
  organisations' top ancestors, one grouped upsert per level;
- ``touched``/``refresh_sets``: the daily sets of the (ancestor, day) pairs a batch touches,
  recomputed from the ledger;
- ``rebuild``: every daily row from the ledger; ``rebuild_orgs``: those of some
  organisations (after a move, which may change their depth).
"""

# ruff: noqa: S608  (table names come from the models; every value is a query parameter)
from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Q

from guangong.core.scope import PATH_STEP, ancestor_paths, subtree_q
from guangong.orgs.models import Organization

from .bitset import encode_ids
from .models import (
    DAILY_DEPTH,
    DAILY_SETS_DEPTH,
    Activity,
    ActivityDay,
    ActivityElder,
    EngagedEldersDay,
)

ACTIVITY = Activity._meta.db_table
LINK = ActivityElder._meta.db_table
DAY = ActivityDay._meta.db_table
ORG = Organization._meta.db_table
COUNTS = ("sessions", "participants", "elder_times", "hours")
#: Rows per INSERT of sets, and per fetch of the ledger's elder rows.
BATCH = 2000


def as_date(value) -> datetime.date:
    """A date as the database returned it (a date, a datetime or 'YYYY-MM-DD' text)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


# --- Counters ---------------------------------------------------------------------------------


def store_counts(
    cursor, ids_sql: str = "", params=(), sign: int = 1, fresh: bool = False, ancestors=None
) -> int:
    """Add (``sign`` -1: take away) the activities selected by ``ids_sql`` (empty: the whole
    ledger) to the daily rows of their ancestors of depth at most ``DAILY_DEPTH`` (of the
    organisations ``ancestors`` only, given their ids); ``fresh``: the rows are known not to
    exist. Returns the rows written."""
    params = list(params)
    where = f"AND a.id IN ({ids_sql})" if ids_sql else ""
    link_where = f"WHERE activity_id IN ({ids_sql})" if ids_sql else ""
    only, only_params = "", []
    if ancestors is not None:
        only = f"AND anc.id IN ({', '.join(['%s'] * len(ancestors))})"
        only_params = list(ancestors)
    upsert = ""
    if not fresh:
        upsert = "ON CONFLICT (organization_id, date, type_id) DO UPDATE SET " + ", ".join(
            f"{n} = {DAY}.{n} + excluded.{n}" for n in COUNTS
        )
    written = 0
    for depth in range(1, DAILY_DEPTH + 1):
        cursor.execute(
            f"""
            INSERT INTO {DAY} (organization_id, date, type_id, {", ".join(COUNTS)})
            SELECT anc.id, a.date, a.type_id, %s * COUNT(*), %s * SUM(a.participants),
                   %s * SUM(COALESCE(l.n, 0)), %s * SUM(COALESCE(l.h, 0))
            FROM {ACTIVITY} a
            JOIN {ORG} o ON o.id = a.organization_id
            JOIN {ORG} anc ON anc.path = substr(o.path, 1, %s)
            LEFT JOIN (
                SELECT activity_id, COUNT(*) AS n, SUM(hours) AS h FROM {LINK} {link_where}
                GROUP BY activity_id
            ) l ON l.activity_id = a.id
            WHERE o.depth >= %s {where} {only}
            GROUP BY anc.id, a.date, a.type_id
            {upsert}
            """,
            [sign] * 4 + [depth * PATH_STEP] + params + [depth] + params + only_params,
        )
        written += max(cursor.rowcount, 0)
    if sign < 0:
        days = (
            f"AND date IN (SELECT date FROM {ACTIVITY} WHERE id IN ({ids_sql}))" if ids_sql else ""
        )
        cursor.execute(f"DELETE FROM {DAY} WHERE sessions = 0 {days}", params)
    return written


# --- Engaged elders ---------------------------------------------------------------------------


def touched(cursor, ids_sql: str, params) -> set[tuple[str, datetime.date]]:
    """(organisation path, day) of the selected activities that name elders."""
    cursor.execute(
        f"""
        SELECT DISTINCT o.path, a.date
        FROM {ACTIVITY} a JOIN {ORG} o ON o.id = a.organization_id
        WHERE a.id IN ({ids_sql})
          AND EXISTS (SELECT 1 FROM {LINK} l WHERE l.activity_id = a.id)
        """,
        list(params),
    )
    return {(path, as_date(day)) for path, day in cursor.fetchall()}


def _sets_of(links, prefixes: set[str] | None) -> dict[tuple[str, datetime.date], set[int]]:
    """The elders of ``links`` (ActivityElder rows) by (ancestor path, day), for the ancestors
    of depth at most ``DAILY_SETS_DEPTH`` (of ``prefixes`` only, unless None)."""
    found: dict[tuple[str, datetime.date], set[int]] = defaultdict(set)
    for path, day, elder_id in links.values_list(
        "activity__organization__path", "activity__date", "elder_id"
    ).iterator(chunk_size=BATCH):
        for prefix in ancestor_paths(path)[:DAILY_SETS_DEPTH]:
            if prefixes is None or prefix in prefixes:
                found[(prefix, day)].add(elder_id)
    return found


def _write_sets(found: dict, keys) -> int:
    """Store the set found for each (path, day) of ``keys`` (an empty one removes the row)."""
    keys = set(keys)
    ids = dict(
        Organization.objects.filter(path__in={path for path, _day in keys}).values_list(
            "path", "pk"
        )
    )
    keep = [
        EngagedEldersDay(organization_id=ids[path], date=day, bits=encode_ids(found[(path, day)]))
        for path, day in keys
        if found.get((path, day)) and path in ids
    ]
    EngagedEldersDay.objects.bulk_create(
        keep,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["organization", "date"],
        update_fields=["bits"],
    )
    empty = defaultdict(list)
    for path, day in keys:
        if not found.get((path, day)) and path in ids:
            empty[day].append(ids[path])
    for day, org_ids in empty.items():
        EngagedEldersDay.objects.filter(date=day, organization_id__in=org_ids).delete()
    return len(keys)


def refresh_sets(pairs: set[tuple[str, datetime.date]]) -> int:
    """Recompute from the ledger the daily sets of the top ancestors of each (organisation
    path, day) in ``pairs``."""
    keys = {
        (prefix, day) for path, day in pairs for prefix in ancestor_paths(path)[:DAILY_SETS_DEPTH]
    }
    days = sorted({day for _path, day in keys})
    written = 0
    for start in range(0, len(days), 200):
        chunk = days[start : start + 200]
        wanted = {key for key in keys if key[1] in set(chunk)}
        links = ActivityElder.objects.filter(activity__date__in=chunk)
        written += _write_sets(_sets_of(links, {p for p, _d in wanted}), wanted)
    return written


def rebuild() -> tuple[int, int]:
    """Every daily row from the ledger: (counter rows, sets)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DAY}")
        counters = store_counts(cursor, fresh=True)
    EngagedEldersDay.objects.all().delete()
    months = Activity.objects.dates("date", "month")
    sets = 0
    for month in months:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        found = _sets_of(
            ActivityElder.objects.filter(activity__date__gte=month, activity__date__lt=following),
            None,
        )
        sets += _write_sets(found, found.keys())
    return counters, sets


def rebuild_orgs(org_ids) -> None:
    """The daily rows of the organisations ``org_ids`` from the ledger (none for those now
    deeper than the daily levels)."""
    org_ids = sorted(set(org_ids))
    if not org_ids:
        return
    ActivityDay.objects.filter(organization_id__in=org_ids).delete()
    EngagedEldersDay.objects.filter(organization_id__in=org_ids).delete()
    orgs = list(Organization.objects.filter(pk__in=org_ids).values_list("pk", "path", "depth"))
    counted = [pk for pk, _path, depth in orgs if depth <= DAILY_DEPTH]
    if counted:
        with connection.cursor() as cursor:
            store_counts(cursor, ancestors=counted, fresh=True)
    prefixes = {path for _pk, path, depth in orgs if depth <= DAILY_SETS_DEPTH}
    if prefixes:
        where = Q()
        for path in prefixes:
            where |= subtree_q("activity__organization__path", path)
        found = _sets_of(ActivityElder.objects.filter(where), prefixes)
        _write_sets(found, found.keys())


def after_move(org_id: int, lost: list[int], gained: list[int]) -> None:
    """An organisation moved (its depth may have changed with its subtree's): the daily rows of
    the ancestors it left and joined, and of its subtree, recomputed."""
    org = Organization.objects.get(pk=org_id)
    subtree = Organization.objects.filter(subtree_q("path", org.path))
    for model in (ActivityDay, EngagedEldersDay):
        model.objects.filter(organization_id__in=subtree.values("pk")).delete()
    top = subtree.filter(depth__lte=DAILY_DEPTH).values_list("pk", flat=True)
    rebuild_orgs([*lost, *gained, *top])
