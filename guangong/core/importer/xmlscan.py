"""The fast way through a sheet's XML: regular expressions over the plain form spreadsheet
programs write (``_scannable``), block by block. The reader (``xlsx``) falls back to
``iterparse`` for any other form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import bounds

MAIN_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class Unsupported(Exception):
    """The file is a zip this reader cannot read as a workbook."""


#: Bytes read at once by the scanner, and of the prolog examined before it is chosen.
BLOCK = 1 << 22
PROLOG = 4096
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_DEFAULT_NAMESPACE = rb"""\sxmlns\s*=\s*["']""" + re.escape(MAIN_NAMESPACE).encode() + rb"""["']"""
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
        if len(buffer) > bounds.MAX_ROW_BYTES:
            raise bounds.row_too_large()
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
            cut = _rows_end(buffer)
            if cut < 0:
                if len(buffer) > bounds.MAX_ROW_BYTES:
                    raise bounds.row_too_large()
                continue
            piece, buffer = buffer[:cut], buffer[cut:]
        yield from _rows_of(piece.decode("utf-8"))
        if end >= 0:
            return


def _rows_end(buffer: bytes) -> int:
    """Where the last complete row in ``buffer`` ends (after ``</row>``, or after a row
    written as ``<row …/>``); -1 if none does."""
    end = buffer.rfind(b"</row>")
    cut = end + 6 if end >= 0 else -1
    start = buffer.rfind(b"<row")
    if start > cut:
        close = buffer.find(b">", start)
        if close > 0 and buffer[close - 1 : close] == b"/":
            cut = close + 1
    return cut


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
