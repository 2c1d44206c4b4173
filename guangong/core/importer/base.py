"""The Importer base class: check, commit and undo, with the app's hooks (parsing: reading.py)."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.db.models.deletion import Collector, ProtectedError
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..actions import batch
from . import preview as previews
from . import workbook
from .columns import TEXT_KINDS, Column
from .reading import Progress, SheetReading
from .results import CellError, ImportContext, ImportFailed, ParseResult, Row


def messages_of(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    if isinstance(exc, Http404):
        return [_("It is outside your scope.")]
    if isinstance(exc, PermissionDenied):
        return [str(exc) or _("You do not have permission to do this.")]
    return [str(exc)]


_registry: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer reachable by its model's label (for background jobs)."""
    _registry[importer.label()] = importer
    return importer


def get_importer(label: str) -> type[Importer]:
    return _registry[label]


class Importer(SheetReading):
    model: type[models.Model]
    columns: Sequence[Column] = ()
    #: The data sheet's name, and the page's title; the model's plural name by default.
    title: str = ""
    #: The model field that records the import batch (a CharField of 32).
    batch_field = "import_batch"
    #: More rows than this are refused outright.
    max_rows = 200_000
    #: How many rows at the top of each sheet are searched for the header row.
    header_scan_rows = 10
    #: Errors kept for display (all of them are counted and go into the error file).
    errors_kept = 1000
    #: Extra lines for the help sheet and the import page (lazy strings).
    notes: Sequence[str] = ()
    #: URL names of the import page and of the list the imported objects show in.
    start_url_name = ""
    list_url_name = ""

    # -- hooks --------------------------------------------------------------------------------

    def prepare(self, context: ImportContext, rows: list[Row]) -> None:
        """Prefetch lookups for ``validate_row`` into ``context.data``: a few queries in all."""

    def validate_row(self, row: Row, context: ImportContext) -> dict | None:
        """Apply the model's rules to one converted row.

        Return the cleaned values (or None to keep ``row.values``); raise ``ValidationError``
        keyed by field names for what is wrong. ``row.failed`` lists fields whose cell did not
        convert (their value is the column's empty value).
        """
        return None

    def create(self, values: dict, context: ImportContext) -> models.Model:
        """Create one object through the app's service; record ``context.batch_id``."""
        raise NotImplementedError

    def delete(self, obj: models.Model, context: ImportContext) -> None:
        """Delete one object of a batch through the app's service."""
        raise NotImplementedError

    def bulk_context(self):
        """A context entered inside the commit's and the undo's transaction (e.g. deferring
        rollup counters until every row is in)."""
        return contextlib.nullcontext()

    def undo_blockers(self, objects: list[models.Model]) -> list[str]:
        """What outside the batch still depends on its objects, in words (empty: undo may run).

        By default: rows of other models that protect them (PROTECT/RESTRICT foreign keys).
        """
        collector = Collector(using=self.model._default_manager.db)
        try:
            collector.collect(objects)
        except ProtectedError as exc:
            return self._describe_dependants(exc.protected_objects)
        return []

    def display(self, field_name: str, value) -> str:
        """How a cleaned value reads in the preview of a check."""
        if value is None:
            return ""
        if isinstance(value, datetime.date):
            return value.isoformat()
        column = self.column(field_name)
        if column is not None and column.kind == "choice":
            for label, choice in column.choices().items():
                if choice == value:
                    return str(label)
        return str(value)

    # -- description --------------------------------------------------------------------------

    @classmethod
    def label(cls) -> str:
        return cls.model._meta.label_lower

    def get_title(self) -> str:
        return str(self.title or capfirst(self.model._meta.verbose_name_plural))

    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def column(self, field_name: str) -> Column | None:
        for column in self.columns:
            if column.field == field_name:
                return column
        return None

    def header_for(self, field_name: str) -> str:
        column = self.column(field_name)
        return str(column.header) if column is not None else ""

    def format_label(self, column: Column) -> str:
        return {
            "text": _("Text"),
            "int": _("Whole number"),
            "decimal": _("Number"),
            "date": _("Date, e.g. 2024-05-01"),
            "choice": _("One of the list"),
            "id_number": _("ID number, 18 characters"),
            "phone": _("Phone number"),
        }[column.kind]

    def column_help(self) -> list[dict]:
        """One line per column for the help sheet and the import page."""
        return [
            {
                "header": str(column.header),
                "required": column.required,
                "format": self.format_label(column),
                "help": str(column.help),
                "example": str(column.example),
            }
            for column in self.columns
        ]

    def _max_length(self, column: Column) -> int | None:
        if column.max_length is not None or column.kind not in TEXT_KINDS:
            return column.max_length
        try:
            return self.model._meta.get_field(column.field).max_length
        except FieldDoesNotExist:  # a column need not be a model field
            return None

    def _validators(self, column: Column) -> list:
        """The validators of the model field a column fills (none for other columns)."""
        try:
            return list(self.model._meta.get_field(column.field).validators)
        except FieldDoesNotExist:
            return []

    # -- files --------------------------------------------------------------------------------

    def template(self) -> bytes:
        """The blank .xlsx to fill in (see ``workbook.template``)."""
        return workbook.template(self)

    def error_file(self, result: ParseResult) -> bytes:
        """The upload again with its errors marked (see ``workbook.error_file``)."""
        return workbook.error_file(self, result)

    def template_filename(self) -> str:
        return _("%(title)s import template.xlsx") % {"title": self.get_title()}

    def general_notes(self) -> list[str]:
        return [
            _("One row per record, below the header row. Do not rename the headers."),
            _("Columns with red headers are required."),
            _("Dates as 2024-05-01; codes and phone numbers are kept as text."),
            _("Nothing is saved until every row is correct; the check lists every error."),
        ]

    # -- check --------------------------------------------------------------------------------

    def validate(self, result: ParseResult, actor, progress: Progress | None = None) -> ParseResult:
        """Run ``prepare`` then ``validate_row`` on every row; errors go onto the rows."""
        if result.file_errors:
            return result
        context = ImportContext(self, actor)
        self.prepare(context, result.rows)
        total = len(result.rows)
        for done, row in enumerate(result.rows, start=1):
            context.row_number = row.number
            try:
                cleaned = self.validate_row(row, context)
            except ValidationError as exc:
                self._add_errors(row, exc)
            else:
                if cleaned is not None:
                    row.values = cleaned
            if progress is not None:
                progress(done, total)
        return result

    def load(self, file, actor, progress: Progress | None = None) -> ParseResult:
        return self.validate(self.parse(file, progress), actor, progress)

    def _add_errors(self, row: Row, exc: ValidationError) -> None:
        known = {(e.column, e.message) for e in row.errors}
        items = exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.error_list)]
        for name, errors in items:
            header = "" if name in (None, NON_FIELD_ERRORS) else self.header_for(name)
            for error in errors:
                for message in ValidationError(error).messages:
                    if (header, message) not in known:
                        known.add((header, message))
                        row.errors.append(CellError(row.number, header, message))

    def warn(self, row: Row, field_name: str, message: str) -> None:
        """Note on ``row`` something to verify that does not block a confirmed import."""
        row.warnings.append(CellError(row.number, self.header_for(field_name), message))

    def summary(self, result: ParseResult) -> dict:
        """What a job keeps of a check: counts and the first ``errors_kept`` errors (and
        warnings)."""
        errors = result.errors
        warnings = result.warnings
        return {
            "rows": len(result.rows),
            "error_count": len(errors),
            "bad_rows": result.bad_rows,
            "errors": [e.as_list() for e in errors[: self.errors_kept]],
            "warning_count": len(warnings),
            "warnings": [w.as_list() for w in warnings[: self.errors_kept]],
            "sheet": result.sheet,
        }

    def preview(self, result: ParseResult, limit: int = 20) -> dict:
        """The first rows as they will be saved, sensitive cells masked (``previews.build``)."""
        return previews.build(self, result, limit)

    def preview_rows(self, kept: dict, clear: bool) -> list[list]:
        """The rows of a kept preview as a viewer reads them (``previews.rows_for``)."""
        return previews.rows_for(self, kept, clear)

    def sensitive_columns(self) -> list[Column]:
        return [column for column in self.columns if column.sensitive]

    # -- commit and undo ----------------------------------------------------------------------

    def commit(
        self, result: ParseResult, actor, batch_id: str, progress: Progress | None = None
    ) -> list[models.Model]:
        """Create every row through the service, all in one transaction; returns the objects.

        The first row the service refuses raises ``ImportFailed`` and nothing is kept.
        """
        if not result.ok:
            raise ValueError("commit() needs a checked result without errors")
        context = ImportContext(self, actor, batch_id)
        total = len(result.rows)
        with batch("import"), self.bulk_context():  # the rows' actions, as one unit
            for done, row in enumerate(result.rows, start=1):
                context.row_number = row.number
                try:
                    context.created[row.number] = self.create(row.values, context)
                except (ValidationError, PermissionDenied, Http404) as exc:
                    raise ImportFailed(row.number, messages_of(exc)) from exc
                if progress is not None:
                    progress(done, total)
        return list(context.created.values())

    def batch(self, batch_id: str):
        return self.model._default_manager.filter(**{self.batch_field: batch_id})

    def undo(self, batch_id: str, actor, progress: Progress | None = None) -> int:
        """Delete what the batch created, newest first, in one transaction; returns the count.

        Refused (ValidationError) if the batch is gone, partly outside the actor's scope, or
        something outside the batch now depends on its objects.
        """
        context = ImportContext(self, actor, batch_id)
        with batch("undo import"), self.bulk_context():
            objects = list(self.batch(batch_id).order_by("-pk"))
            if not objects:
                raise ValidationError(_("Nothing to undo: the records of this import are gone."))
            editable = self.model._default_manager.editable_by(actor).filter(
                pk__in=[o.pk for o in objects]
            )
            if editable.count() != len(objects):
                raise ValidationError(
                    _("Some records of this import are outside your scope; you cannot undo it.")
                )
            blockers = self.undo_blockers(objects)
            if blockers:
                shown = blockers[:10]
                more = len(blockers) - len(shown)
                text = "；".join(shown)
                if more:
                    text += " " + _("(and %(n)d more)") % {"n": more}
                raise ValidationError(
                    _(
                        "This import cannot be undone: records were added to what it created "
                        "since. Remove them first: %(what)s"
                    )
                    % {"what": text}
                )
            total = len(objects)
            for done, obj in enumerate(objects, start=1):
                try:
                    self.delete(obj, context)
                except (PermissionDenied, Http404) as exc:
                    raise ValidationError(messages_of(exc)) from exc
                if progress is not None:
                    progress(done, total)
        return total

    def _describe_dependants(self, dependants: Iterable[models.Model]) -> list[str]:
        """'恒泰纺织有限公司: leadership positions (2)' per batch object with dependants."""
        counts: dict[tuple[str, str], int] = {}
        for obj in dependants:
            owner = self._owner_in_batch(obj)
            label = capfirst(obj._meta.verbose_name_plural)
            counts[(owner, str(label))] = counts.get((owner, str(label)), 0) + 1
        return [
            _("%(object)s: %(what)s (%(n)d)") % {"object": owner, "what": label, "n": n}
            if owner
            else _("%(what)s (%(n)d)") % {"what": label, "n": n}
            for (owner, label), n in counts.items()
        ]

    def _owner_in_batch(self, dependant: models.Model) -> str:
        for f in dependant._meta.concrete_fields:
            if f.is_relation and f.related_model is self.model:
                owner = getattr(dependant, f.name, None)
                if owner is not None:
                    return str(owner)
        return ""
