"""The shared part of the elder and young-person sheets (``people.importers`` declares each).

Checking costs no query per row: ``prepare`` fetches, for the whole file, the organisations it
names (within the user's scope), the records already holding its ID numbers or sharing a name
and birth date with a row (``import_lookups``) and the dictionary items. A match inside the
user's scope is named by its organisation; one outside it is only said to be “outside your
scope”, audited and counted against the user's daily limit (``people.dupcheck``). Saving does
not go through ``save_person`` row by row (about ten queries a row) but through
``people.bulk``: batched inserts, many-to-many rows and one audit row per person, in the
import's ``batch()``. Undo deletes a batch the same way (``people.bulk_delete``), refused while
any of its people has gained mentorships, team leadership or merged records.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core import crypto, idnumber
from guangong.core.actions import batch
from guangong.core.importer import ImportContext, Importer, Row
from guangong.core.importer.base import messages_of
from guangong.core.importer.results import CellError, CreatedObjects, ImportFailed
from guangong.core.scope import in_scope
from guangong.core.validators import validate_mobile
from guangong.orgs.models import Organization

from . import bulk, bulk_delete, dupcheck
from . import import_lookups as lookups
from .import_common import (
    OrgLookup,
    add_error,
    multi_converter,
)
from .models import Elder, Youth


class PersonImporter(Importer):
    """The shared part of the elder and youth sheets."""

    model: type[Elder] | type[Youth]
    #: Choice columns that take several items, separated by 、 or a comma.
    multi_fields: tuple[str, ...] = ()
    #: Fields taking a dictionary item (a pk) by foreign key.
    fk_fields: tuple[str, ...] = ()
    notes = (
        gettext_lazy(
            "Type ID numbers into a column formatted as Text (the template's is): Excel "
            "rounds an 18-digit number and loses its last digits."
        ),
        gettext_lazy(
            "Sex and birth date may be left empty: they are read from the ID number. When "
            "given, they must agree with it."
        ),
        gettext_lazy(
            "An ID number already registered anywhere is refused, naming the organisation "
            "that holds it when that is within your scope."
        ),
        gettext_lazy(
            "The ID number may be left empty; sex and birth date are then required. A person "
            "with the same name and birth date as someone already registered (or in another "
            "row) is listed to verify: the import then needs your confirmation."
        ),
    )

    def _plan(self, positions):
        plan = super()._plan(positions)
        for index, (position, column, header, _convert) in enumerate(plan):
            if column.field in self.multi_fields:
                plan[index] = (position, column, header, multi_converter(column))
        return plan

    def template(self) -> bytes:
        """The generic template, with the drop-down of a multi-item column left open to typing
        several items (Excel would refuse "老干部、老教师" from a strict list)."""
        import io

        from openpyxl import load_workbook
        from openpyxl.utils import get_column_letter

        content = super().template()
        if not self.multi_fields:
            return content
        wb = load_workbook(io.BytesIO(content))
        ws = wb.worksheets[0]
        letters = {
            get_column_letter(i)
            for i, column in enumerate(self.columns, start=1)
            if column.field in self.multi_fields
        }
        for validation in ws.data_validations.dataValidation:
            if str(validation.sqref).split(":")[0].rstrip("0123456789") in letters:
                validation.showErrorMessage = False
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()

    def display(self, field_name: str, value) -> str:
        if field_name == "organization" and isinstance(value, Organization):
            return value.name
        if field_name in self.multi_fields and isinstance(value, list):
            labels = {v: str(k) for k, v in self.column(field_name).choices().items()}
            return "、".join(labels.get(v, str(v)) for v in value)
        return super().display(field_name, value)

    # -- check --------------------------------------------------------------------------------

    def validate(self, result, actor, progress=None):
        """The rows' checks; and a file that would tell about more people registered outside
        the user's scope than today's limit allows fails as a whole (``people.dupcheck``),
        without saying which rows matched them."""
        self._refused = False
        result = super().validate(result, actor, progress)
        if self._refused:
            result.file_errors.append(CellError(0, "", dupcheck.import_limit_message()))
        return result

    def prepare(self, context: ImportContext, rows: list[Row]) -> None:
        orgs = OrgLookup(context.actor, (row.values["organization"] for row in rows))
        numbered = [
            (row.number, value)
            for row in rows
            if (value := row.values.get("id_number")) and "id_number" not in row.failed
        ]
        hashes = dict(
            zip(
                (number for number, _value in numbered),
                crypto.blind_indexes(value for _number, value in numbered),
                strict=True,
            )
        )
        registered = lookups.registered_ids(self.model, hashes.values())
        context.data.update(orgs=orgs, hashes=hashes, registered=registered)
        keys = {row.number: key for row in rows if (key := lookups.name_and_birth(row)) is not None}
        context.data["name_and_birth"] = keys
        context.data["same_name"] = lookups.same_name_and_birth(self.model, set(keys.values()))
        hits = self._hits_elsewhere(context, rows)
        context.data["answer_elsewhere"] = dupcheck.answer(context.actor, hits)
        self._refused = not context.data["answer_elsewhere"]

    def _same_name_others(self, row: Row, context: ImportContext, id_hash: str) -> list:
        """Registered records with the row's name and birth date (not the row's own ID
        number): those inside the actor's scope first."""
        key = context.data["name_and_birth"].get(row.number)
        if key is None:
            return []
        found = context.data["same_name"].get(key, ())
        others = [m for m in found if not (id_hash and m.id_hash == id_hash)]
        return sorted(others, key=lambda m: not in_scope(context.actor, m.org_path))

    def _hits_elsewhere(self, context: ImportContext, rows: list[Row]) -> list[dupcheck.Hit]:
        """What the rows' checks would tell about records outside the actor's scope: an ID
        number registered there (its first row), a name and birth date found only there."""
        data, actor, hits, seen = context.data, context.actor, [], set()
        for row in rows:
            id_hash = data["hashes"].get(row.number, "")
            match = data["registered"].get(id_hash) if id_hash not in seen else None
            seen.add(id_hash)
            if match is not None and not in_scope(actor, match.org_path):
                label = idnumber.mask(row.values["id_number"])
                hits.append(dupcheck.Hit(self.model, match.pk, dupcheck.ID, label))
            if "name" not in row.failed and (id_hash or "id_number" not in row.failed):
                others = self._same_name_others(row, context, id_hash)
                if others and not in_scope(actor, others[0].org_path):
                    hits.append(dupcheck.Hit(self.model, others[0].pk, dupcheck.NAME))
        return hits

    def _warn_same_name(self, row: Row, context: ImportContext, id_hash: str) -> None:
        """“与某某单位登记的某某同名同出生日期，请核实”: only the owning organisation is named,
        and only inside the user's scope."""
        data = context.data
        key = data["name_and_birth"].get(row.number)
        if key is None:
            return
        seen = data.setdefault("rows_by_name_birth", {})
        in_file = seen.get(key)
        others = self._same_name_others(row, context, id_hash)
        if in_file is None:  # the usual case: a pair met for the first time
            seen[key] = [(row.number, id_hash)]
            if not others:
                return
            in_file = []
        else:
            in_file.append((row.number, id_hash))
        earlier = next((n for n, other in in_file[:-1] if not (id_hash and other == id_hash)), None)
        if others and in_scope(context.actor, others[0].org_path):
            self.warn(
                row,
                "name",
                _(
                    "%(name)s, registered at %(org)s, has the same name and birth date; "
                    "please verify."
                )
                % {"name": key[0], "org": others[0].org_name},
            )
        elif others and data["answer_elsewhere"]:  # not answered: the file fails as a whole
            self.warn(
                row,
                "name",
                _(
                    "%(name)s: someone with the same name and birth date is registered outside "
                    "your scope; please verify."
                )
                % {"name": key[0]},
            )
        elif earlier is not None:
            self.warn(
                row,
                "name",
                _("Row %(row)d of this file has the same name and birth date; please verify.")
                % {"row": earlier},
            )

    def validate_row(self, row: Row, context: ImportContext) -> dict:
        data = context.data
        values = dict(row.values)
        errors: dict[str, list[str]] = {}
        if "organization" not in row.failed:
            try:
                values["organization"] = data["orgs"].resolve(values["organization"])
            except ValidationError as exc:
                errors["organization"] = exc.messages
        value = values.get("id_number") or ""
        id_hash = data["hashes"].get(row.number, "")
        values["id_hash"] = id_hash
        if id_hash:
            earlier = context.first_seen("id_number", id_hash)
            if earlier is not None:
                add_error(
                    errors,
                    "id_number",
                    _("Row %(row)d of this file has the same ID number.") % {"row": earlier},
                )
            elif (match := data["registered"].get(id_hash)) is not None:
                if in_scope(context.actor, match.org_path):
                    message = _("This person is already registered at %(org)s.") % {
                        "org": match.org_name
                    }
                    add_error(errors, "id_number", message)
                elif data["answer_elsewhere"]:  # else the file fails as a whole
                    add_error(errors, "id_number", dupcheck.elsewhere_message(dupcheck.ID))
            fields = bulk.id_facts(value)
            birth = values.get("birth_date")
            if birth and birth != fields["birth_date"]:
                add_error(
                    errors, "birth_date", _("The birth date differs from the one in the ID number.")
                )
            sex = values.get("sex")
            if sex and sex != fields["sex"]:
                add_error(errors, "sex", _("The sex differs from the one in the ID number."))
        elif "id_number" not in row.failed:
            # Without an ID number, sex and birth date tell people apart.
            for name in ("sex", "birth_date"):
                if not values.get(name) and name not in row.failed:
                    add_error(errors, name, _("Required when there is no ID number."))
        if "name" not in row.failed and (id_hash or "id_number" not in row.failed):
            self._warn_same_name(row, context, id_hash)
        phone = values.get("phone")
        if phone and "phone" not in row.failed:
            try:
                validate_mobile(phone)
            except ValidationError as exc:
                errors.setdefault("phone", []).extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return values

    # -- save and undo ------------------------------------------------------------------------

    def field_values(self, values: dict) -> dict:
        """The model field values (by attribute name) of a checked row, and its organisation."""
        fields = {"organization": values["organization"]}
        for column in self.columns:
            name = column.field
            if name in ("organization", "id_number") or name in self.multi_fields:
                continue
            value = values.get(name)
            if name in self.fk_fields:
                fields[f"{name}_id"] = value
            else:
                fields[name] = "" if value is None and column.kind != "date" else value
        return fields

    def commit(self, result, actor, batch_id, progress=None):
        if not result.ok:
            raise ValueError("commit() needs a checked result without errors")
        rows = result.rows
        m2m = {name: [row.values.get(name) or [] for row in rows] for name in self.multi_fields}
        try:
            with batch(f"import:{batch_id}"):
                pks = bulk.create_rows(
                    actor,
                    self.model,
                    [self.field_values(row.values) for row in rows],
                    id_numbers=[row.values.get("id_number") or "" for row in rows],
                    hashes=[row.values.get("id_hash") or "" for row in rows],
                    m2m=m2m,
                    import_batch=batch_id,
                    progress=progress,
                )
        except (ValidationError, PermissionDenied, Http404) as exc:
            raise ImportFailed(rows[0].number if rows else 0, messages_of(exc)) from exc
        return CreatedObjects(self.model, pks)

    def undo(self, batch_id, actor, progress=None) -> int:
        try:
            return bulk_delete.delete_batch(actor, self.model, batch_id, progress)
        except (PermissionDenied, Http404) as exc:
            raise ValidationError(messages_of(exc)) from exc
