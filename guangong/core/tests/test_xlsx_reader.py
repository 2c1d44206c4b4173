"""The streaming .xlsx reader: the values openpyxl reads, rows in place, openpyxl as fallback."""

import datetime
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from guangong.core.importer import reading, xlsx
from guangong.core.importer.testing import make_xlsx
from guangong.core.tests.test_importer import GOOD, HEADERS, VALID_ID, ToyImporter, errors_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True, params=["scanned", "parsed"])
def way(request, monkeypatch):
    """Every test runs both ways through the XML: the scanner of plain files and iterparse."""
    if request.param == "parsed":
        monkeypatch.setattr(xlsx, "_scannable", lambda head, root: False)
    return request.param


def openpyxl_rows(content: bytes, sheet: int = 0) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = [tuple(row) for row in wb.worksheets[sheet].iter_rows(values_only=True)]
    wb.close()
    return rows


def streamed_rows(content: bytes, sheet: int = 0) -> list[tuple]:
    book = xlsx.Workbook(io.BytesIO(content))
    try:
        return list(book.worksheets[sheet].iter_rows())
    finally:
        book.close()


def trimmed(rows: list[tuple]) -> list[tuple]:
    """Rows without their trailing empty cells, without the empty rows after the last."""
    out = []
    for row in rows:
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        out.append(tuple(values))
    while out and not out[-1]:
        out.pop()
    return out


