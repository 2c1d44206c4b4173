"""Spreadsheet import, declared once per model: template, parse, check, error file, commit, undo.

An app describes its sheet with ``Column``s on an ``Importer`` subclass and implements three
hooks: ``validate_row`` (the model's rules, with lookups prefetched by ``prepare``), ``create``
(one call to the app's create service) and ``delete`` (its delete service, for undo). Everything
else is shared:

* ``template()``: an .xlsx with the headers in the user's language, a frozen header row,
  comments and a help sheet explaining each column, text-formatted code/ID/phone columns (so
  Excel keeps leading zeros and all 18 digits) and drop-down lists for choice columns.
* ``parse(file)``: finds the header row by name (any order, spaces and ``*`` ignored), converts
  each cell and collects *every* error as (row as Excel numbers it, column, message).
* ``validate(result, actor)``: ``prepare`` prefetches lookups into dicts (no query per row),
  then ``validate_row`` runs on every row, duplicates within the file included.
* ``error_file(result)``: the uploaded rows again, bad cells highlighted, plus an error column.
  It can be corrected and uploaded again as it is: unknown columns are ignored.
* ``commit(result, actor, batch_id)``: every row through the create service in one transaction;
  the first failure rolls everything back. Each object records ``batch_id``.
* ``undo(batch_id, actor)``: deletes the batch through the delete service in one transaction,
  refusing while anything outside the batch depends on it.

Conversions and checks stay in Python dicts so that checking runs at tens of thousands of rows
per second; the services do the writing.
"""

from .base import Importer, Progress, get_importer, register
from .columns import KINDS, TEXT_KINDS, CellInvalid, Column, normalize_header
from .results import CellError, ImportContext, ImportFailed, ParseResult, Row

__all__ = [
    "KINDS",
    "TEXT_KINDS",
    "CellError",
    "CellInvalid",
    "Column",
    "ImportContext",
    "ImportFailed",
    "Importer",
    "ParseResult",
    "Progress",
    "Row",
    "get_importer",
    "normalize_header",
    "register",
]
