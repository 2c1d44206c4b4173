"""The generic import machinery: cells, headers, every error with its row, template, error file.

A toy importer with a column of every kind stands in for an app's importer; committing and
undoing through real services are tested with the organisation importer (orgs/tests).
"""

import datetime
import decimal
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from guangong.core.importer import CellInvalid, Column, Importer, normalize_header
from guangong.core.importer.columns import to_date, to_decimal, to_id_number, to_int, to_text
from guangong.core.importer.testing import make_xlsx, read_xlsx
from guangong.orgs.models import Organization

pytestmark = pytest.mark.usefixtures("english")


VALID_ID = "11010519491231002X"  # the worked example of GB 11643


def many_codes():
    return {f"选项{i:03d}": i for i in range(60)}  # too long for an inline drop-down


class ToyImporter(Importer):
    model = Organization  # only for field lengths; the toy never saves
    title = "Toy"
    columns = (
        Column("名称", "name", required=True),
        Column("人数", "count", kind="int"),
        Column("金额", "amount", kind="decimal"),
        Column("日期", "day", kind="date"),
        Column("颜色", "color", kind="choice", choices=lambda: {"红": "red", "绿": "green"}),
        Column("编号", "code", kind="choice", choices=many_codes),
        Column("身份证号", "id_number", kind="id_number", help="18 位"),
        Column("电话", "phone", kind="phone"),
    )

    def validate_row(self, row, context):
        name = row.values["name"]
        if name:
            earlier = context.first_seen("name", name)
            if earlier is not None:
                raise ValidationError({"name": f"与第{earlier}行重复"})
        return None


HEADERS = ["名称", "人数", "金额", "日期", "颜色", "编号", "身份证号", "电话"]
GOOD = ["甲", 3, "12.50", "2024-05-01", "红", "选项007", VALID_ID, "13812345678"]


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


# --- Cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2024, 5, 1),  # noqa: DTZ001 - what openpyxl reads from a date cell
        datetime.date(2024, 5, 1),
        "2024-05-01",
        "2024-5-1",
        "2024/05/01",
        "2024/5/1",
        "2024.5.1",
        "2024年5月1日",
        "2024年05月01日",
        " 2024-05-01 ",
        "2024-05-01 00:00:00",
        "20240501",
        20240501,
    ],
    ids=repr,
)
def test_dates_in_the_forms_people_type(value):
    assert to_date(value) == datetime.date(2024, 5, 1)


@pytest.mark.parametrize("value", ["2024-02-30", "5/1/2024", "明天", "2024-05", 45413.0, True])
def test_not_a_date(value):
    with pytest.raises(CellInvalid):
        to_date(value)


def test_numbers_and_text():
    assert to_int(3) == 3 and to_int(3.0) == 3 and to_int(" 1,200 ") == 1200
    with pytest.raises(CellInvalid):
        to_int(2.5)
    with pytest.raises(CellInvalid):
        to_int("三")
    assert to_decimal(12.5) == decimal.Decimal("12.5")
    assert to_decimal("1,234.56") == decimal.Decimal("1234.56")
    with pytest.raises(CellInvalid):
        to_decimal("NaN")
    # A code typed into a number cell comes back as a whole number, not "654002.0".
    assert to_text(654002.0) == "654002"
    assert to_text(654002001000) == "654002001000"
    assert to_text("  伊宁市 ") == "伊宁市"


def test_id_numbers():
    assert to_id_number(VALID_ID.lower()) == VALID_ID
    assert to_id_number(" 110105 19491231 002X ") == VALID_ID
    with pytest.raises(CellInvalid, match="check character"):
        to_id_number("110105194912310021")
    with pytest.raises(CellInvalid):
        to_id_number("1101051949")
    # What Excel makes of an 18-digit number typed into a number cell: refused, with the cure.
    with pytest.raises(CellInvalid, match="as a number"):
        to_id_number(1.10105194912310e17)
    with pytest.raises(CellInvalid, match="replaced the last digits with zeros"):
        to_id_number("110105194912310000")


def test_headers_match_whatever_the_spaces_marks_and_brackets():
    assert normalize_header(" *名 称\u3000") == normalize_header("名称")
    assert normalize_header("上级（代码）") == normalize_header("上级(代码)")
    assert normalize_header("Name") == normalize_header("name")


