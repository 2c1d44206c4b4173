"""Helpers for import tests: spreadsheets built and read in memory."""

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook, load_workbook


def make_xlsx(rows: Iterable[Sequence], title: str = "Sheet1") -> bytes:
    """An .xlsx whose first sheet holds ``rows`` (header first), written in streaming mode."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes, sheet: int | str = 0) -> list[tuple]:
    """The rows of a sheet of an .xlsx, as values."""
    wb = load_workbook(io.BytesIO(content), read_only=True)
    ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
    rows = [tuple(row) for row in ws.iter_rows(values_only=True)]
    wb.close()
    return rows
