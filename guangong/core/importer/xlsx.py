"""A streaming reader of .xlsx sheets: the cell values only, read with the standard library.

openpyxl in read-only mode builds an object per cell and reads about 6,000 rows a second; an
import of 100,000 rows needs more. This reader walks the sheet XML with ``iterparse`` and gives
the values openpyxl's ``iter_rows(values_only=True)`` gives with ``data_only=True``: shared and
inline strings (rich text joined, phonetic runs left out), numbers as int or float, booleans,
error codes as text, the cached value of formulas, and numbers styled as dates or times
converted as openpyxl converts them (``from_excel`` with the workbook's epoch). Rows keep their
numbers: a row missing from the XML comes out empty.

It raises ``Unsupported`` for what it does not read (a strict-conformance workbook, an
encrypted file); any failure lets the caller fall back to openpyxl.

The XML of an upload is untrusted. It goes through the parser openpyxl uses when defusedxml is
not installed: expat (2.4 and later limit entity expansion) under ElementTree, which never
loads external entities. What it unpacks to is bounded before anything is read
(``check_archive``: the number of parts, the size of each and of all, how many times a part
outgrows its compressed size), and while reading: a row's XML, a string's length and a
column's position. Past a bound the reader raises ``TooLarge``, which the importer reports
instead of reading the file again with openpyxl.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from .bounds import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    Bounded,
    TooLarge,
    beyond_last_column,
    cell_too_long,
    check_archive,
)
from .xmlscan import (
    _SI_RE,
    MAIN_NAMESPACE,
    PROLOG,
    Unsupported,
    _inline_text,
    _scannable,
    _scanned_rows,
)

__all__ = ["TooLarge", "Unsupported", "Workbook", "Worksheet", "check_archive"]

#: Shared strings up to this size are read at once; larger ones are parsed string by string.
FAST_STRINGS_BYTES = 128 << 20

MAIN = "{" + MAIN_NAMESPACE + "}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
LETTERS = "$ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"

ROW, CELL, VALUE = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v"
INLINE, TEXT, RUN = f"{MAIN}is", f"{MAIN}t", f"{MAIN}r"
SHEET_DATA, DIMENSION = f"{MAIN}sheetData", f"{MAIN}dimension"


def _events(handle, events=("end",)):
    return iterparse(handle, events)  # noqa: S314 - see the module's notes


def _text(node) -> str:
    """A string item's text: its ``t``, then the ``t`` of each rich-text run (not ``rPh``)."""
    if len(node) == 1 and node[0].tag == TEXT:  # the plain case, nearly every string
        return node[0].text or ""
    parts = []
    plain = node.find(TEXT)
    if plain is not None and plain.text is not None:
        parts.append(plain.text)
    for run in node.iterfind(RUN):
        text = run.find(TEXT)
        if text is not None and text.text is not None:
            parts.append(text.text)
    return "".join(parts)


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{relationship id: (type, target part name)} of ``part``."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.NameToInfo:
        return {}
    found = {}
    with archive.open(rels_name) as handle:
        for _event, node in _events(handle):
            if node.tag == f"{PACKAGE_REL}Relationship":
                target = node.get("Target", "")
                if node.get("TargetMode") == "External":
                    continue
                if target.startswith("/"):
                    target = target[1:]
                else:
                    target = posixpath.normpath(posixpath.join(folder, target))
                found[node.get("Id")] = (node.get("Type", ""), target)
    return found