# --- Parsing --------------------------------------------------------------------------------


def test_a_good_file_converts_every_kind():
    result = ToyImporter().parse(make_xlsx([HEADERS, GOOD]))
    assert result.ok, errors_of(result)
    (row,) = result.rows
    assert row.number == 2
    assert row.values == {
        "name": "甲",
        "count": 3,
        "amount": decimal.Decimal("12.50"),
        "day": datetime.date(2024, 5, 1),
        "color": "red",
        "code": 7,
        "id_number": VALID_ID,
        "phone": "13812345678",
    }


def test_columns_in_any_order_with_a_title_above_extra_columns_and_blank_rows():
    headers = ["备注", " 电话 ", "*名称", "颜色"]
    rows = [
        ["伊宁市关工委组织名单"],  # a title row above the headers
        [],
        headers,
        ["x", "0999-8021234", "甲", "绿"],
        [None, None, None, None],  # blank rows are skipped, numbering carries on
        ["y", None, "乙", "红"],
    ]
    result = ToyImporter().parse(make_xlsx(rows))
    assert result.ok, errors_of(result)
    assert result.header_row == 3
    assert [(r.number, r.values["name"], r.values["color"]) for r in result.rows] == [
        (4, "甲", "green"),
        (6, "乙", "red"),
    ]
    assert result.rows[0].values["phone"] == "0999-8021234"
    assert result.rows[1].values["count"] is None  # an absent optional column reads as empty


def test_every_error_is_reported_with_its_excel_row_and_column():
    rows = [
        HEADERS,
        GOOD,
        [None, "三", "abc", "2024-13-01", "蓝", "选项999", "110105194912310021", "12345"],
        GOOD,  # duplicate name (validate_row)
        ["丙", 2.5, None, "明天"],
    ]
    importer = ToyImporter()
    result = importer.validate(importer.parse(make_xlsx(rows)), actor=None)
    assert not result.ok
    assert errors_of(result) == [
        (3, "名称", "This column is required."),
        (3, "人数", "Enter a whole number."),
        (3, "金额", "Enter a number."),
        (3, "日期", "Enter a date such as 2024-05-01, 2024/5/1 or 2024年5月1日."),
        (3, "颜色", "“蓝” is not one of: 红、绿."),
        (3, "编号", "“选项999” is not one of: the drop-down list of the template."),
        (
            3,
            "身份证号",
            "The check character (the last one) of this ID number is wrong. Check the number "
            "for a mistyped or missing digit.",
        ),
        (
            3,
            "电话",
            "Enter a mainland mobile number (11 digits) or a landline with its area code.",
        ),
        (4, "名称", "与第2行重复"),
        (5, "人数", "Enter a whole number."),
        (5, "日期", "Enter a date such as 2024-05-01, 2024/5/1 or 2024年5月1日."),
    ]
    assert result.bad_rows == 3
    assert result.rows[1].failed == {
        "name",
        "count",
        "amount",
        "day",
        "color",
        "code",
        "id_number",
        "phone",
    }


def test_missing_required_header_and_duplicates_are_file_errors():
    result = ToyImporter().parse(make_xlsx([["人数", "颜色", "颜色"], [1, "红", "绿"]]))
    assert not result.ok
    assert errors_of(result) == [
        (1, "颜色", "This column appears twice."),
        (1, "名称", "This required column is missing."),
    ]
    assert result.rows == []


@pytest.mark.parametrize(
    "content", [b"", b"not a spreadsheet", b"\xd0\xcf\x11\xe0 an old .xls"], ids=repr
)
def test_not_an_xlsx(content):
    result = ToyImporter().parse(io.BytesIO(content))
    assert [e.message for e in result.errors] == [
        "This is not an Excel workbook (.xlsx). Save it as .xlsx."
    ]


def test_no_header_row():
    result = ToyImporter().parse(make_xlsx([["a", "b"], [1, 2]]))
    assert len(result.file_errors) == 1
    assert "No header row found" in result.file_errors[0].message


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(ToyImporter, "max_rows", 3)
    result = ToyImporter().parse(make_xlsx([HEADERS] + [[f"n{i}"] for i in range(5)]))
    assert result.rows == []
    assert "more than 3 rows" in result.file_errors[0].message


