"""The preview of a check: its first rows as they will be saved, sensitive cells masked.

A job keeps the preview in its summary. Cells of sensitive columns (``Column.sensitive``: ID
numbers and phones by default) are kept masked; their clear values are sealed with the field
key (``core.crypto``), so that the job's row holds no clear ID number, and are shown only to
viewers who may reveal them. The sealed values go with the upload (``jobs.runner``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from guangong.core import crypto

from .columns import in_every_language, normalize_header
from .results import ParseResult

if TYPE_CHECKING:
    from .base import Importer

#: The key of a kept preview holding its sealed clear values.
SEALED = "sealed"


def build(importer: Importer, result: ParseResult, limit: int = 20) -> dict:
    """Headers, fields and the first ``limit`` rows (row number first, then display values)."""
    columns = [c for c in importer.columns if c.field in result.positions]
    sensitive = [index for index, c in enumerate(columns, start=1) if c.sensitive]
    rows, clear = [], []
    for row in result.rows[:limit]:
        values = row.values
        cells = [row.number] + [importer.display(c.field, values.get(c.field)) for c in columns]
        clear.append([cells[index] for index in sensitive])
        for index in sensitive:
            cells[index] = columns[index - 1].mask(cells[index])
        rows.append(cells)
    kept = {
        "headers": [str(c.header) for c in columns],
        "fields": [c.field for c in columns],
        "rows": rows,
        "sensitive": sensitive,
    }
    if sensitive and rows:
        kept[SEALED] = crypto.encrypt(json.dumps(clear, ensure_ascii=False))
    return kept


def rows_for(importer: Importer, kept: dict, clear: bool) -> list[list]:
    """The rows of a kept preview as a viewer reads them: sensitive cells in clear only if
    ``clear`` (the viewer may reveal them) and while their sealed values are kept."""
    rows = [list(cells) for cells in kept.get("rows", ())]
    if "sensitive" not in kept:  # a preview kept in clear, before previews were masked
        return rows if clear else _mask_by_header(importer, kept.get("headers", ()), rows)
    sealed = kept.get(SEALED)
    if not clear or not sealed:
        return rows
    try:
        values = json.loads(crypto.decrypt(sealed))
    except (crypto.DecryptionError, ValueError):
        return rows
    for cells, shown in zip(rows, values, strict=False):
        for index, value in zip(kept["sensitive"], shown, strict=False):
            if index < len(cells):
                cells[index] = value
    return rows


def has_sensitive_values(kept: dict) -> bool:
    """Whether showing the preview in clear reveals anything (a sensitive cell not empty)."""
    sensitive = kept.get("sensitive")
    if sensitive is None:
        return bool(kept.get("rows"))
    return any(cells[index] for cells in kept.get("rows", ()) for index in sensitive)


def forget(kept: dict) -> dict:
    """The preview without its clear values (masked cells only)."""
    return {key: value for key, value in kept.items() if key != SEALED}


def _mask_by_header(importer: Importer, headers, rows: list[list]) -> list[list]:
    by_name = {}
    for column in importer.sensitive_columns():
        for name in in_every_language(column.header):
            by_name[name] = column
    for index, header in enumerate(headers, start=1):
        column = by_name.get(normalize_header(header))
        if column is None:
            continue
        for cells in rows:
            if index < len(cells):
                cells[index] = column.mask(cells[index])
    return rows