class Workbook:
    """The sheets of an .xlsx, in the order of the workbook; ``worksheets`` as in openpyxl."""

    def __init__(self, data):
        self.archive = zipfile.ZipFile(data)
        try:
            check_archive(self.archive)
            self._read()
        except Exception:
            self.archive.close()
            raise

    def _read(self) -> None:
        archive = self.archive
        if "EncryptionInfo" in archive.NameToInfo:
            raise Unsupported("encrypted")
        part = "xl/workbook.xml"
        for rel_type, target in _relationships(archive, "").values():
            if rel_type.endswith("/officeDocument"):
                part = target
        if part not in archive.NameToInfo:
            raise Unsupported("no workbook part")
        rels = _relationships(archive, part)
        self.epoch = WINDOWS_EPOCH
        sheets = []
        with archive.open(part) as handle:
            for _event, node in _events(handle):
                tag = node.tag
                if tag.startswith("{" + STRICT):
                    raise Unsupported("strict conformance")
                if tag == f"{MAIN}workbookPr":
                    if node.get("date1904", "").lower() in ("1", "true"):
                        self.epoch = CALENDAR_MAC_1904
                elif tag == f"{MAIN}sheet":
                    rel_type, target = rels.get(node.get(f"{REL}id"), ("", ""))
                    if rel_type.endswith("/worksheet"):
                        state = node.get("state", "visible")
                        sheets.append((node.get("name", ""), state, target))
        if not sheets:
            raise Unsupported("no worksheet")
        self.shared: list[str] = []
        self.date_styles: set[int] = set()
        self.timedelta_styles: set[int] = set()
        for rel_type, target in rels.values():
            if rel_type.endswith("/sharedStrings"):
                self._read_strings(target)
            elif rel_type.endswith("/styles"):
                self._read_styles(target)
        self.worksheets = [Worksheet(self, name, state, target) for name, state, target in sheets]

    def _read_strings(self, part: str) -> None:
        strings = self.shared
        if self.archive.getinfo(part).file_size <= FAST_STRINGS_BYTES:
            with self.archive.open(part) as handle:
                data = handle.read()
            root = re.search(rb"<sst\b[^>]*>", data[:PROLOG])
            if _scannable(data[:PROLOG], b"sst") and root is not None:
                body = data[root.end() :]
                if b"<!" not in body and b"<?" not in body:
                    text = body.decode("utf-8")
                    strings.extend(
                        _inline_text(inner or "").replace("x005F_", "")
                        for inner in _SI_RE.findall(text)
                    )
                    if strings and max(map(len, strings)) > MAX_CELL_CHARS:
                        raise cell_too_long()
                    return
        with self.archive.open(part) as handle:
            bounded = Bounded(handle)
            for _event, node in _events(bounded):
                if node.tag == f"{MAIN}si":
                    text = _text(node).replace("x005F_", "")
                    if len(text) > MAX_CELL_CHARS:
                        raise cell_too_long()
                    strings.append(text)
                    node.clear()
                    bounded.mark()

    def _read_styles(self, part: str) -> None:
        custom: dict[int, str] = {}
        formats: list[int] = []
        in_cell_xfs = False
        with self.archive.open(part) as handle:
            for event, node in _events(handle, ("start", "end")):
                tag = node.tag
                if tag == f"{MAIN}cellXfs":
                    in_cell_xfs = event == "start"
                elif event == "end" and tag == f"{MAIN}numFmt":
                    custom[int(node.get("numFmtId"))] = node.get("formatCode", "")
                elif event == "start" and in_cell_xfs and tag == f"{MAIN}xf":
                    formats.append(int(node.get("numFmtId", 0)))
        for index, number in enumerate(formats):
            code = custom[number] if number in custom else builtin_format_code(number)
            if is_date_format(code):
                self.date_styles.add(index)
            if is_timedelta_format(code):
                self.timedelta_styles.add(index)

    def __getitem__(self, name: str) -> Worksheet:
        for ws in self.worksheets:
            if ws.title == name:
                return ws
        raise KeyError(name)

    def close(self) -> None:
        self.archive.close()