def test_parse_reports_progress():
    """Against the row count the sheet declares (Excel and WPS write it; when a file lacks it,
    the total is 0 and the page shows a moving bar)."""
    wb = Workbook()
    wb.active.append(HEADERS)
    for i in range(50):
        wb.active.append([f"n{i}"])
    buffer = io.BytesIO()
    wb.save(buffer)
    calls = []
    ToyImporter().parse(buffer.getvalue(), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(done, 50) for done in range(1, 51)]

    calls.clear()
    ToyImporter().parse(
        make_xlsx(read_xlsx(buffer.getvalue())), progress=lambda *a: calls.append(a)
    )
    assert calls == [(done, 0) for done in range(1, 51)]


# --- Template -------------------------------------------------------------------------------


def test_template():
    content = ToyImporter().template()
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    assert ws.title == "Toy"
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    # Text columns (names, ID numbers, phones) are formatted as text; dates as dates.
    formats = {
        ws.cell(1, i + 1).value: ws.column_dimensions[chr(65 + i)].number_format for i in range(8)
    }
    assert formats["名称"] == formats["身份证号"] == formats["电话"] == "@"
    assert formats["日期"] == "yyyy-mm-dd"
    assert formats["人数"] == "General"
    # Every header explains itself; required ones say so.
    assert ws["A1"].comment.text.startswith("Required")
    assert "18 位" in ws["G1"].comment.text
    # Drop-downs: a short list inline, a long one from a hidden sheet.
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert validations["E2:E1048576"].formula1 == '"红,绿"'
    hidden = [s for s in wb.worksheets if s.sheet_state == "hidden"]
    assert len(hidden) == 1
    assert validations["F2:F1048576"].formula1 == f"'{hidden[0].title}'!$F$1:$F$60"
    assert hidden[0]["F60"].value == "选项059"
    # A help sheet lists every column.
    help_rows = read_xlsx(content, sheet=1)
    assert {row[0] for row in help_rows} >= set(HEADERS)


def test_the_filled_in_template_reads_back():
    wb = load_workbook(io.BytesIO(ToyImporter().template()))
    ws = wb.worksheets[0]
    ws.append(GOOD)
    buffer = io.BytesIO()
    wb.save(buffer)
    result = ToyImporter().parse(buffer.getvalue())
    assert result.ok, errors_of(result)
    assert result.rows[0].values["id_number"] == VALID_ID


# --- Error file -----------------------------------------------------------------------------


def test_error_file_marks_the_bad_cells_and_keeps_row_numbers():
    rows = [
        ["名单"],
        HEADERS + ["备注"],
        GOOD + ["第一行"],
        ["乙", "三", None, "2024-13-01"] + [None] * 4 + ["=1+1"],
        ["丙"],
    ]
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.active["I4"].data_type = "s"  # typed as text, as Excel stores '=1+1
    buffer = io.BytesIO()
    wb.save(buffer)
    importer = ToyImporter()
    result = importer.validate(importer.parse(buffer.getvalue()), actor=None)
    content = importer.error_file(result)
    out = read_xlsx(content)
    assert out[0][0] == "名单"
    assert out[1] == (*HEADERS, "备注", "Errors")
    assert len(out[2]) == 9  # a good row has no error text
    assert out[3][-1] == (
        "人数：Enter a whole number.；"
        "日期：Enter a date such as 2024-05-01, 2024/5/1 or 2024年5月1日."
    )
    assert out[3][8] == "=1+1"  # text that looks like a formula stays text
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    assert ws["B4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["D4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert not ws["A4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["B4"].data_type == "s" and ws["I4"].data_type == "s"

    # Corrected in place and uploaded again, the error column is ignored (and replaced).
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    ws["B4"], ws["D4"] = 2, "2024-12-01"
    buffer = io.BytesIO()
    wb.save(buffer)
    again = importer.validate(importer.parse(buffer.getvalue()), actor=None)
    assert again.ok, errors_of(again)
    assert read_xlsx(importer.error_file(again))[1] == (*HEADERS, "备注", "Errors")
