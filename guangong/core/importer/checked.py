"""Keeping the converted rows of a check for the commit that follows it.

Reading and converting a sheet costs more than checking its rows. A clean check keeps what
``parse`` produced (before ``validate``) as compressed JSON, with a fingerprint of what the
conversion depended on: the file's bytes, the importer and the choices of its choice columns
(dictionary items may be renamed or retired in between). The commit loads them instead of
reading the file again when the fingerprint still matches, then checks every row again
(``validate``: scope, duplicates, ID numbers registered meanwhile), as it would after a parse.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import zlib
from typing import TYPE_CHECKING

from .columns import choice_lookup
from .results import ParseResult, Row

if TYPE_CHECKING:
    from .base import Importer

FORMAT = 1


def fingerprint(importer: Importer, source: bytes) -> str:
    """What the converted rows of ``source`` depend on, as a hex digest."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}:{importer.label()}:".encode())
    digest.update(hashlib.sha256(source).digest())
    for column in importer.columns:
        if column.kind != "choice":
            continue
        lookup, labels = choice_lookup(column)
        state = [column.field, sorted((key, repr(value)) for key, value in lookup.items()), labels]
        digest.update(json.dumps(state, ensure_ascii=False).encode())
    return digest.hexdigest()


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    raise TypeError(f"{type(value).__name__} is not kept")


def _decode(data: dict):
    if len(data) == 1:
        if "$date" in data:
            return datetime.date.fromisoformat(data["$date"])
        if "$datetime" in data:
            return datetime.datetime.fromisoformat(data["$datetime"])
        if "$decimal" in data:
            return decimal.Decimal(data["$decimal"])
    return data


def dump(importer: Importer, result: ParseResult) -> bytes | None:
    """The converted rows of a parse, or None when a value cannot be kept (the commit then
    reads the file again)."""
    head = {
        "format": FORMAT,
        "fingerprint": fingerprint(importer, result.source),
        "sheet": result.sheet,
        "header_row": result.header_row,
        "positions": result.positions,
    }
    try:
        text = json.dumps(
            [head, [[row.number, row.values] for row in result.rows]],
            default=_encode,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    except (TypeError, ValueError):
        return None
    return zlib.compress(text.encode(), 1)


def load(importer: Importer, kept: bytes, source: bytes) -> ParseResult | None:
    """The parse of ``source`` as kept by ``dump``; None if it no longer fits (another file,
    changed choices, another format)."""
    try:
        head, rows = json.loads(zlib.decompress(kept), object_hook=_decode)
    except (zlib.error, ValueError, TypeError):
        return None
    if head.get("format") != FORMAT or head.get("fingerprint") != fingerprint(importer, source):
        return None
    return ParseResult(
        rows=[Row(number, values) for number, values in rows],
        sheet=head["sheet"],
        header_row=head["header_row"],
        positions=head["positions"],
        source=source,
    )
