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

FORMAT = 2


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
    reads the file again). Rows are lists of values in the order of ``fields`` (every row of
    a parse has the same fields), so that decoding calls back only for dates."""
    fields = list(result.rows[0].values) if result.rows else []
    head = {
        "format": FORMAT,
        "fingerprint": fingerprint(importer, result.source),
        "sheet": result.sheet,
        "header_row": result.header_row,
        "positions": result.positions,
        "fields": fields,
    }
    rows = []
    for row in result.rows:
        if list(row.values) != fields:
            return None
        rows.append([row.number, *row.values.values()])
    try:
        text = json.dumps([head, rows], default=_encode, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return zlib.compress(text.encode(), 1)


def load(importer: Importer, kept: bytes, source: bytes) -> ParseResult | None:
    """The parse of ``source`` as kept by ``dump``; None if it no longer fits (another file,
    changed choices, another format)."""
    try:
        head, rows = json.loads(zlib.decompress(kept), object_hook=_decode)
        if head.get("format") != FORMAT or head.get("fingerprint") != fingerprint(importer, source):
            return None
        fields = head["fields"]
        parsed = [Row(number, dict(zip(fields, values, strict=True))) for number, *values in rows]
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError):
        return None
    return ParseResult(
        rows=parsed,
        sheet=head["sheet"],
        header_row=head["header_row"],
        positions=head["positions"],
        source=source,
    )
