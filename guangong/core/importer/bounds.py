"""Bounds on what an uploaded workbook may make the reader do.

Before anything is read, ``check_archive`` looks at the sizes the zip's directory declares
(``zipfile`` never unpacks more than the declared size of a part, and fails on its checksum
if there is more): the number of parts, the size of each and of all, and how many times a part
outgrows its compressed size. While reading, the XML of one row, the length of one string and
the position of a column are bounded. Past a bound the reader raises ``TooLarge``, whose message
is shown to the user; the file is not read again by another reader.
"""

from __future__ import annotations

import zipfile

from django.utils.translation import gettext as _


class TooLarge(Exception):
    """The file unpacks to more than an import may read; the message says so to the user."""


#: Bounds on what an upload unpacks to, checked before any part is read. A real sheet of
#: 200,000 rows of fourteen columns is about 200 MB of XML, compressed 10 to 13 times; its
#: other parts (workbook, styles, relationships…) are a few hundred KB at most.
MAX_PARTS = 1000
MAX_PART_BYTES = 512 << 20  # a sheet or the shared strings
MAX_OTHER_PART_BYTES = 64 << 20  # any other part
MAX_TOTAL_BYTES = 1 << 30
MAX_RATIO = 100
#: Parts smaller than this may be compressed any number of times (a few KB of spaces).
RATIO_GRACE_BYTES = 1 << 20
#: Bounds while reading: the XML of one row, one string (Excel's own limit) and the columns.
MAX_ROW_BYTES = 16 << 20
MAX_CELL_CHARS = 32_767
MAX_COLUMNS = 16_384  # A … XFD


def check_archive(archive: zipfile.ZipFile) -> None:
    """Raise ``TooLarge`` unless every part of ``archive`` unpacks within the bounds.

    The sizes are those the zip's directory declares; ``zipfile`` never unpacks more than the
    declared size of a part (and fails on its checksum if there is more).
    """
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise TooLarge(
            _(
                "The file holds %(n)d parts, far more than a workbook does. Save the sheet "
                "again as a new .xlsx file."
            )
            % {"n": len(infos)}
        )
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        limit = MAX_PART_BYTES if _holds_cells(info.filename) else MAX_OTHER_PART_BYTES
        if size > limit or total > MAX_TOTAL_BYTES:
            raise TooLarge(
                _(
                    "The file unpacks to more than %(mb)d MB, more than any sheet that may be "
                    "imported. Remove what is not needed, or split it into several files."
                )
                % {"mb": (limit if size > limit else MAX_TOTAL_BYTES) >> 20}
            )
        if size > RATIO_GRACE_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            raise TooLarge(
                _(
                    "The file unpacks to %(n)d times its size, which no spreadsheet program "
                    "writes. Save the sheet again as a new .xlsx file."
                )
                % {"n": size // max(info.compress_size, 1)}
            )


def _holds_cells(name: str) -> bool:
    """A sheet or the shared strings, as spreadsheet programs name them."""
    return name.startswith("xl/worksheets/") or name.startswith("xl/sharedStrings")


def row_too_large() -> TooLarge:
    return TooLarge(
        _("A row of the sheet holds more than %(mb)d MB. Shorten its cells.")
        % {"mb": MAX_ROW_BYTES >> 20}
    )


def cell_too_long() -> TooLarge:
    return TooLarge(
        _("A cell holds more than %(n)d characters, more than Excel allows. Shorten it.")
        % {"n": MAX_CELL_CHARS}
    )


class Bounded:
    """A part being parsed that refuses to hand over more than ``MAX_ROW_BYTES`` between two
    calls of ``mark`` (one row, one string): expat would keep a huge text node whole."""

    def __init__(self, handle):
        self.handle = handle
        self.count = self.marked = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.count += len(data)
        if self.count - self.marked > MAX_ROW_BYTES:
            raise row_too_large()
        return data

    def mark(self) -> None:
        self.marked = self.count


def beyond_last_column() -> TooLarge:
    return TooLarge(_("A cell lies beyond the last column Excel allows (XFD). Delete it."))
