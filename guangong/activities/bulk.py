"""Set-based maintenance of the statistics counters for many activities at once.

``rollup.replace`` moves the counters for one activity in a handful of queries: right for a
form, far too slow for the demo region, an import or a benchmark that writes thousands to
millions of ledger rows. Here the database does the arithmetic:

1. the activities of the batch are grouped by (organisation, month, type) into a temporary
   table, with their elder attendances and hours;
2. level by level, deepest first, each level's rows are grouped by the parent's path prefix and
   added to the table as the parent's rows — every ancestor gets the totals of its subtree;
3. the table, grouped once more, is added to ``ActivityMonth`` with an upsert
   (``INSERT … ON CONFLICT DO UPDATE``: SQLite ≥ 3.24 and PostgreSQL), and grouped by year
   to ``ActivityYear`` the same way, and by day to the daily rows of the top levels
   (``daily``);
4. the engaged-elder sets of every (ancestor, month) the batch touches are recomputed from the
   ledger, month by month: the distinct (organisation, elder) pairs of the month are read once
   and united upwards in Python;
5. the elders' service hours move by the batch's hours, in one ``UPDATE … FROM``.

``add`` counts activities already written to the ledger; ``remove`` takes them out of the
counters and deletes them; ``rebuild`` recomputes every counter from the ledger (the fast
equivalent of ``rollup.rebuild``). The result is the same as ``rollup.replace`` for each
activity in turn: the tests compare with ``rollup.mismatches``. The caller holds the
transaction and writes the audit records.
"""

# ruff: noqa: S608  (table names come from the models; every value is a query parameter)
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from guangong.core.files import delete_on_commit
from guangong.core.scope import PATH_STEP
from guangong.orgs.models import Organization
from guangong.people.models import Elder

from . import daily, engaged_sets
from .daily import as_date
from .models import (
    Activity,
    ActivityAttachment,
    ActivityElder,
    ActivityMonth,
    ActivityYear,
    EngagedElders,
)

ACTIVITY = Activity._meta.db_table
LINK = ActivityElder._meta.db_table
COUNTER = ActivityMonth._meta.db_table
YEARS = ActivityYear._meta.db_table
SETS = EngagedElders._meta.db_table
ORG = Organization._meta.db_table
ELDER = Elder._meta.db_table
OWN = "activities_bulk_own"


@dataclass
class Result:
    activities: int = 0
    counter_rows: int = 0  # rows of ActivityMonth written (inserted or added to)
    sets: int = 0  # engaged-elder sets written or removed


def _month_sql(column: str) -> str:
    """The first day of the month of a date column, as the database stores a DateField."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"substr({column}, 1, 8) || '01'"  # SQLite keeps dates as 'YYYY-MM-DD'


def _year_sql(column: str) -> str:
    """The year of a month column (a date on PostgreSQL, 'YYYY-MM-01' text on SQLite)."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(substr({column}, 1, 4) AS integer)"


def _selection(activities: QuerySet | None) -> tuple[str, list]:
    """SQL that selects the ids of the batch (None: the whole ledger)."""
    if activities is None:
        return "", []
    sql, params = activities.order_by().values("pk").query.sql_with_params()
    return sql, list(params)


def _execute(cursor, sql: str, params=()) -> int:
    cursor.execute(sql, params)
    return cursor.rowcount


def _own_counts(cursor, ids_sql: str, params: list) -> None:
    """Step 1: the batch grouped by (organisation, month, type) into the temporary table."""
    month = _month_sql("a.date")
    where = f"WHERE a.id IN ({ids_sql})" if ids_sql else ""
    link_where = f"WHERE activity_id IN ({ids_sql})" if ids_sql else ""
    _execute(cursor, f"DROP TABLE IF EXISTS {OWN}")
    _execute(
        cursor,
        f"""
        CREATE TEMPORARY TABLE {OWN} AS
        SELECT a.organization_id AS org_id, o.depth AS depth, o.path AS path,
               {month} AS month, a.type_id AS type_id,
               COUNT(*) AS s, SUM(a.participants) AS p,
               SUM(COALESCE(l.n, 0)) AS e, SUM(COALESCE(l.h, 0)) AS h
        FROM {ACTIVITY} a
        JOIN {ORG} o ON o.id = a.organization_id
        LEFT JOIN (
            SELECT activity_id, COUNT(*) AS n, SUM(hours) AS h FROM {LINK} {link_where}
            GROUP BY activity_id
        ) l ON l.activity_id = a.id
        {where}
        GROUP BY a.organization_id, o.depth, o.path, {month}, a.type_id
        """,
        params + params,
    )
    _execute(cursor, f"CREATE INDEX {OWN}_depth ON {OWN} (depth)")


