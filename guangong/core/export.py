"""Spreadsheet export shared by every list page.

Cells that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab or
carriage return) are prefixed with an apostrophe, so opening an export never runs anything.
"""

import datetime
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
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


#: One sheet of a workbook: its title, headers and rows.
Sheet = tuple[str, Sequence[str], Iterable[Sequence]]


def build_xlsx(
    title: str, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()
) -> bytes:
    return build_workbook([(title, headers, rows)], widths)


def build_workbook(sheets: Sequence[Sheet], widths: Sequence[int] = ()) -> bytes:
    """An .xlsx with one sheet per (title, headers, rows): bold frozen headers, columns as wide
    as ``widths`` says or their header needs."""
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=str(title)[:31] or "Sheet1")
        for i, header in enumerate(headers, start=1):
            default = max(10, min(40, len(str(header)) * 3))
            ws.column_dimensions[get_column_letter(i)].width = (
                widths[i - 1] if i - 1 < len(widths) else default
            )
        ws.freeze_panes = "A2"
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


# --- Lists too long for a web request: written by a background job ------------------------

#: Starts the background export of the list page answering a request and returns the job (it
#: has ``get_absolute_url``); jobs/apps.py registers it. Core names no domain app itself.
_background_export: Callable | None = None


def set_background_export(runner: Callable) -> None:
    """Register ``runner(request, title) -> job``, the background writer of long exports."""
    global _background_export
    _background_export = runner


def start_background_export(request, title: str):
    """Hand the export of the list page answering ``request`` to the registered runner."""
    if _background_export is None:
        raise ImproperlyConfigured(
            "No background export is registered: a list above EXPORT_SYNC_MAX_ROWS cannot be "
            "exported (install guangong.jobs)."
        )
    return _background_export(request, title)


# --- Large lists: columns read straight from the database -----------------------------------


@dataclass(frozen=True)
class Field:
    """One column of a list export read with ``values_list``: ``lookup`` is the value's path
    from the listed model, ``convert`` turns it into the cell the page shows (a label, a
    masked phone). With ``many``, ``lookup`` crosses a many-to-many relation and the cell
    joins its values with 、 in the related model's order."""

    header: str | Promise
    lookup: str
    convert: Callable[[Any], Any] | None = None
    many: bool = False


def _many_values(queryset, field: Field, pks: list) -> dict:
    relation, _, attribute = field.lookup.partition("__")
    related = queryset.model._meta.get_field(relation).related_model
    ordering = [f"{relation}__{name}" for name in related._meta.ordering or ["pk"]]
    rows = (
        queryset.model._default_manager.filter(pk__in=pks, **{f"{field.lookup}__isnull": False})
        .order_by("pk", *ordering)
        .values_list("pk", field.lookup)
    )
    joined: dict = {}
    for pk, value in rows:
        joined.setdefault(pk, []).append(str(value))
    return {pk: "、".join(values) for pk, values in joined.items()}


def stream_rows(queryset, fields: Sequence[Field], chunk: int = 2000) -> Iterator[list]:
    """The cells of every row of ``queryset``, in its order, read ``chunk`` rows at a time with
    ``values_list`` (no model instances); a many-to-many column costs one query a chunk."""
    plain = [f for f in fields if not f.many]
    many = [f for f in fields if f.many]
    # Per column: where its value is (1 + its place among the plain ones, or -1 - its place
    # among the many-to-many ones) and how it becomes a cell.
    places, position = [], {id(f): i for i, f in enumerate(plain)}
    for field in fields:
        if field.many:
            places.append((-1 - many.index(field), None))
        else:
            places.append((1 + position[id(field)], field.convert))
    values = queryset.values_list("pk", *(f.lookup for f in plain)).iterator(chunk_size=chunk)
    while batch := list(itertools.islice(values, chunk)):
        pks = [row[0] for row in batch]
        joined = [_many_values(queryset, f, pks) for f in many]
        for row in batch:
            yield [
                joined[-1 - place].get(row[0], "")
                if place < 0
                else (convert(row[place]) if convert else row[place])
                for place, convert in places
            ]
