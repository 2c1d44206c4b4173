"""Spreadsheet export shared by every list page.

Cells that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab or
carriage return) are prefixed with an apostrophe, so opening an export never runs anything.
"""

import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, Promise):  # a lazily translated label, e.g. a TextChoices label
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def build_xlsx(
    title: str, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()
) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Sheet1")
    for i, header in enumerate(headers, start=1):
        width = widths[i - 1] if i - 1 < len(widths) else max(10, min(40, len(str(header)) * 3))
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=safe_cell(str(header)))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f"attachment; filename=export-{stamp}.xlsx; "
        f"filename*=UTF-8''{quote(f'{filename}-{stamp}.xlsx')}"
    )
    return response
