"""Inserting many rows of prepared values: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

``bulk_create`` prepares every value of every object through its field (tens of function
calls a value), which dominates an import of 100,000 rows. Here the caller hands over tuples of
values already in the form the database driver takes, in the order of ``columns``; ``adapter``
gives, once per column, the function that brings a Python value into that form (dates become
ISO text on SQLite, for instance), and ``constant`` prepares a value shared by every row.

The caller holds the transaction. Nothing here checks permissions or writes audit records:
the services that call it do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from django.db import connections, models, router

#: Rows written between two progress reports.
CHUNK = 10_000


def identity(value):
    return value


def connection_for(model: type[models.Model]):
    return connections[router.db_for_write(model)]


def adapter(field: models.Field, connection) -> Callable:
    """A function bringing a Python value of ``field`` into the driver's form."""
    internal = field.get_internal_type()
    ops = connection.ops
    if internal == "DateField":
        return lambda value: None if value is None else ops.adapt_datefield_value(value)
    if internal == "DateTimeField":
        return lambda value: None if value is None else ops.adapt_datetimefield_value(value)
    if internal == "DecimalField":
        return lambda value: (
            None
            if value is None
            else ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
        )
    if internal == "JSONField":
        encoder = field.encoder

        def dump(value):
            return None if value is None else json.dumps(value, cls=encoder)

        return dump
    if internal == "GenericIPAddressField":
        return lambda value: value or None
    return identity


def constant(field: models.Field, value, connection):
    """``value`` of ``field`` prepared once, for a column every row shares."""
    return adapter(field, connection)(value)


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[tuple],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert ``rows`` (tuples in the driver's form, aligned with the column names
    ``columns``) into ``model``'s table; returns how many."""
    connection = connection_for(model)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    done = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
                    done += 1
                    if progress is not None and not done % CHUNK:
                        progress(done)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - quoted names
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) == CHUNK:
                    cursor.executemany(sql, batch)
                    done += len(batch)
                    batch = []
                    if progress is not None:
                        progress(done)
            if batch:
                cursor.executemany(sql, batch)
                done += len(batch)
    if progress is not None:
        progress(done)
    return done


def ids_where(model: type[models.Model], column: str, value) -> list[int]:
    """Primary keys of the rows whose ``column`` equals ``value``, in the order inserted
    (ascending keys: one session's inserts draw increasing values from the sequence)."""
    connection = connection_for(model)
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    table = quote(model._meta.db_table)
    where = quote(column)
    sql = f"SELECT {pk} FROM {table} WHERE {where} = %s ORDER BY {pk}"  # noqa: S608 - quoted names
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        return [row[0] for row in cursor.fetchall()]
