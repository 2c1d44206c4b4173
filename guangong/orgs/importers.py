"""Organisations from a spreadsheet (组织批量导入): one row per committee, parents first.

A row names its parent by division code or by exact name: an organisation in the user's scope,
or one created by a row above it. Everything the check needs is fetched in a few queries before
the rows are checked (parents named in the file, division codes already taken, names already
used under those parents), so checking costs no query per row; saving goes through
``services.create_organization`` row by row, which brings scope checks, tree rules, rollup
counts and the audit record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.importer import Column, ImportContext, Importer, Row, register
from guangong.core.scope import subtree_q

from . import rollup, services
from .models import Kind, Organization, Status

#: The fields a row fills, passed on to create_organization.
FIELDS = (
    "name",
    "short_name",
    "kind",
    "division_code",
    "status",
    "established_on",
    "dissolved_on",
    "address",
    "contact_person",
    "contact_phone",
)
#: Rows per query when looking values up (well under SQLite's limit on query parameters).
CHUNK = 500


def _chunks(values, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class NewParent:
    """A parent created by an earlier row of the same file."""

    row: int
    name: str

    def __str__(self) -> str:
        return _("%(name)s (row %(row)d)") % {"name": self.name, "row": self.row}


def _kind_choices():
    return {label: value for value, label in Kind.choices}


def _status_choices():
    return {label: value for value, label in Status.choices}


@register
class OrganizationImporter(Importer):
    model = Organization
    start_url_name = "orgs:organization_import"
    list_url_name = "orgs:organization_list"
    notes = (
        gettext_lazy(
            "Put parent organisations above their subordinates: a row may name as its parent "
            "an organisation created by a row above it."
        ),
        gettext_lazy(
            "A parent is found by its division code, or by its exact full name when no other "
            "organisation in your scope has that name."
        ),
    )
    columns = (
        Column(
            gettext_lazy("Parent organisation (division code or name)"),
            "parent",
            required=True,
            width=30,
            help=gettext_lazy(
                "The division code or exact full name of the organisation this one belongs to: "
                "one in your scope, or one in a row above."
            ),
            example="654002",
        ),
        Column(gettext_lazy("Name"), "name", required=True, width=30, example="英也尔乡"),
        Column(gettext_lazy("Short name"), "short_name", width=14),
        Column(
            gettext_lazy("Kind"),
            "kind",
            required=True,
            kind="choice",
            choices=_kind_choices,
            width=18,
            example=str(Kind.TOWNSHIP.label),
        ),
        Column(
            gettext_lazy("Division code"),
            "division_code",
            width=16,
            help=gettext_lazy(
                "Regions only: 6 digits for a county or above, 12 digits for a township or village."
            ),
            example="654002203000",
        ),
        Column(
            gettext_lazy("Committee status"),
            "status",
            kind="choice",
            choices=_status_choices,
            width=16,
            help=gettext_lazy("Empty means not established."),
        ),
        Column(gettext_lazy("Established on"), "established_on", kind="date", width=14),
        # Checked as the edit page checks it (Organization.clean_against_parent): not before
        # the establishment date; a dissolved organisation is created uncounted (rollup.key).
        Column(
            gettext_lazy("Dissolved on"),
            "dissolved_on",
            kind="date",
            width=14,
            help=gettext_lazy(
                "Only for a committee that has been dissolved; leave empty otherwise."
            ),
        ),
        Column(gettext_lazy("Address"), "address", width=30),
        Column(gettext_lazy("Contact person"), "contact_person", width=12),
        Column(gettext_lazy("Contact phone"), "contact_phone", kind="phone", width=16),
    )

    # -- check --------------------------------------------------------------------------------

    def prepare(self, context: ImportContext, rows: list[Row]) -> None:
        scope = Organization.objects.editable_by(context.actor).only(
            "pk", "name", "kind", "division_code", "path", "depth"
        )
        refs = {row.values["parent"] for row in rows if row.values["parent"]}
        codes = {row.values["division_code"] for row in rows if row.values["division_code"]}
        names = {row.values["name"] for row in rows if row.values["name"]}
        by_code: dict[str, Organization] = {}
        by_name: dict[str, list[Organization]] = {}
        for chunk in _chunks(refs):
            for org in scope.filter(Q(name__in=chunk) | Q(division_code__in=chunk)):
                if org.division_code in refs:
                    by_code[org.division_code] = org
                if org.name in refs:
                    by_name.setdefault(org.name, []).append(org)
        taken: set[str] = set()
        for chunk in _chunks(codes):  # division codes are unique across the whole tree
            taken.update(
                Organization.objects.filter(division_code__in=chunk).values_list(
                    "division_code", flat=True
                )
            )
        # The names already under the existing parents the file names, read by the
        # (depth, path) index: one query per hundred parents.
        step = Organization.steplen
        parents = {org.pk: org for org in by_code.values()}
        parents.update((org.pk, org) for orgs in by_name.values() for org in orgs)
        siblings: set[tuple[str, str]] = set()  # (parent path, name) already in the tree
        for chunk in _chunks(parents.values(), 100):
            area = Q()
            for org in chunk:
                area |= Q(depth=org.depth + 1) & subtree_q("path", org.path)
            for name, path in Organization.objects.filter(area).values_list("name", "path"):
                if name in names:
                    siblings.add((path[:-step], name))
        # Where each name or code first appears, to tell "further down" from "not found".
        first_row: dict[str, int] = {}
        for row in rows:
            for key in (row.values["name"], row.values["division_code"]):
                if key:
                    first_row.setdefault(key, row.number)
        context.data.update(
            by_code=by_code,
            by_name=by_name,
            taken=taken,
            siblings=siblings,
            first_row=first_row,
            new_by_code={},
            new_by_name={},
            stubs={},
        )

    def validate_row(self, row: Row, context: ImportContext) -> dict:
        data = context.data
        values = dict(row.values)
        values["status"] = values["status"] or Status.NONE
        errors: dict[str, list[str]] = {}
        org = Organization(**{name: values[name] for name in FIELDS})

        parent = None
        if "parent" not in row.failed:
            try:
                parent = self._resolve_parent(values["parent"], row, context)
            except ValidationError as exc:
                errors.setdefault("parent", []).extend(exc.messages)

        code = values["division_code"]
        if code:
            earlier = context.first_seen("division_code", code)
            if earlier is not None:
                errors.setdefault("division_code", []).append(
                    _("Row %(row)d of this file has the same division code.") % {"row": earlier}
                )
            elif code in data["taken"]:
                errors.setdefault("division_code", []).append(
                    Organization._meta.get_field("division_code").error_messages["unique"]
                )

        name = values["name"]
        if name and parent is not None:
            parent_key = ("row", parent.row) if isinstance(parent, NewParent) else parent.pk
            earlier = context.first_seen("name_under_parent", (parent_key, name))
            if earlier is not None:
                errors.setdefault("name", []).append(
                    _("Row %(row)d of this file already has this name under the same parent.")
                    % {"row": earlier}
                )
            elif not isinstance(parent, NewParent) and (parent.path, name) in data["siblings"]:
                errors.setdefault("name", []).append(
                    _("%(parent)s already has a subordinate organisation with this name.")
                    % {"parent": parent.name}
                )

        exclude = [f.name for f in Organization._meta.fields if f.name not in FIELDS]
        try:
            org.clean_fields(exclude=[*exclude, *row.failed])
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                errors.setdefault(field_name, []).extend(messages)
        if "kind" not in row.failed:
            stub = data["stubs"].get(parent.row) if isinstance(parent, NewParent) else parent
            self._check_against_parent(org, stub, errors)

        if name:  # later rows may hang under this one, even if it has errors of its own
            ref = NewParent(row.number, name)
            data["stubs"][row.number] = org
            data["new_by_name"].setdefault(name, []).append(ref)
            if code and "division_code" not in errors:  # a taken code still means the old one
                data["new_by_code"].setdefault(code, ref)
        if errors:
            raise ValidationError(errors)
        values["parent"] = parent
        return values

    def _resolve_parent(self, ref: str, row: Row, context: ImportContext):
        data = context.data
        matches: list = []
        if ref.isdigit():
            if ref in data["by_code"]:
                matches.append(data["by_code"][ref])
            if ref in data["new_by_code"]:
                matches.append(data["new_by_code"][ref])
        if not matches:
            matches = [*data["by_name"].get(ref, ()), *data["new_by_name"].get(ref, ())]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValidationError(
                _(
                    "%(n)d organisations in your scope are called “%(ref)s”; give the parent's "
                    "division code instead."
                )
                % {"n": len(matches), "ref": ref}
            )
        below = data["first_row"].get(ref)
        if below is not None and below > row.number:
            raise ValidationError(
                _(
                    "“%(ref)s” is in row %(row)d, further down. Put parent organisations above "
                    "their subordinates."
                )
                % {"ref": ref, "row": below}
            )
        # The same words whether it exists elsewhere or not at all: no leak outside the scope.
        raise ValidationError(_("“%(ref)s” was not found in your scope.") % {"ref": ref})

    def _check_against_parent(self, org, parent, errors) -> None:
        """The tree rules (kind under kind, code under code, dates), as the service applies them."""
        try:
            org.clean_against_parent(parent)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                if parent is None and field_name == "kind":
                    continue  # the parent is unknown, not missing: its error is already there
                for message in messages:
                    if message not in errors.get(field_name, ()):
                        errors.setdefault(field_name, []).append(message)

    # -- save and undo ------------------------------------------------------------------------

    def create(self, values: dict, context: ImportContext) -> Organization:
        parent = values["parent"]
        if isinstance(parent, NewParent):
            parent = context.created[parent.row]
        fields = {name: values[name] for name in FIELDS}
        return services.create_organization(
            context.actor, parent, import_batch=context.batch_id, **fields
        )

    def delete(self, obj: Organization, context: ImportContext) -> None:
        services.delete_organization(context.actor, obj)

    def bulk_context(self):
        # Thousands of rows under one county: adjust each ancestor's counters once, at the end.
        return rollup.deferred()

    def undo_blockers(self, objects: list[Organization]) -> list[str]:
        """Besides protecting rows (positions, accounts): organisations added under the batch."""
        found = super().undo_blockers(objects)
        batch = {org.path: org for org in objects}
        ids = {org.pk for org in objects}
        step = Organization.steplen
        tops = [org for org in objects if org.path[:-step] not in batch]
        added: dict[str, int] = {}
        for chunk in _chunks(tops, 100):
            area = Q()
            for org in chunk:
                area |= subtree_q("path", org.path)
            for path, pk in Organization.objects.filter(area).values_list("path", "pk"):
                if pk in ids:
                    continue
                owner = batch.get(path[:-step])
                if owner is not None:
                    added[owner.name] = added.get(owner.name, 0) + 1
        found.extend(
            _("%(object)s: %(what)s (%(n)d)")
            % {"object": name, "what": _("subordinate organisations"), "n": n}
            for name, n in added.items()
        )
        return found