def saved(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_workbook_written_by_openpyxl_reads_as_openpyxl_reads_it():
    """Shared strings, numbers, booleans, dates and times by their format, formulas, blanks
    and gaps between rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append(["姓名", "人数", "金额", "在职", "日期", "时刻", "公式"])
    ws.append(["王建国", 3, 12.5, True, datetime.date(2024, 5, 1), datetime.time(8, 30), "=1+1"])
    ws.append(["李秀英", -7, 1e20, False, datetime.datetime(2023, 1, 2, 3, 4, 5)])  # noqa: DTZ001
    ws["C9"] = "隔行"  # rows 4-8 empty
    ws["F9"] = 0.25
    ws["A12"] = "  前后空格  "
    ws["B12"] = 110105194912310021  # an ID number typed into a number cell
    ws["C12"] = 1.10105194912310e17
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "x"
    content = saved(wb)
    streamed = streamed_rows(content)
    assert trimmed(streamed) == trimmed(openpyxl_rows(content))
    assert streamed[1][:5] == ("王建国", 3, 12.5, True, datetime.datetime(2024, 5, 1))  # noqa: DTZ001
    assert streamed[1][5] == datetime.time(8, 30)
    assert streamed[1][6:] == ()  # a formula openpyxl wrote has no cached value: empty
    assert streamed[3:8] == [(), (), (), (), ()]  # the gap keeps its row numbers
    assert streamed[8][2] == "隔行"
    # openpyxl writes a long integer as Excel keeps it: 15 significant digits.
    assert streamed[11][:3] == ("  前后空格  ", 1.1010519491231e17, 1.1010519491231e17)
    book = xlsx.Workbook(io.BytesIO(content))
    assert [(ws.title, ws.sheet_state) for ws in book.worksheets] == [
        ("人员", "visible"),
        ("隐藏", "hidden"),
    ]
    assert book.worksheets[0].max_row == 12
    book.close()


# Text openpyxl can write: no control characters but tab, line feed and carriage return.
CELL_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r&<>\"';#"),
    max_size=12,
).filter(lambda text: text.strip() == text and not text.startswith("="))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(CELL_TEXT, min_size=1, max_size=4), min_size=1, max_size=4))
def test_any_text_reads_as_openpyxl_reads_it(rows):
    """Chinese, ASCII and markup characters mixed: openpyxl writes non-ASCII text as
    character references, which the scanner decodes in one step when a cell has nothing else."""
    content = make_xlsx([["姓名", "单位"], *rows])
    assert trimmed(streamed_rows(content)) == trimmed(openpyxl_rows(content))


def test_a_workbook_written_in_streaming_mode_with_inline_strings():
    content = make_xlsx([HEADERS, GOOD, [None, None, "3"], ["乙", 4]])
    assert trimmed(streamed_rows(content)) == trimmed(openpyxl_rows(content))


# A workbook as other programs write it: no cell references, rich text with phonetic runs,
# inline strings, cached formula values, errors, ISO dates, the 1904 calendar.
SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<dimension ref="A1:E6"/>
<sheetData>
<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="inlineStr"><is><t>内联</t></is></c></row>
<row><c t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c><c t="b"><v>1</v></c>
<c t="str"><f>A1&amp;"x"</f><v>姓名x</v></c><c t="e"><v>#N/A</v></c><c s="1"><v>0</v></c></row>
<row r="5"><c r="B5" t="n"><v>42</v></c><c r="D5" t="d"><v>2024-05-01T00:00:00</v></c>
<c r="E5" s="1"><v>45413</v></c></row>
<row r="6"><c r="A6" t="s"><v>2</v></c><c r="C6"><v>1.10105194912310E+17</v></c>
<c r="D6" t="s"><v>3</v></c></row>
</sheetData>
</worksheet>"""
STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>姓名</t></si>
<si><r><rPr><b/></rPr><t>身份</t></r><r><t>证号</t></r><rPh sb="0" eb="1"><t>shen</t></rPh></si>
<si><t xml:space="preserve">  带空格 </t></si>
<si><t>a_x005F_x000D_b</t></si>
</sst>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1">
<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
</numFmts>
<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr date1904="1"/>
<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="/xl/worksheets/data.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
<Relationship Id="rId2" Target="sharedStrings.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>
<Relationship Id="rId3" Target="styles.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>
</Relationships>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/data.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""


def other_layout(sheet: str = SHEET) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/worksheets/data.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", STRINGS)
        archive.writestr("xl/styles.xml", STYLES)
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_a_workbook_of_another_layout():
    content = other_layout()
    rows = streamed_rows(content)
    assert rows == [
        ("姓名", "身份证号", "内联"),
        ("富文本", True, "姓名x", "#N/A", datetime.time(0, 0)),  # serial 0 in a date format
        (),
        (),
        (None, 42, None, datetime.datetime(2024, 5, 1), datetime.datetime(2028, 5, 2)),  # noqa: DTZ001
        ("  带空格 ", None, 1.1010519491231e17, "a_x000D_b"),
    ]
    assert trimmed(rows) == trimmed(openpyxl_rows(content))


TRICKY = """<?xml version='1.0' encoding='utf-8'?>
<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
 xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetPr/>
<sheetData>
<row r='1' spans='1:4'><c r='A1' t='inlineStr'>
<is><t>a &amp; b &lt;c&gt; &#x4E2D;&#25991; &quot;q&quot;</t></is></c>
<c r="B1"/><c r="C1" t="inlineStr"><is><t xml:space="preserve">line\r\nbreak&#13;kept</t></is></c>
<c r="D1"><v/></c><c r="E1" t="inlineStr"><is/></c><c r="F1" t="inlineStr"><is><t/></is></c>
<c r="G1" t="s" s="0"><v>0</v></c><c r="H1" s="1" cm="1" t="n"><v>45413</v></c>
<c r="I1" cm="1" s="1"><v>2</v></c></row>
<row r="2"/>
<row r="3"><c r="A3" t="inlineStr"><is><r><t>富</t></r><rPh sb="0" eb="1"><t>fu</t></rPh></is></c>
<c r="B3" t="s"><v>3</v></c><c r="C3" t="str"><f>"&lt;"</f><v>&lt;</v></c></row>
</sheetData><rowBreaks count="0"/>
</worksheet>"""


def test_markup_as_any_parser_reads_it():
    rows = streamed_rows(other_layout(TRICKY))
    assert rows == [
        ('a & b <c> 中文 "q"', None, "line\nbreak\rkept", None, "", "", "姓名")
        + (datetime.datetime(2028, 5, 2), datetime.datetime(1904, 1, 3)),  # noqa: DTZ001
        (),
        ("富", "a_x000D_b", "<"),
    ]


def test_the_scanner_gives_up_on_markup_it_does_not_read(way):
    """A comment past the prolog: the scanner stops (the importer then reads with openpyxl);
    iterparse reads the same sheet."""
    if way == "parsed":
        pytest.skip("the scanner only")
    padding = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>填充</t></is></c></row>'
        for i in range(2, 400)
    )
    sheet = SHEET.replace("<sheetData>", f"<sheetData>{padding}").replace(
        '<row r="1">', '<!-- 注释 --><row r="1">'
    )
    sheet = sheet.replace("<row><c", '<row r="401"><c')
    with pytest.raises(xlsx.Unsupported):
        list(xlsx._scanned_rows(io.BytesIO(sheet.encode())))
    assert len(list(xlsx._parsed_rows(io.BytesIO(sheet.encode())))) == 398 + 4


