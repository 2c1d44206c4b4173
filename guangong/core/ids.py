"""Record ids that arrive as text (query strings, form posts, API bodies).

Ids are 64-bit integers in both databases. A larger number (``?keep=…&x=18446744073709551616``)
must read as "no such record", never reach a query: SQLite refuses to bind it
(``OverflowError``) and PostgreSQL may refuse to compare it. ``parse_id`` is the one place that
turns such text into an id.
"""

import re
from collections.abc import Iterable

#: The largest id a BigAutoField (PostgreSQL bigint, SQLite INTEGER) holds.
MAX_ID = 2**63 - 1
#: At most as many ASCII digits as MAX_ID has (``\d`` would accept other scripts' digits).
ID_PATTERN = r"[0-9]{1,19}"
_ID = re.compile(ID_PATTERN)


def parse_id(value) -> int | None:
    """The id ``value`` names (an int, or text of ASCII digits), or None: empty, negative, zero,
    not a number, or beyond ``MAX_ID``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def parse_ids(values: Iterable, limit: int | None = None) -> list[int]:
    """The ids among ``values`` (what is no id is left out), in order, without repeats, at most
    ``limit`` of them."""
    out: list[int] = []
    seen: set[int] = set()
    for value in values:
        number = parse_id(value)
        if number is not None and number not in seen:
            seen.add(number)
            out.append(number)
            if limit is not None and len(out) >= limit:
                break
    return out


def is_integer_key(queryset) -> bool:
    """Whether the queryset's model is keyed by an integer (not a UUID, say)."""
    from django.db import models

    return isinstance(queryset.model._meta.pk, models.IntegerField)
