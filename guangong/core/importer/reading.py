"""Reading a sheet: find the header row, convert every cell, keep every error.

``SheetReading`` is mixed into ``Importer``; it uses the importer's ``columns`` and
``header_for``.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

from . import xlsx
from .columns import (
    CONVERTERS,
    CellInvalid,
    choice_converter,
    in_every_language,
    length_check,
    normalize_header,
    validated,
)
from .results import CellError, ParseResult, Row

logger = logging.getLogger(__name__)

#: Progress callbacks receive (rows done, rows in all, or 0 when not known yet).
Progress = Callable[[int, int], None]


def _read_bytes(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "read"):
        if hasattr(file, "seek"):
            file.seek(0)
        return file.read()
    with open(file, "rb") as handle:
        return handle.read()


def _refused(data: bytes, exc: Exception) -> ParseResult:
    return ParseResult(source=data, file_errors=[CellError(0, "", str(exc))])


def numbered_rows(ws, min_row: int) -> Iterator[tuple[int, tuple]]:
    """(number, values) of each row a sheet holds from ``min_row`` on, in order, without the
    empty rows ``iter_rows`` makes up for the numbers the sheet skips."""
    if isinstance(ws, xlsx.Worksheet):
        return ws.numbered_rows(min_row)
    return _openpyxl_numbered_rows(ws, min_row)


def _openpyxl_numbered_rows(ws, min_row: int) -> Iterator[tuple[int, tuple]]:
    """``numbered_rows`` of an openpyxl read-only sheet, with the row parser its
    ``iter_rows`` uses (``ReadOnlyWorksheet._cells_by_row``), minus the rows it makes up."""
    book = ws.parent
    last = 0
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            if number <= last:
                continue
            last = number
            if number >= min_row:
                yield number, tuple(ws._get_row(cells, values_only=True)) if cells else ()


class SheetReading:
    """The parse half of an importer."""

    # -- parse --------------------------------------------------------------------------------

    def parse(self, file, progress: Progress | None = None) -> ParseResult:
        """Read the first sheet that carries the headers; convert every cell; keep every error.

        The sheet is read with the streaming reader (``xlsx``); a file it cannot read, or that
        fails part-way, is read again from the start with openpyxl, which also words the errors
        of files that are no workbook at all. A file past the bounds of ``xlsx.check_archive``
        or of the reader (``xlsx.TooLarge``) is refused by either, with the reason.
        """
        data = _read_bytes(file)
        try:
            book = xlsx.Workbook(io.BytesIO(data))
        except xlsx.TooLarge as exc:
            return _refused(data, exc)
        except Exception:  # noqa: BLE001 - no zip, or none the streaming reader reads
            logger.debug("Not read by the streaming reader", exc_info=True)
        else:
            result = ParseResult(source=data)
            try:
                self._parse_workbook(book, result, progress)
            except xlsx.TooLarge as exc:
                return _refused(data, exc)
            except Exception:  # noqa: BLE001 - openpyxl reads it again, or reports the damage
                logger.info("The streaming reader failed; reading with openpyxl", exc_info=True)
            else:
                return result
            finally:
                book.close()
        return self._parse_with_openpyxl(data, progress)

    def _parse_with_openpyxl(self, data: bytes, progress: Progress | None) -> ParseResult:
        result = ParseResult(source=data)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                xlsx.check_archive(archive)
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except xlsx.TooLarge as exc:
            return _refused(data, exc)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
            result.file_errors.append(
                CellError(0, "", _("This is not an Excel workbook (.xlsx). Save it as .xlsx.")),
            )
            return result
        try:
            self._parse_workbook(wb, result, progress)
        except xlsx.TooLarge as exc:
            return _refused(data, exc)
        except Exception:  # noqa: BLE001 - whatever a damaged upload makes the reader raise
            logger.warning("Unreadable workbook", exc_info=True)
            result.rows = []
            result.file_errors.append(
                CellError(0, "", _("The workbook is damaged and could not be read."))
            )
        finally:
            wb.close()
        return result

    def _header_names(self) -> dict[str, str]:
        """{normalised header in any language, or field name: field}."""
        names = {}
        for column in self.columns:
            for name in in_every_language(column.header):
                names[name] = column.field
            names[normalize_header(column.field)] = column.field
        return names

    def _find_header(self, wb, names) -> tuple[Any, int, dict[str, int], list[str]]:
        best = (None, 0, {}, [])
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            rows = ws.iter_rows(min_row=1, max_row=self.header_scan_rows, values_only=True)
            for number, values in enumerate(rows, start=1):
                positions: dict[str, int] = {}
                duplicates: list[str] = []
                for index, value in enumerate(values):
                    name = names.get(normalize_header(value)) if value is not None else None
                    if name is None:
                        continue
                    if name in positions:
                        duplicates.append(name)
                    else:
                        positions[name] = index
                if len(positions) > len(best[2]):
                    best = (ws, number, positions, duplicates)
        return best

    def _parse_workbook(self, wb, result: ParseResult, progress: Progress | None) -> None:
        ws, header_row, positions, duplicates = self._find_header(wb, self._header_names())
        if ws is None:
            result.file_errors.append(
                CellError(
                    0,
                    "",
                    _("No header row found. The first rows must hold the headers of the template.")
                    + " "
                    + _("Expected: %(headers)s.") % {"headers": "、".join(self.headers())},
                )
            )
            return
        result.sheet, result.header_row, result.positions = ws.title, header_row, positions
        for name in duplicates:
            result.file_errors.append(
                CellError(header_row, self.header_for(name), _("This column appears twice."))
            )
        for column in self.columns:
            if column.required and column.field not in positions:
                result.file_errors.append(
                    CellError(header_row, str(column.header), _("This required column is missing."))
                )
        if result.file_errors:
            return
        plan = self._plan(positions)
        absent = {c.field: c.empty for c in self.columns if c.field not in positions}
        # Rows count by their numbers: a row far below the others is refused at once, and the
        # empty rows above it are never made up.
        last = header_row + self.max_rows
        total = max(min(ws.max_row or 0, last) - header_row, 0)
        rows = result.rows
        for number, raw in numbered_rows(ws, header_row + 1):
            row = self._convert(number, raw, plan, absent)
            if row is None:
                continue
            if number > last:
                result.rows = []
                result.file_errors.append(CellError(0, "", self._too_many_rows(number)))
                return
            rows.append(row)
            if progress is not None:
                progress(number - header_row, total)

    def _too_many_rows(self, number: int) -> str:
        too_many = _("The file has more than %(max)d rows. Split it into several files.")
        beyond = _(
            "Row %(row)d holds data; delete what lies below your data if it is not to be imported."
        )
        return f"{too_many % {'max': self.max_rows}} {beyond % {'row': number}}"

    def _plan(self, positions: dict[str, int]) -> list[tuple]:
        plan = []
        for column in self.columns:
            if column.field not in positions:
                continue
            if column.kind == "choice":
                convert = choice_converter(column)
            else:
                convert = CONVERTERS[column.kind]
            limit = self._max_length(column)
            if limit:
                convert = length_check(convert, limit)
            if column.kind == "date" and self._validators(column):
                convert = validated(convert, self._validators(column))
            plan.append((positions[column.field], column, str(column.header), convert))
        return plan

    def _convert(self, number: int, raw: tuple, plan, absent: dict) -> Row | None:
        values = dict(absent)
        errors: list[CellError] = []
        failed: set[str] = set()
        blank = True
        width = len(raw)
        for index, column, header, convert in plan:
            value = raw[index] if index < width else None
            if value is None or (value.__class__ is str and not value.strip()):
                values[column.field] = column.empty
                if column.required:
                    errors.append(CellError(number, header, _("This column is required.")))
                    failed.add(column.field)
                continue
            blank = False
            try:
                values[column.field] = convert(value)
            except CellInvalid as exc:
                values[column.field] = column.empty
                errors.append(CellError(number, header, str(exc)))
                failed.add(column.field)
        if blank:
            return None
        return Row(number, values, errors, failed)
