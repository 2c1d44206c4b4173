"""What the people imports look up for a whole file at once: the file's ID numbers already
registered, and the records sharing a name and birth date with one of its rows — anywhere in
the tree, each with where it is registered, so that the check names a match inside the user's
scope and says only “outside your scope” of the others (``people.dupcheck``).

Never one query per row: ID numbers by blind index in chunks (``id_number_hash__any_of``);
names and birth dates on PostgreSQL in one query joining the file's pairs as two array
parameters (``unnest``) on the (name, birth date) index, elsewhere in chunks of pairs close in
birth date, so that each query's name × date product stays small.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from guangong.core import bulkinsert
from guangong.core.importer import Row
from guangong.core.lookups import array_literal, chunk_size
from guangong.orgs.models import Organization

from .import_common import chunks


class Match(NamedTuple):
    """A current record a row matched: its key, blind index and owning organisation."""

    pk: int
    id_hash: str
    org_name: str
    org_path: str


def registered_ids(model, hashes: Iterable[str]) -> dict[str, Match]:
    """The current record holding each of ``hashes`` (blind indexes), by hash."""
    found: dict[str, Match] = {}
    current = model.objects.current().order_by()
    for chunk in chunks(set(hashes), chunk_size()):
        rows = current.filter(id_number_hash__any_of=chunk).values_list(
            "pk", "id_number_hash", "organization__name", "organization__path"
        )
        found.update((row[1], Match(*row)) for row in rows)
    return found


def same_name_and_birth(model, pairs: set[tuple]) -> dict[tuple, list[Match]]:
    """Current records sharing a name and birth date with one of ``pairs``, by pair."""
    found: dict[tuple, list[Match]] = {}
    if not pairs:
        return found
    connection = bulkinsert.connection_for(model)
    if connection.vendor == "postgresql":
        matches = _pairs_on_postgresql(model, connection, pairs)
    else:
        matches = _pairs_in_chunks(model, pairs)
    for name, birth, *match in matches:
        if (name, birth) in pairs:
            found.setdefault((name, birth), []).append(Match(*match))
    for matched in found.values():
        matched.sort()
    return found


def _pairs_in_chunks(model, pairs: set[tuple]):
    current = model.objects.current().order_by()
    for chunk in chunks(sorted(pairs, key=lambda pair: (pair[1], pair[0]))):
        names = {name for name, _birth in chunk}
        births = {birth for _name, birth in chunk}
        yield from current.filter(name__in=names, birth_date__in=births).values_list(
            "name",
            "birth_date",
            "pk",
            "id_number_hash",
            "organization__name",
            "organization__path",
        )


def _pairs_on_postgresql(model, connection, pairs: set[tuple]) -> list[tuple]:
    """(name, birth date, pk, hash, organisation name and path) of current ``model`` records
    whose name and birth date form one of ``pairs``: the pairs travel as two array
    parameters."""
    quote = connection.ops.quote_name
    meta, org_meta = model._meta, Organization._meta
    p = {name: "p." + quote(meta.get_field(name).column) for name in (
        "name", "birth_date", "id_number_hash", "organization", "merged_into"
    )}  # fmt: skip
    p_pk = "p." + quote(meta.pk.column)
    people, orgs = quote(meta.db_table), quote(org_meta.db_table)
    o = {name: "o." + quote(org_meta.get_field(name).column) for name in ("name", "path")}
    org_pk = "o." + quote(org_meta.pk.column)
    # Quoted names only; the values are bound.
    sql = (
        f"SELECT {p['name']}, {p['birth_date']}, {p_pk}, {p['id_number_hash']}, "  # noqa: S608
        f"{o['name']}, {o['path']} "
        f"FROM {people} p JOIN unnest(%s::text[], %s::date[]) AS pair(name, birth) "
        f"ON {p['name']} = pair.name AND {p['birth_date']} = pair.birth "
        f"JOIN {orgs} o ON {org_pk} = {p['organization']} WHERE {p['merged_into']} IS NULL"
    )
    names, births = zip(*pairs, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, [array_literal(names), array_literal(births)])
        return cursor.fetchall()


def name_and_birth(row: Row) -> tuple[str, object] | None:
    """A row's name and birth date (given, or read from its ID number), if both are known."""
    values = row.values
    name = values.get("name")
    if not name or "name" in row.failed:
        return None
    birth = values.get("birth_date") if "birth_date" not in row.failed else None
    value = values.get("id_number")
    if not birth and value and "id_number" not in row.failed:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    return (name, birth) if birth else None
