"""The statements ``rollup.replace`` writes with: one per table for all of an organisation's
ancestors at once, so that recording an activity costs a handful of round trips whatever the
depth of the tree.

- ``add_counts``: INSERT … SELECT the ancestors … ON CONFLICT DO UPDATE adding to the counters
  (the monthly rows, the yearly ones, and the daily ones of the ancestors near the top);
- ``claim_sets``: the same upsert creating the missing engaged-elder rows, whose no-op update
  locks every row (waiting for a concurrent writer of it) and RETURNs its latest bits;
- ``update_by_id``: one UPDATE … CASE id giving (or adding) each row its own value (the
  engaged-elder sets' bits, ``add_service_hours``).

PostgreSQL and SQLite (3.35 or later for RETURNING; ``upsert_returns_rows``) run the same SQL.
"""

# ruff: noqa: S608  (table and column names come from the models; every value is a parameter)
from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection

from guangong.core.scope import ancestor_paths
from guangong.orgs.models import Organization
from guangong.people.models import Elder

from .models import (
    DAILY_DEPTH,
    ActivityDay,
    ActivityMonth,
    ActivityYear,
    EngagedElders,
)

MONTH_TABLE = ActivityMonth._meta.db_table
YEAR_TABLE = ActivityYear._meta.db_table
DAY_TABLE = ActivityDay._meta.db_table
SETS_TABLE = EngagedElders._meta.db_table
ORG_TABLE = Organization._meta.db_table
COUNTERS = ("sessions", "participants", "elder_times", "hours")


def ancestors_of(path: str, max_depth: int | None = None) -> tuple[str, list[str]]:
    """SQL selecting the ancestors of ``path`` (itself included), root first, as ``o``; and
    its parameters. ``max_depth``: only those at most that deep (the daily rows')."""
    paths = ancestor_paths(path)
    if max_depth is not None:
        paths = paths[:max_depth]
    marks = ", ".join(["%s"] * len(paths))
    return f"FROM {ORG_TABLE} o WHERE o.path IN ({marks}) ORDER BY o.path", paths


def typed(sql_type: str) -> str:
    """A query parameter typed for PostgreSQL (an INSERT … SELECT list infers no types);
    SQLite stores the adapted value as it comes (its CAST would change a date's text)."""
    return f"CAST(%s AS {sql_type})" if connection.vendor == "postgresql" else "%s"


def add_counts(
    path: str, month: datetime.date, type_id: int, deltas: tuple, day: datetime.date | None = None
) -> set[str]:
    """Add ``deltas`` (sessions, participants, elder attendances, hours) to the (month, type)
    and the (year, type) counter rows of every ancestor of ``path`` and, given the ``day``, to
    the (day, type) rows of the ancestors of depth at most ``DAILY_DEPTH``, creating the rows
    missing: one statement per table. Returns the tables where a row was left with no session
    (every table written, where the database cannot return an upsert's rows)."""
    ops = connection.ops
    sessions, participants, elder_times, hours = deltas
    numbers = ", ".join(typed(t) for t in ("bigint", "integer", "bigint", "integer", "numeric"))
    values = [
        type_id,
        sessions,
        participants,
        elder_times,
        ops.adapt_decimalfield_value(Decimal(hours), 14, 1),
    ]
    tables = [
        (MONTH_TABLE, "month", typed("date"), ops.adapt_datefield_value(month), None),
        (YEAR_TABLE, "year", typed("smallint"), month.year, None),
    ]
    if day is not None:
        tables.append(
            (DAY_TABLE, "date", typed("date"), ops.adapt_datefield_value(day), DAILY_DEPTH)
        )
    returning = " RETURNING sessions" if upsert_returns_rows() else ""
    emptied = set()
    with connection.cursor() as cursor:
        for table, period, mark, value, depth in tables:
            source, paths = ancestors_of(path, depth)
            added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
            cursor.execute(
                f"INSERT INTO {table} (organization_id, {period}, type_id, {', '.join(COUNTERS)}) "
                f"SELECT o.id, {mark}, {numbers} {source} "
                f"ON CONFLICT (organization_id, {period}, type_id) DO UPDATE SET {added}"
                + returning,
                [value, *values, *paths],
            )
            if not returning or any(row[0] == 0 for row in cursor.fetchall()):
                emptied.add(table)
    return emptied


def upsert_returns_rows() -> bool:
    """Whether an INSERT … ON CONFLICT DO UPDATE can return rows (not SQLite before 3.35)."""
    return connection.features.can_return_columns_from_insert


def claim_sets(path: str, when: datetime.date, model=EngagedElders, max_depth=None) -> list:
    """The engaged-elder rows of the ancestors of ``path`` (of depth at most ``max_depth``) for
    ``when`` (the month's first day in ``EngagedElders``, the day in ``EngagedEldersDay``),
    created empty where missing, locked until the transaction ends, with their latest bits
    (needs ``upsert_returns_rows``)."""
    source, paths = ancestors_of(path, max_depth)
    table, column = model._meta.db_table, model.period_field
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organization_id, {column}, bits) "
            f"SELECT o.id, {typed('date')}, {typed('bytea')} {source} "
            f"ON CONFLICT (organization_id, {column}) DO UPDATE SET bits = {table}.bits "
            "RETURNING id, organization_id, bits",
            [connection.ops.adapt_datefield_value(when), b"", *paths],
        )
        return [
            model(pk=pk, organization_id=org_id, bits=bits, **{column: when})
            for pk, org_id, bits in cursor.fetchall()
        ]


def update_by_id(table: str, column: str, sql_type: str, values: dict, add=False) -> None:
    """Give each row of ``table`` named in ``values`` (id → value) its value in ``column``, or
    add it to the column's (``add``): one UPDATE for all of them, rows in id order."""
    if not values:
        return
    cases = " ".join([f"WHEN %s THEN {typed(sql_type)}"] * len(values))
    new = f"{column} + CASE id {cases} END" if add else f"CASE id {cases} END"
    marks = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = {new} WHERE id IN ({marks})",
            [*(item for pair in sorted(values.items()) for item in pair), *sorted(values)],
        )


def add_service_hours(deltas: dict[int, Decimal]) -> None:
    """Add to each elder's running total of service hours its change (elder id → hours)."""
    adapt = connection.ops.adapt_decimalfield_value
    column = Elder._meta.get_field("service_hours").column
    changes = {pk: adapt(delta) for pk, delta in deltas.items()}
    update_by_id(Elder._meta.db_table, column, "numeric", changes, add=True)