def _roll_up(cursor) -> None:
    """Step 2: each level's rows added as rows of the parents, deepest level first."""
    cursor.execute(f"SELECT MAX(depth) FROM {OWN}")
    deepest = cursor.fetchone()[0] or 0
    for depth in range(deepest, 1, -1):
        _execute(
            cursor,
            f"""
            INSERT INTO {OWN} (org_id, depth, path, month, type_id, s, p, e, h)
            SELECT o.id, o.depth, o.path, x.month, x.type_id, x.s, x.p, x.e, x.h
            FROM (
                SELECT substr(path, 1, %s) AS parent, month, type_id,
                       SUM(s) AS s, SUM(p) AS p, SUM(e) AS e, SUM(h) AS h
                FROM {OWN} WHERE depth = %s
                GROUP BY substr(path, 1, %s), month, type_id
            ) x
            JOIN {ORG} o ON o.path = x.parent
            """,
            [(depth - 1) * PATH_STEP, depth, (depth - 1) * PATH_STEP],
        )


def _store_counts(cursor, sign: int, fresh: bool = False) -> int:
    """Step 3: add (or subtract) the subtree totals to the monthly counter rows and the
    yearly ones; returns the monthly rows written."""
    names = ("sessions", "participants", "elder_times", "hours")
    written = 0
    for table, period, value in (
        (COUNTER, "month", "month"),
        (YEARS, "year", _year_sql("month")),
    ):
        upsert = ""
        if not fresh:
            upsert = f"ON CONFLICT (organization_id, {period}, type_id) DO UPDATE SET " + (
                ", ".join(f"{n} = {table}.{n} + excluded.{n}" for n in names)
            )
        rows = _execute(
            cursor,
            f"""
            INSERT INTO {table} (organization_id, {period}, type_id, {", ".join(names)})
            SELECT org_id, {value}, type_id, %s * SUM(s), %s * SUM(p), %s * SUM(e), %s * SUM(h)
            FROM {OWN} WHERE true
            GROUP BY org_id, {value}, type_id
            {upsert}
            """,
            [sign] * 4,
        )
        if table == COUNTER:
            written = rows
        if sign < 0:
            _execute(
                cursor,
                f"DELETE FROM {table} WHERE sessions = 0 "
                f"AND organization_id IN (SELECT DISTINCT org_id FROM {OWN})",
            )
    return written


def _touched_sets(cursor, ids_sql: str, params: list) -> dict[datetime.date, set[str]]:
    """(month → paths of the organisations) whose activities in the batch name elders."""
    month = _month_sql("a.date")
    cursor.execute(
        f"""
        SELECT DISTINCT {month}, o.path
        FROM {ACTIVITY} a JOIN {ORG} o ON o.id = a.organization_id
        WHERE a.id IN ({ids_sql})
          AND EXISTS (SELECT 1 FROM {LINK} l WHERE l.activity_id = a.id)
        """,
        params,
    )
    touched: dict[datetime.date, set[str]] = defaultdict(set)
    for month_value, path in cursor.fetchall():
        touched[as_date(month_value)].add(path)
    return touched


def _move_hours(cursor, ids_sql: str, params: list, sign: int) -> None:
    """Step 5: the elders' running totals of service hours."""
    _execute(
        cursor,
        f"""
        UPDATE {ELDER} SET service_hours = {ELDER}.service_hours + %s * x.h
        FROM (
            SELECT elder_id, SUM(hours) AS h FROM {LINK}
            WHERE activity_id IN ({ids_sql}) GROUP BY elder_id
        ) x
        WHERE {ELDER}.id = x.elder_id
        """,
        [sign, *params],
    )