def test_reading_from_a_row_on_and_up_to_a_row():
    sheet = xlsx.Workbook(io.BytesIO(other_layout())).worksheets[0]
    assert list(sheet.iter_rows(min_row=3, max_row=5)) == [
        (),
        (),
        (None, 42, None, datetime.datetime(2024, 5, 1), datetime.datetime(2028, 5, 2)),  # noqa: DTZ001
    ]
    assert sheet.max_row == 6


# --- Through an importer --------------------------------------------------------------------


def both_ways(content: bytes):
    importer = ToyImporter()
    fast = importer.parse(content)
    slow = importer._parse_with_openpyxl(content, None)
    return fast, slow


def test_the_importer_reads_the_same_values_and_errors_as_with_openpyxl():
    rows = [
        ["说明：一个标题行"],
        HEADERS,
        GOOD,
        [],
        ["乙", "x", "1,5", "2024-13-01", "紫", None, "110105194912310021", "123"],
        ["丙", 2, 3.5, datetime.date(2024, 2, 29), "绿", "选项059", None, None],
        [],
        ["丁", None, None, None, None, None, 1.10105194912310e17, None],
        ["戊", None, None, None, None, None, "110105194912310000", None],
        ["己", None, None, None, None, None, 110105194912310000, None],
    ]
    fast, slow = both_ways(make_xlsx(rows))
    assert [(r.number, r.values) for r in fast.rows] == [(r.number, r.values) for r in slow.rows]
    assert errors_of(fast) == errors_of(slow)
    assert (fast.sheet, fast.header_row, fast.positions) == (
        slow.sheet,
        slow.header_row,
        slow.positions,
    )
    messages = {row: message for row, column, message in errors_of(fast) if column == "身份证号"}
    assert "stored this ID number as a number" in messages[8]
    assert "replaced the last digits with zeros" in messages[9]
    assert "stored this ID number as a number" in messages[10]
    assert sorted(messages) == [5, 8, 9, 10]  # Excel's row numbers, gaps included
    assert fast.rows[0].values["id_number"] == VALID_ID


def test_the_importer_does_not_need_openpyxl_for_a_readable_file(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read the file")

    monkeypatch.setattr(reading, "load_workbook", refuse)
    result = ToyImporter().parse(make_xlsx([HEADERS, GOOD]))
    assert result.ok
    assert result.rows[0].values["name"] == "甲"


def test_a_file_the_streaming_reader_fails_on_is_read_by_openpyxl(monkeypatch):
    def broken(self):
        raise ValueError("unexpected layout")

    monkeypatch.setattr(xlsx.Worksheet, "_rows", broken)
    result = ToyImporter().parse(make_xlsx([HEADERS, GOOD]))
    assert result.ok
    assert result.rows[0].values["id_number"] == VALID_ID


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_a_damaged_sheet_is_reported_as_before():
    broken = other_layout(SHEET.replace("</sheetData>", ""))  # not well-formed
    result = ToyImporter().parse(broken)
    assert [e.message for e in result.errors] == ["The workbook is damaged and could not be read."]
