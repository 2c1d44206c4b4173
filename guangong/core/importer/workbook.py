"""Writing the .xlsx files of an import: the blank template and the error file."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import TEXT_KINDS, Column, in_every_language, normalize_header
from .results import CellError, ParseResult

if TYPE_CHECKING:
    from .base import Importer

EXCEL_MAX_ROW = 1_048_576
INLINE_LIST_MAX = 250  # Excel refuses a drop-down list written inline beyond 255 characters
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
REQUIRED_FONT = Font(bold=True, color="B3261E")
HEADER_FONT = Font(bold=True)
#: The header of the error column added to error files.
ERRORS_HEADER = gettext_lazy("Errors")


def sheet_title(text: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "", str(text)).strip()
    return cleaned[:31] or "Sheet1"


def template(importer: Importer) -> bytes:
    """The blank sheet: headers, notes, text/date formats, drop-downs and a help sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(importer.get_title())
    choices_ws = None
    for index, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=str(column.header))
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(_header_note(importer, column), "Guangong", width=260, height=120)
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width or max(12, len(str(column.header)) * 2 + 4)
        if column.kind in TEXT_KINDS:
            dimension.number_format = "@"  # Excel keeps 654002001000 and leading zeros as typed
        elif column.kind == "date":
            dimension.number_format = "yyyy-mm-dd"
        if column.kind != "choice":
            continue
        labels = [str(label) for label in column.choices()]
        inline = ",".join(labels)
        if (
            len(inline) <= INLINE_LIST_MAX
            and '"' not in inline
            and inline.count(",") == len(labels) - 1
        ):
            formula = f'"{inline}"'
        else:  # a long list goes on a hidden sheet
            if choices_ws is None:
                choices_ws = wb.create_sheet(sheet_title(_("Choices")))
                choices_ws.sheet_state = "hidden"
            for row, label in enumerate(labels, start=1):
                choices_ws.cell(row=row, column=index, value=label)
            formula = f"'{choices_ws.title}'!${letter}$1:${letter}${max(1, len(labels))}"
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=str(column.header),
            error=_("Choose a value from the list."),
        )
        validation.add(f"{letter}2:{letter}{EXCEL_MAX_ROW}")
        ws.add_data_validation(validation)
    ws.freeze_panes = "A2"
    _help_sheet(importer, wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _header_note(importer: Importer, column: Column) -> str:
    lines = [_("Required") if column.required else _("Optional"), importer.format_label(column)]
    if column.help:
        lines.append(str(column.help))
    if column.example:
        lines.append(_("Example: %(example)s") % {"example": column.example})
    return "\n".join(lines)


def _help_sheet(importer: Importer, wb: Workbook) -> None:
    ws = wb.create_sheet(sheet_title(_("Instructions")), 1)
    ws.append([_("How to fill in the sheet “%(sheet)s”") % {"sheet": importer.get_title()}])
    ws["A1"].font = Font(bold=True, size=14)
    for line in [*importer.general_notes(), *(str(note) for note in importer.notes)]:
        ws.append([line])
    ws.append([])
    ws.append([_("Column"), _("Required"), _("Format"), _("Explanation"), _("Example")])
    for cell in ws[ws.max_row]:
        cell.font = HEADER_FONT
    for line in importer.column_help():
        required = _("Yes") if line["required"] else ""
        ws.append([line["header"], required, line["format"], line["help"], line["example"]])
    for letter, width in zip("ABCDE", (26, 8, 22, 60, 24), strict=True):
        ws.column_dimensions[letter].width = width


def error_file(importer: Importer, result: ParseResult) -> bytes:
    """The uploaded sheet again with bad cells highlighted and an error column at the end
    (warnings too, each marked 警告).

    Rows keep their numbers, so the list on screen and the file agree. Rows below the last
    one read are left out. An error column already
    in the upload (a corrected error file) is replaced, and the column is ignored on upload.
    """
    by_row: dict[int, list[CellError]] = {}
    for error in result.errors:
        by_row.setdefault(error.row, []).append(error)
    for warning in result.warnings:  # marked as such: they do not block a confirmed import
        message = _("Warning: %(message)s") % {"message": warning.message}
        by_row.setdefault(warning.row, []).append(CellError(warning.row, warning.column, message))
    out = Workbook(write_only=True)
    ws = out.create_sheet(sheet_title(result.sheet or importer.get_title()))
    if result.header_row:
        ws.freeze_panes = f"A{result.header_row + 1}"
    bad_index = {index: importer.header_for(name) for name, index in result.positions.items()}
    source = None
    try:
        if result.sheet:
            source = load_workbook(io.BytesIO(result.source), read_only=True, data_only=True)
            sheet = source[result.sheet]
            header = next(
                sheet.iter_rows(
                    min_row=result.header_row, max_row=result.header_row, values_only=True
                ),
                (),
            )
            names = error_header_names()
            keep = [
                i
                for i, v in enumerate(header)
                if not (v is not None and normalize_header(v) in names)
            ]
            # Up to the last row read: the empty rows a sheet may hold below (or a stray row
            # far below, which the parse refused) are not written out.
            last = max([result.header_row, *by_row, *(row.number for row in result.rows)])
            rows = sheet.iter_rows(max_row=last, values_only=True)
            for number, raw in enumerate(rows, start=1):
                cells = [(i, raw[i] if i < len(raw) else None) for i in keep]
                ws.append(_row(ws, number, cells, by_row.get(number), bad_index, result))
        if not result.sheet or 0 in by_row:  # problems with the file itself, on their own row
            ws.append([_error_text(by_row.get(0, []))])
    finally:
        if source is not None:
            source.close()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def error_header_names() -> set[str]:
    return in_every_language(ERRORS_HEADER)


def _row(ws, number, cells, errors, bad_index, result) -> list:
    """One output row from (column index in the upload, value) pairs."""
    if number == result.header_row:
        out = [_cell(ws, v, font=HEADER_FONT) for _i, v in cells]
        return [*out, _cell(ws, str(ERRORS_HEADER), font=REQUIRED_FONT)]
    if errors:
        bad = {e.column for e in errors}
        out = [_cell(ws, v, fill=bad_index.get(i) in bad) for i, v in cells]
        return [*out, _cell(ws, _error_text(errors), fill=True)]
    return [_cell(ws, v) if isinstance(v, str) and v.startswith("=") else v for _i, v in cells]


def _cell(ws, value, fill: bool = False, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if cell.data_type == "f":  # text that looks like a formula stays text
        cell.data_type = "s"
    if fill:
        cell.fill = ERROR_FILL
    if font is not None:
        cell.font = font
    return cell


def _error_text(errors: list[CellError]) -> str:
    return "；".join(f"{e.column}：{e.message}" if e.column else e.message for e in errors)
