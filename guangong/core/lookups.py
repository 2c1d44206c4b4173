"""``field__any_of=[…]``: membership in a long list in one query.

``__in`` binds one parameter per value; for the tens of thousands of values of an import
that means hundreds of chunked queries. On PostgreSQL ``any_of`` binds the whole list as one
array parameter (``= ANY(%s::text[])``); elsewhere it is the usual ``IN (…)``, so callers
keep chunking there (``chunk_size``).

The array travels as the text of an array literal (``array_literal``): the driver's list
adapter looks up a dumper for every element, which for 100,000 values costs more than the
query.
"""

import datetime
from collections.abc import Iterable

from django.db import connection
from django.db.models import CharField, Lookup


def array_literal(values: Iterable) -> str:
    """A PostgreSQL array literal of text or dates (``None`` is NULL): every element quoted,
    so commas, braces, quotes and backslashes in a value keep their meaning."""
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
            continue
        text = value.isoformat() if isinstance(value, datetime.date) else str(value)
        parts.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(parts) + "}"


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", list(value))

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::text[])", [*lhs_params, array_literal(values)]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


CharField.register_lookup(AnyOf)


def chunk_size(default: int = 500) -> int | None:
    """How many values to look up per query: all at once on PostgreSQL."""
    return 1_000_000 if connection.vendor == "postgresql" else default
