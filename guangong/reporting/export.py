"""The aggregated table as a spreadsheet, in the form's layout.

Sheet one: the form's sections as header rows and, per item, its code, label, unit and the
total over the approved reports. Sheet two: each reporting child with its status and the values
of its approved report. Cells go through ``core.export.safe_cell``.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from guangong.core.export import safe_cell

from .aggregate import Aggregate
from .layout import Section
from .models import ItemKind, ReportStatus

BOLD = Font(bold=True)


def _append(ws, values, bold: bool = False) -> None:
    ws.append([safe_cell(v) for v in values])
    if bold:
        for cell in ws[ws.max_row]:
            cell.font = BOLD


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _group_sheet(wb, result: Aggregate, sections: list[Section]) -> None:
    """The numeric items' totals by the groups of the chosen set (then 未分组)."""
    ws = wb.create_sheet(_("By group")[:31])
    lines = result.by_group
    _append(ws, [_("Code"), _("Item"), _("Unit"), *[line.slot.label for line in lines]], bold=True)
    _append(
        ws,
        [
            "",
            _("Approved reports / reporting organisations"),
            "",
            *[f"{line.approved}/{line.expected}" for line in lines],
        ],
    )
    for section in sections:
        for row in section.rows:
            item = row.item
            if item.numeric:
                cells = [_number(line.totals.get(item.pk)) for line in lines]
                _append(ws, [item.code, item.label, item.unit, *cells])
    ws.column_dimensions["B"].width = 40


def aggregate_xlsx(result: Aggregate, sections: list[Section], values: dict) -> bytes:
    """``values``: (report id, item id) → value (or text) of the approved reports."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Totals")[:31]
    _append(ws, [result.form.name], bold=True)
    _append(ws, [_("Organisation"), result.organization.name])
    _append(ws, [_("Period"), result.period.label])
    if result.group is not None:
        _append(ws, [_("Organisation group"), str(result.group)])
    _append(
        ws,
        [
            _("Completeness"),
            f"{result.completeness}%",
            _("Timeliness"),
            f"{result.timeliness}%",
        ],
    )
    _append(ws, [])
    _append(ws, [_("Code"), _("Item"), _("Unit"), _("Total")], bold=True)
    for section in sections:
        _append(ws, [section.section.title], bold=True)
        for row in section.rows:
            item = row.item
            total = result.totals.get(item.pk) if item.numeric else None
            _append(ws, [item.code, item.label, item.unit, _number(total)])
    for column, width in zip("ABCD", (10, 40, 8, 14), strict=True):
        ws.column_dimensions[column].width = width

    if result.by_group:
        _group_sheet(wb, result, sections)

    detail = wb.create_sheet(_("By organisation")[:31])
    items = [row.item for section in sections for row in section.rows]
    _append(
        detail,
        [_("Organisation"), _("Status"), *[f"{i.code} {i.label}" for i in items]],
        bold=True,
    )
    for line in result.children:
        report = line.report
        status = ReportStatus(report.status).label if report else _("Not opened")
        cells = []
        for item in items:
            value = values.get((report.pk, item.pk)) if report else None
            if report is None or report.status != ReportStatus.APPROVED:
                value = None
            if item.kind != ItemKind.TEXT:
                value = _number(value) if value not in (None, "") else None
            cells.append(value)
        _append(detail, [line.organization.name, status, *cells])
    detail.column_dimensions["A"].width = 30
    detail.freeze_panes = "C2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