class Worksheet:
    def __init__(self, book: Workbook, title: str, state: str, part: str):
        self.book, self.title, self.sheet_state, self.part = book, title, state, part
        self._max_row: int | None = None

    @property
    def max_row(self) -> int:
        """The last row the sheet's dimension names (0 when it names none)."""
        if self._max_row is None:
            self._max_row = 0
            with self.book.archive.open(self.part) as handle:
                for _event, node in _events(Bounded(handle), ("start",)):
                    if node.tag == DIMENSION:
                        last = node.get("ref", "").rpartition(":")[2].lstrip(LETTERS)
                        self._max_row = int(last) if last.isdigit() else 0
                        break
                    if node.tag == SHEET_DATA:
                        break
        return self._max_row

    def numbered_rows(self, min_row: int = 1) -> Iterator[tuple[int, tuple]]:
        """(number, values) of each row the XML holds from ``min_row`` on, in order. Unlike
        ``iter_rows``, the rows it skips are not made up: a row numbered 20,000,000 comes next
        at once. A row out of order is left out, as ``iter_rows`` leaves it."""
        last = 0
        for number, values in self._rows():
            if number <= last:
                continue
            last = number
            if number >= min_row:
                yield number, values

    def iter_rows(
        self, min_row: int = 1, max_row: int | None = None, values_only: bool = True
    ) -> Iterator[tuple]:
        """Tuples of cell values from ``min_row`` on; rows absent from the XML come as ()."""
        if not values_only:
            raise ValueError("only values are read")
        expected = min_row
        for number, values in self._rows():
            if max_row is not None and number > max_row:
                return
            if number < expected:
                continue
            while expected < number:
                yield ()
                expected += 1
            yield values
            expected += 1

    def _rows(self) -> Iterator[tuple[int, tuple]]:
        book = self.book
        shared = book.shared
        dates, timedeltas, epoch = book.date_styles, book.timedelta_styles, book.epoch
        columns: dict[str, int] = {}
        number = 0
        with book.archive.open(self.part) as handle:
            head = handle.read(PROLOG)
        with book.archive.open(self.part) as handle:
            reader = _scanned_rows if _scannable(head, b"worksheet") else _parsed_rows
            for given, found in reader(handle):
                number = int(given) if given else number + 1
                cells: dict[int, object] = {}
                column = -1
                for letters, kind, style, text in found:
                    if letters:
                        column = columns.get(letters)
                        if column is None:
                            if len(letters) > 3 or _column_index(letters) >= MAX_COLUMNS:
                                raise beyond_last_column()
                            column = columns[letters] = _column_index(letters)
                    else:
                        column += 1
                        if column >= MAX_COLUMNS:
                            raise beyond_last_column()
                    if kind == "inlineStr":
                        value = text
                    elif not text:
                        continue
                    elif kind == "n":
                        if "." in text or "E" in text or "e" in text:
                            value = float(text)
                        else:
                            value = int(text)
                        style = int(style or 0)
                        if style in dates:
                            try:
                                value = from_excel(value, epoch, timedelta=style in timedeltas)
                            except (OverflowError, ValueError):
                                value = "#VALUE!"
                    elif kind == "s":
                        value = shared[int(text)]
                    elif kind == "b":
                        value = bool(int(text))
                    elif kind == "d":
                        value = from_ISO8601(text)
                    else:  # "str" (a formula's text), "e" (an error code)
                        value = text
                    if value is not None:
                        cells[column] = value
                if not cells:
                    yield number, ()
                    continue
                values = [None] * (max(cells) + 1)
                for index, value in cells.items():
                    values[index] = value
                yield number, tuple(values)


# --- The two ways through a sheet's XML -----------------------------------------------------
# Both yield, per row, its ``r`` attribute and its cells as (column letters of ``r``, t, s,
# text): the text of ``v``, or for an inline string the text of ``is`` (None without one).


def _parsed_rows(handle) -> Iterator[tuple[str | None, list[tuple]]]:
    """With ``iterparse``: any well-formed sheet (what follows its rows is not read)."""
    bounded = Bounded(handle)
    for _event, node in _events(bounded):
        if node.tag != ROW:
            if node.tag == SHEET_DATA:
                return
            continue
        bounded.mark()
        cells = []
        for cell in node.iterfind(CELL):
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                inline = cell.find(INLINE)
                text = _text(inline) if inline is not None else None
            else:
                found = cell.find(VALUE)
                text = found.text if found is not None else None
            ref = cell.get("r")
            letters = ref.rstrip("0123456789") if ref else None
            cells.append((letters, kind, cell.get("s"), text))
        given = node.get("r")
        node.clear()  # an empty element stays per row: a few MB for 100,000 rows
        yield given, cells
