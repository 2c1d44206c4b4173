"""A streaming .xlsx writer for large list exports.

openpyxl (even in write-only mode, without lxml) spends about 14 µs a cell: 65,000 elders of
eight columns take 7 s before a single query. This writer emits the sheet's XML directly into
the zip stream, a few thousand rows at a time, with inline strings (no shared-string table to
hold in memory), the header in bold and frozen, and the column widths set; about ten times
faster, in constant memory. Every value passes through ``export.safe_cell`` first (formula
neutralisation, lazy labels, local times), exactly as in ``export.build_xlsx``.
"""

import datetime
import decimal
import math
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO

from openpyxl.utils import get_column_letter

from .export import safe_cell

#: Rows written to the zip stream at once.
BATCH = 2000
#: Excel's limit on the text of a cell.
MAX_TEXT = 32_767
#: Day 0 of Excel's serial dates (times in a sheet are local and naive, ``safe_cell``).
EPOCH = datetime.datetime(1899, 12, 30)  # noqa: DTZ001

# &, < and > escaped; the control characters XML 1.0 forbids dropped.
_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_ESCAPES.update({c: None for c in range(32) if c not in (9, 10, 13)})
_ESCAPES.update({0xFFFE: None, 0xFFFF: None})

STYLE_BOLD, STYLE_DATE, STYLE_DATETIME = 1, 2, 3

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews>"
    '<sheetFormatPr defaultRowHeight="15"/>'
)


def escape(text: str) -> str:
    return text[:MAX_TEXT].translate(_ESCAPES)


def _cell(ref: str, value) -> str:
    """One cell's XML ("" for an empty one)."""
    value = safe_cell(value)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | decimal.Decimal) or (
        isinstance(value, float) and math.isfinite(value)
    ):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        serial = (value.replace(tzinfo=None) - EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{STYLE_DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        serial = (value - EPOCH.date()).days
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{serial}</v></c>'
    text = escape(str(value))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def write_xlsx(
    target: IO[bytes],
    title: str,
    headers: Sequence,
    rows: Iterable[Sequence],
    widths: Sequence[int] = (),
    on_rows: Callable[[int], None] | None = None,
) -> int:
    """Write a one-sheet workbook to ``target`` (a binary file); returns the number of rows
    below the header. ``on_rows(n)`` is called after each batch (progress)."""
    letters = [get_column_letter(i) for i in range(1, len(headers) + 1)]
    sheet_name = escape(str(title)[:31] or "Sheet1").replace('"', "&quot;")
    for char in "[]:*?/\\":
        sheet_name = sheet_name.replace(char, " ")
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK.format(name=sheet_name))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{_width(widths, i - 1, header)}" '
                'customWidth="1"/>'
                for i, header in enumerate(headers, start=1)
            )
            head = "".join(
                f'<c r="{letter}1" t="inlineStr" s="{STYLE_BOLD}"><is><t>'
                f"{escape(str(safe_cell(str(header))))}</t></is></c>"
                for letter, header in zip(letters, headers, strict=True)
            )
            sheet.write(
                f'{SHEET_HEAD}<cols>{cols}</cols><sheetData><row r="1">{head}</row>'.encode()
            )
            parts: list[str] = []
            for row in rows:
                count += 1
                number = count + 1
                cells = "".join(
                    _cell(f"{letter}{number}", value)
                    for letter, value in zip(letters, row, strict=False)
                )
                parts.append(f'<row r="{number}">{cells}</row>')
                if len(parts) == BATCH:
                    sheet.write("".join(parts).encode("utf-8", "replace"))
                    parts.clear()
                    if on_rows is not None:
                        on_rows(count)
            sheet.write(("".join(parts) + "</sheetData></worksheet>").encode("utf-8", "replace"))
    if on_rows is not None:
        on_rows(count)
    return count


def _width(widths: Sequence[int], index: int, header) -> int:
    if index < len(widths):
        return widths[index]
    return max(10, min(40, len(str(header)) * 3))