def _count(activities: QuerySet) -> int:
    return activities.order_by().count()


@transaction.atomic
def add(activities: QuerySet) -> Result:
    """Count ``activities`` (already in the ledger, with their elder rows) into the counters,
    the engaged-elder sets and the elders' service hours."""
    result = Result(activities=_count(activities))
    if not result.activities:
        return result
    ids_sql, params = _selection(activities)
    with connection.cursor() as cursor:
        _own_counts(cursor, ids_sql, params)
        _roll_up(cursor)
        result.counter_rows = _store_counts(cursor, +1)
        _execute(cursor, f"DROP TABLE {OWN}")
        daily.store_counts(cursor, ids_sql, params, +1)
        touched = _touched_sets(cursor, ids_sql, params)
        touched_days = daily.touched(cursor, ids_sql, params)
        _move_hours(cursor, ids_sql, params, +1)
    result.sets = engaged_sets.refresh(touched)
    daily.refresh_sets(touched_days)
    return result


@transaction.atomic
def remove(activities: QuerySet) -> Result:
    """Take ``activities`` out of the counters, the sets and the elders' hours, and delete them
    with their elder, team, young-people and co-organiser rows and attachments."""
    result = Result(activities=_count(activities))
    if not result.activities:
        return result
    ids = list(activities.order_by().values_list("pk", flat=True))
    ids_sql, params = _selection(activities)
    with connection.cursor() as cursor:
        _own_counts(cursor, ids_sql, params)
        _roll_up(cursor)
        result.counter_rows = _store_counts(cursor, -1)
        _execute(cursor, f"DROP TABLE {OWN}")
        daily.store_counts(cursor, ids_sql, params, -1)
        touched = _touched_sets(cursor, ids_sql, params)
        touched_days = daily.touched(cursor, ids_sql, params)
        _move_hours(cursor, ids_sql, params, -1)
    for attachment in ActivityAttachment.objects.filter(activity_id__in=ids).iterator():
        delete_on_commit(attachment.file)
    for start in range(0, len(ids), engaged_sets.BATCH):
        chunk = ids[start : start + engaged_sets.BATCH]
        for model in (
            ActivityAttachment,
            ActivityElder,
            Activity.teams.through,
            Activity.youths.through,
            Activity.co_organizers.through,
        ):
            qs = model._base_manager.filter(activity_id__in=chunk)
            qs._raw_delete(qs.db)
        qs = Activity._base_manager.filter(pk__in=chunk)
        qs._raw_delete(qs.db)
    result.sets = engaged_sets.refresh(touched)
    daily.refresh_sets(touched_days)
    return result


@transaction.atomic
def rebuild() -> tuple[int, int]:
    """Recompute the counters, the engaged-elder sets and the elders' service hours from the
    whole ledger, in SQL (``rollup.rebuild`` does the same in Python, for small ledgers).
    Returns the numbers of counter rows and sets."""
    with connection.cursor() as cursor:
        _execute(cursor, f"DELETE FROM {COUNTER}")
        _execute(cursor, f"DELETE FROM {YEARS}")
        _execute(cursor, f"DELETE FROM {SETS}")
        _own_counts(cursor, "", [])
        _roll_up(cursor)
        counters = _store_counts(cursor, +1, fresh=True)
        _execute(cursor, f"DROP TABLE {OWN}")
        _execute(cursor, f"UPDATE {ELDER} SET service_hours = 0 WHERE service_hours <> 0")
        _execute(
            cursor,
            f"""
            UPDATE {ELDER} SET service_hours = x.h
            FROM (SELECT elder_id, SUM(hours) AS h FROM {LINK} GROUP BY elder_id) x
            WHERE {ELDER}.id = x.elder_id
            """,
        )
        month = _month_sql("date")
        cursor.execute(f"SELECT DISTINCT {month} FROM {ACTIVITY}")
        months = sorted(as_date(row[0]) for row in cursor.fetchall())
    ids = dict(Organization.objects.values_list("path", "pk"))
    sets = 0
    with connection.cursor() as cursor:
        for month in months:
            sets += engaged_sets.rebuild_month(cursor, month, ids)
    daily.rebuild()
    return counters, sets
