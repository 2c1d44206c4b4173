"""What parsing, checking and committing produce and share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .base import Importer


class ImportFailed(Exception):
    """The commit stopped at a row; the transaction has rolled back and nothing was saved."""

    def __init__(self, row: int, messages: Sequence[str]):
        self.row = row
        self.messages = list(messages)
        super().__init__(
            _("Row %(row)d: %(message)s Nothing was imported.")
            % {"row": row, "message": " ".join(self.messages)}
        )


@dataclass(slots=True)
class CellError:
    row: int  # as Excel numbers it (the header row is usually 1)
    column: str  # the column's header; "" for the row or the file as a whole
    message: str

    def as_list(self) -> list:
        return [self.row, self.column, self.message]


@dataclass(slots=True)
class Row:
    number: int
    values: dict
    errors: list[CellError] = field(default_factory=list)
    #: Fields whose cell did not convert: validate_row skips the rules that need them.
    failed: set[str] = field(default_factory=set)
    #: What the user should verify but may import anyway, once they confirm it.
    warnings: list[CellError] = field(default_factory=list)


@dataclass
class ParseResult:
    rows: list[Row] = field(default_factory=list)
    #: Problems with the file itself (not an .xlsx, missing required headers …).
    file_errors: list[CellError] = field(default_factory=list)
    sheet: str = ""
    header_row: int = 0
    #: Column index (0-based) in the file of each field found.
    positions: dict[str, int] = field(default_factory=dict)
    source: bytes = b""

    @property
    def errors(self) -> list[CellError]:
        """Every error, the file's first, then by row in the order found."""
        return self.file_errors + [e for row in self.rows for e in row.errors]

    @property
    def warnings(self) -> list[CellError]:
        """What does not block an import the user confirmed, by row."""
        return [w for row in self.rows for w in row.warnings]

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    @property
    def bad_rows(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)


class ImportContext:
    """What one parse, check or commit shares across rows: the actor, lookups, what is new."""

    def __init__(self, importer: Importer, actor, batch_id: str = ""):
        self.importer = importer
        self.actor = actor
        self.batch_id = batch_id
        self.row_number = 0
        #: The importer's prefetched lookups (``prepare``).
        self.data: dict[str, Any] = {}
        #: Objects created so far in a commit, by row number.
        self.created: dict[int, models.Model] = {}
        self._seen: dict[tuple, int] = {}

    def first_seen(self, key: str, value) -> int | None:
        """For uniqueness within the file: the earlier row with this value, else remember it."""
        marker = (key, value)
        earlier = self._seen.get(marker)
        if earlier is None:
            self._seen[marker] = self.row_number
        return earlier
