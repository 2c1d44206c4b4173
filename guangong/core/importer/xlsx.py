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
loads external entities.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
LETTERS = "$ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"

ROW, CELL, VALUE = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v"
INLINE, TEXT, RUN = f"{MAIN}is", f"{MAIN}t", f"{MAIN}r"
SHEET_DATA, DIMENSION = f"{MAIN}sheetData", f"{MAIN}dimension"


def _events(handle, events=("end",)):
    return iterparse(handle, events)  # noqa: S314 - see the module's notes


class Unsupported(Exception):
    """The file is a zip this reader cannot read as a workbook."""


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
                return
        with self.archive.open(part) as handle:
            for _event, node in _events(handle):
                if node.tag == f"{MAIN}si":
                    strings.append(_text(node).replace("x005F_", ""))
                    node.clear()

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
                for _event, node in _events(handle, ("start",)):
                    if node.tag == DIMENSION:
                        last = node.get("ref", "").rpartition(":")[2].lstrip(LETTERS)
                        self._max_row = int(last) if last.isdigit() else 0
                        break
                    if node.tag == SHEET_DATA:
                        break
        return self._max_row

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
                            column = columns[letters] = _column_index(letters)
                    else:
                        column += 1
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
    """With ``iterparse``: any well-formed sheet."""
    for _event, node in _events(handle):
        if node.tag != ROW:
            continue
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


#: Bytes read at once by the scanner, and of the prolog examined before it is chosen.
BLOCK = 1 << 22
PROLOG = 4096
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_DEFAULT_NAMESPACE = rb"""\sxmlns\s*=\s*["']""" + re.escape(MAIN[1:-1]).encode() + rb"""["']"""
_TOKEN_RE = re.compile(
    r"<row\b([^>]*?)(/?)>"
    r'|<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?(\s[^>]*?)?'
    r"(?:/>|>(?:<v>([^<&\r]*)</v>|<is><t>([^<&\r]*)</t></is>|(.*?))</c>)"
    r"|<c\b([^>]*?)(?:/>|>(.*?)</c>)"
    r"|</row>",
    re.S,
)
_ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_V_RE = re.compile(r"<v\b[^>]*?(?:/>|>(.*?)</v>)", re.S)
_IS_RE = re.compile(r"<is\b[^>]*?(?:/>|>(.*?)</is>)", re.S)
_SI_RE = re.compile(r"<si\b[^>]*?(?:/>|>(.*?)</si>)", re.S)
_T_RE = re.compile(r"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)
_PHONETIC_RE = re.compile(r"<rPh\b.*?</rPh>|<rPh\b[^>]*/>", re.S)
_ENTITY_RE = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
#: Text that is nothing but decimal character references, as openpyxl writes any non-ASCII
#: text (姓名 → ``&#22995;&#21517;``): decoded with one split instead of a callback per
#: reference.
_ONLY_DECIMAL_REFS_RE = re.compile(r"(?:&#[0-9]+;)+")


def _scannable(head: bytes, root: bytes) -> bool:
    """Whether a part's XML is in the plain form spreadsheet programs write: UTF-8, the
    main namespace as the default one of the ``root`` element (no element prefixes), no
    document type."""
    declared = _DECLARED_ENCODING.match(head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return False
    pattern = rb"<" + root + rb"\b[^>]*" + _DEFAULT_NAMESPACE
    return b"<!" not in head and re.search(pattern, head) is not None


def _entity(match) -> str:
    name = match.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))
    return _ENTITIES[name]


def _xml_text(raw: str) -> str:
    """Character data as a parser gives it: line ends normalised, references resolved."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        if _ONLY_DECIMAL_REFS_RE.fullmatch(raw):
            return "".join(map(chr, map(int, raw[2:-1].split(";&#"))))
        raw = _ENTITY_RE.sub(_entity, raw)
    return raw


def _inline_text(raw: str) -> str:
    """``_text`` of an ``is`` or ``si`` element's inner XML."""
    if "<rPh" in raw:
        raw = _PHONETIC_RE.sub("", raw)
    return "".join(_xml_text(t or "") for t in _T_RE.findall(raw))


def _scanned_rows(handle) -> Iterator[tuple[str | None, list[tuple]]]:
    """With regular expressions over the text between ``<sheetData>`` and its end, block by
    block, for the plain form ``_scannable`` accepts; ``Unsupported`` (the caller falls back
    to openpyxl) at anything else met on the way: comments, CDATA, processing instructions."""
    buffer = b""
    while True:
        block = handle.read(BLOCK)
        buffer += block
        start = buffer.find(b"<sheetData")
        if start >= 0:
            break
        if not block:
            return
        buffer = buffer[-64:]
    close = buffer.find(b">", start)
    while close < 0:
        block = handle.read(BLOCK)
        if not block:
            raise Unsupported("unterminated sheetData")
        buffer += block
        close = buffer.find(b">", start)
    if buffer[close - 1 : close] == b"/":  # <sheetData/>: no rows
        return
    buffer = buffer[close + 1 :]
    while True:
        block = handle.read(BLOCK)
        buffer += block
        if b"<!" in buffer or b"<?" in buffer:
            raise Unsupported("markup the scanner does not read")
        end = buffer.find(b"</sheetData")
        if end >= 0:
            piece, buffer = buffer[:end], b""
        elif not block:
            raise Unsupported("unterminated sheetData")
        else:
            cut = buffer.rfind(b"</row>")
            if cut < 0:
                continue
            piece, buffer = buffer[: cut + 6], buffer[cut + 6 :]
        yield from _rows_of(piece.decode("utf-8"))
        if end >= 0:
            return


def _rows_of(text: str) -> Iterator[tuple[str | None, list[tuple]]]:
    given: str | None = None
    cells: list[tuple] = []
    for token in _TOKEN_RE.finditer(text):
        row, closed, letters, style, kind, rest, v, t, content, attributes, other = token.groups()
        if row is not None:  # <row …> or <row …/>
            given, cells = _attributes(row).get("r"), []
            if closed:
                yield given, cells
        elif letters is not None:  # a cell as spreadsheet programs write it: r, s, t in order
            if rest:  # more attributes, or these in another order
                found = _attributes(rest)
                kind, style = kind or found.get("t"), style or found.get("s")
            kind = kind or "n"
            if v is not None:
                value = v if kind != "inlineStr" else None
            elif t is not None:
                value = t if kind == "inlineStr" else None
            else:
                value = _cell_text(kind, content or "")
            cells.append((letters, kind, style, value))
        elif attributes is not None:  # any other cell
            found = _attributes(attributes)
            kind = found.get("t", "n")
            ref = found.get("r")
            letters = ref.rstrip("0123456789") if ref else None
            cells.append((letters, kind, found.get("s"), _cell_text(kind, other or "")))
        else:  # </row>
            yield given, cells


def _cell_text(kind: str, content: str) -> str | None:
    if kind == "inlineStr":
        inline = _IS_RE.search(content)
        return None if inline is None else _inline_text(inline.group(1) or "")
    v = _V_RE.search(content)
    return None if v is None or v.group(1) is None else _xml_text(v.group(1))


def _attributes(text: str) -> dict[str, str]:
    return {name: a or b for name, a, b in _ATTR_RE.findall(text)}
