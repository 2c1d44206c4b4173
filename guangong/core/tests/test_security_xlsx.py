"""Hostile workbooks: what an upload unpacks to, and how far the reader goes, are bounded.

Each file is built in memory. A file past a bound is refused with the reason, by the streaming
reader and by openpyxl (the fallback) alike, without reading what lies past the bound: the
tests count what the reader hands over or which parts it opens, never the time it takes.
"""

import io
import os
import struct
import zipfile

import pytest
from django.utils import translation

from guangong.core.importer import bounds, reading, xlsx, xmlscan
from guangong.core.importer.testing import make_xlsx
from guangong.core.tests.support import spy_on_rows
from guangong.core.tests.test_importer import GOOD, HEADERS, ToyImporter

pytestmark = pytest.mark.usefixtures("english")


SHEET = "xl/worksheets/sheet1.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(params=["streaming", "openpyxl"])
def reader(request, monkeypatch):
    """Every test runs through the streaming reader and through the openpyxl fallback."""
    if request.param == "openpyxl":

        def unreadable(data):
            raise xlsx.Unsupported("as if the streaming reader could not read it")

        monkeypatch.setattr(reading.xlsx, "Workbook", unreadable)
    return request.param


@pytest.fixture
def converted(monkeypatch):
    """Counts the rows the importer is handed; far more than the sheet holds is a failure."""
    return spy_on_rows(monkeypatch, ToyImporter)


def rewritten(content: bytes, replace: dict[str, bytes] | None = None, add=()) -> bytes:
    """``content`` with some parts replaced and others added (name, data, compression)."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, data in add:
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def with_rows(xml: str) -> bytes:
    """A toy sheet (header and one good row) followed by the rows in ``xml``."""
    content = make_xlsx([HEADERS, GOOD])
    sheet = zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    return rewritten(
        content, {SHEET: sheet.replace(b"</sheetData>", xml.encode() + b"</sheetData>")}
    )


def refusal(content: bytes) -> str:
    result = ToyImporter().parse(content)
    assert result.rows == []
    assert len(result.file_errors) == 1, result.file_errors
    return result.file_errors[0].message


# --- Rows counted by their numbers ----------------------------------------------------------


def test_a_row_numbered_twenty_million_is_refused_without_making_up_the_rows_above(
    reader, converted
):
    content = with_rows(
        '<row r="20000000"><c r="A20000000" t="inlineStr"><is><t>远</t></is></c></row>'
    )
    assert len(content) < 10_000
    message = refusal(content)
    assert "more than 200000 rows" in message and "Row 20000000 holds data" in message
    assert converted == [2, 20_000_000]  # the good row, then the far one: nothing between


def test_a_gap_counts_towards_the_row_limit(reader, converted, monkeypatch):
    monkeypatch.setattr(ToyImporter, "max_rows", 100)
    message = refusal(
        with_rows('<row r="500"><c r="A500" t="inlineStr"><is><t>远</t></is></c></row>')
    )
    assert "more than 100 rows" in message and "Row 500 holds data" in message
    assert converted == [2, 500]


def test_empty_rows_far_below_are_ignored_unread(reader, converted):
    """Spreadsheet programs write formatted empty rows (a height, a style): not data."""
    content = with_rows(
        '<row r="900000" ht="30" customHeight="1"/><row r="20000000"><c r="B20000000" s="0"/></row>'
    )
    result = ToyImporter().parse(content)
    assert not result.file_errors and [row.number for row in result.rows] == [2]
    assert converted == [2, 900_000, 20_000_000]


def test_the_error_file_stops_at_the_last_row_read(converted):
    content = with_rows(
        '<row r="900000" ht="30" customHeight="1"/><row r="20000000"><c r="B20000000" s="0"/></row>'
    )
    content = rewritten(
        content,
        {SHEET: zipfile.ZipFile(io.BytesIO(content)).read(SHEET).replace(b"13812345678", b"12")},
    )
    importer = ToyImporter()
    result = importer.parse(content)
    assert not result.ok
    marked = zipfile.ZipFile(io.BytesIO(importer.error_file(result))).read(SHEET)
    assert marked.count(b"<row") == 2  # header and the bad row; not 20,000,000 empty ones


def test_a_cell_beyond_the_last_column_is_refused():
    content = with_rows('<row r="3"><c r="XFE3" t="inlineStr"><is><t>远</t></is></c></row>')
    assert "beyond the last column" in refusal(content)


# --- What the zip unpacks to ------------------------------------------------------------------


@pytest.fixture
def opened(monkeypatch):
    """The names of the parts opened (the test empties it before reading)."""
    names = []
    original = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        names.append(getattr(name, "filename", name))
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return names


def test_a_small_file_holding_a_fifty_megabyte_cell_is_refused_unread(reader, opened):
    strings = f'<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>'.encode()
    strings += b"A" * (50 << 20) + b"</t></si></sst>"
    content = rewritten(make_xlsx([HEADERS, GOOD]), add=[("xl/sharedStrings.xml", strings)])
    assert len(content) < 100_000
    opened.clear()
    message = refusal(content)
    assert "times its size" in message
    assert "xl/sharedStrings.xml" not in opened and SHEET not in opened


def declared_size(content: bytes, name: str, size: int) -> bytes:
    """``content`` whose zip headers declare ``size`` bytes for ``name`` unpacked."""
    data = bytearray(content)
    encoded = name.encode()
    # (signature, offset of the unpacked size, of the name's length, of the name)
    for signature, size_at, length_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),  # local header
        (b"PK\x01\x02", 24, 28, 46),  # central directory
    ):
        at = data.find(signature)
        while at >= 0:
            (length,) = struct.unpack_from("<H", data, at + length_at)
            if bytes(data[at + name_at : at + name_at + length]) == encoded:
                struct.pack_into("<I", data, at + size_at, size)
            at = data.find(signature, at + 4)
    return bytes(data)


def test_a_sheet_that_unpacks_past_any_real_sheet_is_refused_unread(reader, opened):
    content = declared_size(make_xlsx([HEADERS, GOOD]), SHEET, 600 << 20)
    assert zipfile.ZipFile(io.BytesIO(content)).getinfo(SHEET).file_size == 600 << 20
    opened.clear()
    message = refusal(content)
    assert "more than 512 MB" in message
    assert SHEET not in opened


def test_a_real_sized_sheet_is_within_the_bounds():
    """A sheet of 200,000 rows (about 200 MB, compressed ten times and more) passes."""

    class Archive:
        def infolist(self):
            sheet = zipfile.ZipInfo(SHEET)
            sheet.file_size, sheet.compress_size = 250 << 20, (250 << 20) // 12
            styles = zipfile.ZipInfo("xl/styles.xml")
            styles.file_size, styles.compress_size = 2 << 20, 200 << 10
            return [sheet, styles]

    bounds.check_archive(Archive())  # no TooLarge


def test_a_zip_of_too_many_parts_is_refused(reader, opened):
    parts = [(f"xl/media/image{i}.png", b"x") for i in range(bounds.MAX_PARTS)]
    content = rewritten(make_xlsx([HEADERS, GOOD]), add=parts)
    opened.clear()
    message = refusal(content)
    assert "parts, far more than a workbook does" in message
    assert SHEET not in opened


def test_a_row_larger_than_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ROW_BYTES", 1 << 20)
    monkeypatch.setattr(xmlscan, "BLOCK", 1 << 16)  # the scanner reads 4 MB at once
    text = os.urandom(1 << 20).hex()  # 2 MB that do not compress
    for way in ("scanned", "parsed"):
        if way == "parsed":
            monkeypatch.setattr(xlsx, "_scannable", lambda head, root: False)
        content = with_rows(f'<row r="3"><c r="A3" t="inlineStr"><is><t>{text}</t></is></c></row>')
        assert "A row of the sheet holds more than 1 MB" in refusal(content), way


def test_a_shared_string_longer_than_excel_allows_is_refused():
    strings = f'<sst xmlns="{NS}"><si><t>{"长" * 40_000}</t></si></sst>'.encode()
    content = make_xlsx([HEADERS, GOOD])
    archive = zipfile.ZipFile(io.BytesIO(content))
    rels = archive.read("xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    content = rewritten(
        content, {"xl/_rels/workbook.xml.rels": rels}, add=[("xl/sharedStrings.xml", strings)]
    )
    assert "more than 32767 characters" in refusal(content)


def test_the_refusal_reads_in_chinese(converted):
    content = with_rows(
        '<row r="20000000"><c r="A20000000" t="inlineStr"><is><t>远</t></is></c></row>'
    )
    with translation.override("zh-hans"):
        message = refusal(content)
    assert "第 20000000 行有数据" in message and "200000" in message
