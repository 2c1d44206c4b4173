"""People from a spreadsheet: elders (五老), young people, and members added to teams.

Checking costs no query per row: ``prepare`` fetches, for the whole file, the organisations it
names (within the user's scope), the blind indexes of its ID numbers that are already
registered (in chunks, ``id_number_hash__in``) and the dictionary items. Saving does not go
through ``services.save_person`` row by row (about ten queries a row) but through
``people.bulk``: batched inserts, many-to-many rows and one audit row per person, in one
transaction. Undo deletes a batch the same way, refused while any of its people has gained
mentorships, team leadership or merged records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from guangong.audit.models import AuditLog
from guangong.audit.services import Action, record_many
from guangong.core import crypto
from guangong.core.importer import CellInvalid, Column, ImportContext, Importer, Row, register
from guangong.core.importer.base import _messages
from guangong.core.importer.columns import choice_lookup, normalize_header, to_text
from guangong.core.importer.results import ImportFailed
from guangong.core.services import require, require_in_scope
from guangong.core.validators import validate_mobile
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Organization

from . import bulk
from .choices import ETHNICITY_CHOICES, Health, HouseholdType, PoliticalStatus, Sex
from .models import Elder, Team, Youth

CHUNK = 500
#: What separates several items in one cell: 、 , ， ; ； and spaces.
SEPARATORS = re.compile(r"[、,，;；\s\u3000]+")


def _chunks(values, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _verbose(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _choices(enum):
    return lambda: {label: value for value, label in enum.choices}


def _dict_choices(kind: str):
    def choices():
        items = DictItem.objects.of(kind).active().order_by("order", "pk")
        return dict(items.values_list("label", "pk"))

    return choices


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- Organisations, as the organisation import finds parents --------------------------------


class OrgLookup:
    """Organisations in the actor's scope named in the file by division code or exact name."""

    def __init__(self, actor, refs):
        scope = Organization.objects.editable_by(actor).only(
            "pk", "name", "division_code", "path", "depth"
        )
        self.by_code: dict[str, Organization] = {}
        self.by_name: dict[str, list[Organization]] = {}
        refs = {ref for ref in refs if ref}
        for chunk in _chunks(refs):
            for org in scope.filter(Q(name__in=chunk) | Q(division_code__in=chunk)):
                if org.division_code in refs:
                    self.by_code[org.division_code] = org
                if org.name in refs:
                    self.by_name.setdefault(org.name, []).append(org)

    def resolve(self, ref: str) -> Organization:
        if ref.isdigit() and ref in self.by_code:
            return self.by_code[ref]
        matches = self.by_name.get(ref, ())
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValidationError(
                _(
                    "%(n)d organisations in your scope are called “%(ref)s”; give the "
                    "division code instead."
                )
                % {"n": len(matches), "ref": ref}
            )
        # The same words whether it exists elsewhere or not at all: no leak outside the scope.
        raise ValidationError(_("“%(ref)s” was not found in your scope.") % {"ref": ref})


ORG_COLUMN = Column(
    gettext_lazy("Organisation (division code or name)"),
    "organization",
    required=True,
    width=26,
    help=gettext_lazy(
        "The division code or exact full name of an organisation in your scope that the "
        "person belongs to."
    ),
    example="654002",
)


def multi_converter(column: Column):
    """Several items of a list in one cell, separated by 、 or a comma: a list of values."""
    lookup, labels = choice_lookup(column)
    listed = "、".join(labels) if len(labels) <= 20 else _("the drop-down list of the template")

    def convert(value):
        found = []
        for part in SEPARATORS.split(to_text(value)):
            if not part:
                continue
            try:
                item = lookup[normalize_header(part)]
            except KeyError:
                raise CellInvalid(
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": part, "choices": listed}
                ) from None
            if item not in found:
                found.append(item)
        return found

    return convert


# --- Elders and young people ----------------------------------------------------------------


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
            "that holds it."
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

    def prepare(self, context: ImportContext, rows: list[Row]) -> None:
        orgs = OrgLookup(context.actor, (row.values["organization"] for row in rows))
        hashes = {}
        for row in rows:
            value = row.values.get("id_number")
            if value and "id_number" not in row.failed:
                hashes[row.number] = crypto.blind_index(value)
        registered: dict[str, str] = {}
        current = self.model.objects.current()
        for chunk in _chunks(set(hashes.values())):
            registered.update(
                current.filter(id_number_hash__in=chunk).values_list(
                    "id_number_hash", "organization__name"
                )
            )
        context.data.update(orgs=orgs, hashes=hashes, registered=registered)

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
                _add(
                    errors,
                    "id_number",
                    _("Row %(row)d of this file has the same ID number.") % {"row": earlier},
                )
            elif id_hash in data["registered"]:
                _add(
                    errors,
                    "id_number",
                    _("This person is already registered at %(org)s.")
                    % {"org": data["registered"][id_hash]},
                )
            fields = bulk.id_fields(value, id_hash)
            birth = values.get("birth_date")
            if birth and birth != fields["birth_date"]:
                _add(
                    errors, "birth_date", _("The birth date differs from the one in the ID number.")
                )
            sex = values.get("sex")
            if sex and sex != fields["sex"]:
                _add(errors, "sex", _("The sex differs from the one in the ID number."))
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

    def build(self, values: dict):
        """The unsaved person of a checked row."""
        fields = {}
        for column in self.columns:
            name = column.field
            if name in ("organization", "id_number") or name in self.multi_fields:
                continue
            value = values.get(name)
            if name in self.fk_fields:
                fields[f"{name}_id"] = value
            else:
                fields[name] = "" if value is None and column.kind != "date" else value
        return self.model(organization=values["organization"], **fields)

    def commit(self, result, actor, batch_id, progress=None):
        if not result.ok:
            raise ValueError("commit() needs a checked result without errors")
        rows = result.rows
        people = [self.build(row.values) for row in rows]
        m2m = {name: [row.values.get(name) or [] for row in rows] for name in self.multi_fields}
        try:
            with transaction.atomic():
                bulk.create_people(
                    actor,
                    people,
                    id_numbers=[row.values.get("id_number") or "" for row in rows],
                    hashes=[row.values.get("id_hash") or "" for row in rows],
                    m2m=m2m,
                    import_batch=batch_id,
                    progress=progress,
                )
        except (ValidationError, PermissionDenied, Http404) as exc:
            raise ImportFailed(rows[0].number if rows else 0, _messages(exc)) from exc
        return people

    def undo(self, batch_id, actor, progress=None) -> int:
        try:
            return bulk.delete_batch(actor, self.model, batch_id, progress)
        except (PermissionDenied, Http404) as exc:
            raise ValidationError(_messages(exc)) from exc


def _id_column():
    return Column(
        capfirst(gettext_lazy("ID number")),
        "id_number",
        required=True,
        kind="id_number",
        width=22,
        help=gettext_lazy("18 characters; the column is formatted as text."),
        example="654002195203141018",
    )


PERSON_NAME = Column(pgettext_lazy("person", "Name"), "name", required=True, width=12)


@register
class ElderImporter(PersonImporter):
    model = Elder
    start_url_name = "people:elder_import"
    list_url_name = "people:elder_list"
    multi_fields = ("categories",)
    columns = (
        ORG_COLUMN,
        PERSON_NAME,
        _id_column(),
        Column(_verbose(Elder, "sex"), "sex", kind="choice", choices=_choices(Sex), width=8),
        Column(_verbose(Elder, "birth_date"), "birth_date", kind="date", width=14),
        Column(_verbose(Elder, "phone"), "phone", kind="phone", width=16),
        Column(
            _verbose(Elder, "categories"),
            "categories",
            kind="choice",
            choices=_dict_choices(DictKind.ELDER_CATEGORY),
            width=22,
            help=gettext_lazy(
                "One or several five-elders categories from the list, separated by 、 or a "
                "comma, e.g. 老干部、老教师."
            ),
            example="老干部、老教师",
        ),
        Column(_verbose(Elder, "former_unit"), "former_unit", width=24),
        Column(_verbose(Elder, "former_post"), "former_post", width=14),
        Column(
            _verbose(Elder, "political_status"),
            "political_status",
            kind="choice",
            choices=_choices(PoliticalStatus),
            width=14,
        ),
        Column(
            _verbose(Elder, "health"), "health", kind="choice", choices=_choices(Health), width=10
        ),
        Column(_verbose(Elder, "availability"), "availability", width=16),
        Column(_verbose(Elder, "joined_on"), "joined_on", kind="date", width=14),
        Column(_verbose(Elder, "notes"), "notes", width=30),
    )


@register
class YouthImporter(PersonImporter):
    model = Youth
    start_url_name = "people:youth_import"
    list_url_name = "people:youth_list"
    fk_fields = ("category",)
    columns = (
        ORG_COLUMN,
        PERSON_NAME,
        _id_column(),
        Column(_verbose(Youth, "sex"), "sex", kind="choice", choices=_choices(Sex), width=8),
        Column(_verbose(Youth, "birth_date"), "birth_date", kind="date", width=14),
        Column(
            _verbose(Youth, "category"),
            "category",
            required=True,
            kind="choice",
            choices=_dict_choices(DictKind.YOUTH_CATEGORY),
            width=14,
        ),
        Column(_verbose(Youth, "guardian_name"), "guardian_name", width=12),
        Column(_verbose(Youth, "guardian_phone"), "guardian_phone", kind="phone", width=16),
        Column(_verbose(Youth, "guardian_relation"), "guardian_relation", width=12),
        Column(_verbose(Youth, "school_or_employer"), "school_or_employer", width=24),
        Column(
            _verbose(Youth, "ethnicity"),
            "ethnicity",
            kind="choice",
            choices=lambda: {label: value for value, label in ETHNICITY_CHOICES},
            width=10,
        ),
        Column(
            _verbose(Youth, "household_type"),
            "household_type",
            kind="choice",
            choices=_choices(HouseholdType),
            width=12,
        ),
        Column(_verbose(Youth, "phone"), "phone", kind="phone", width=16),
        Column(_verbose(Youth, "notes"), "notes", width=30),
    )


# --- Team members ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    """One elder added to one team (what the result page lists)."""

    pk: int
    team: str
    elder: str

    def __str__(self) -> str:
        return f"{self.team} ← {self.elder}"


def _audit_message(batch_id: str) -> str:
    return f"import:{batch_id}"


@register
class TeamMemberImporter(Importer):
    """Elders added to existing teams in the user's scope, found by ID number or by name and
    birth date. The batch is kept in the teams' audit records (the membership rows have no
    column for it); undo removes exactly the memberships the import added."""

    model = Team.members.through
    title = gettext_lazy("Team members")
    start_url_name = "people:team_member_import"
    list_url_name = "people:team_list"
    notes = (
        gettext_lazy(
            "Each row adds one five-elders volunteer to an existing team of your scope. Give "
            "the team's organisation when several teams have the same name."
        ),
        gettext_lazy(
            "The volunteer is found by ID number, or by name and birth date; they must belong "
            "to the team's organisation or one below it."
        ),
    )
    columns = (
        Column(
            capfirst(gettext_lazy("team")),
            "team",
            required=True,
            width=24,
            help=gettext_lazy("The exact name of an existing team."),
        ),
        Column(
            gettext_lazy("Organisation (division code or name)"),
            "organization",
            width=26,
            help=gettext_lazy("The team's organisation; needed only when the name is not unique."),
        ),
        Column(
            capfirst(gettext_lazy("ID number")),
            "id_number",
            kind="id_number",
            width=22,
            help=gettext_lazy(
                "The member's ID number; or leave it empty and give name and birth date."
            ),
        ),
        Column(pgettext_lazy("person", "Name"), "name", width=12),
        Column(capfirst(gettext_lazy("birth date")), "birth_date", kind="date", width=14),
    )

    def prepare(self, context: ImportContext, rows: list[Row]) -> None:
        actor = context.actor
        orgs = OrgLookup(actor, (row.values["organization"] for row in rows))
        names = {row.values["team"] for row in rows if row.values["team"]}
        teams: dict[str, list[Team]] = {}
        for chunk in _chunks(names):
            for team in (
                Team.objects.editable_by(actor)
                .filter(name__in=chunk)
                .select_related("organization")
            ):
                teams.setdefault(team.name, []).append(team)
        hashes = {
            row.number: crypto.blind_index(row.values["id_number"])
            for row in rows
            if row.values.get("id_number") and "id_number" not in row.failed
        }
        by_hash: dict[str, list[tuple]] = {}
        elders = Elder.objects.current().values_list(
            "pk", "name", "birth_date", "id_number_hash", "organization__path"
        )
        for chunk in _chunks(set(hashes.values())):
            for elder in elders.filter(id_number_hash__in=chunk):
                by_hash.setdefault(elder[3], []).append(elder)
        person_names = {row.values["name"] for row in rows if row.values["name"]}
        by_name: dict[tuple, list[tuple]] = {}
        for chunk in _chunks(person_names):
            for elder in elders.filter(name__in=chunk):
                by_name.setdefault((elder[1], elder[2]), []).append(elder)
        team_ids = [team.pk for found in teams.values() for team in found]
        members = set()
        through = Team.members.through
        for chunk in _chunks(team_ids):
            members.update(
                through.objects.filter(team_id__in=chunk).values_list("team_id", "elder_id")
            )
        context.data.update(
            orgs=orgs, teams=teams, hashes=hashes, by_hash=by_hash, by_name=by_name, members=members
        )

    def validate_row(self, row: Row, context: ImportContext) -> dict:
        data = context.data
        values = dict(row.values)
        errors: dict[str, list[str]] = {}
        team = None
        if "team" not in row.failed:
            candidates = data["teams"].get(values["team"], [])
            if values["organization"] and "organization" not in row.failed:
                try:
                    org = data["orgs"].resolve(values["organization"])
                except ValidationError as exc:
                    errors["organization"] = exc.messages
                    candidates = []
                else:
                    candidates = [t for t in candidates if t.organization_id == org.pk]
            if len(candidates) == 1:
                team = candidates[0]
            elif candidates:
                _add(
                    errors,
                    "team",
                    _(
                        "%(n)d teams in your scope are called “%(name)s”; give the team's "
                        "organisation too."
                    )
                    % {"n": len(candidates), "name": values["team"]},
                )
            elif "organization" not in errors:
                _add(
                    errors,
                    "team",
                    _("No team called “%(name)s” was found in your scope.")
                    % {"name": values["team"]},
                )
        elder = None
        id_hash = data["hashes"].get(row.number)
        if "id_number" in row.failed:
            pass
        elif id_hash:
            found = data["by_hash"].get(id_hash, [])
            elder = self._member(found, team, errors, "id_number")
        elif values["name"] and values["birth_date"]:
            found = data["by_name"].get((values["name"], values["birth_date"]), [])
            elder = self._member(found, team, errors, "name")
        else:
            _add(errors, "id_number", _("Give the member's ID number, or name and birth date."))
        if team is not None and elder is not None:
            earlier = context.first_seen("member", (team.pk, elder[0]))
            if earlier is not None:
                _add(
                    errors,
                    "id_number" if id_hash else "name",
                    _("Row %(row)d of this file adds the same person to the same team.")
                    % {"row": earlier},
                )
            elif (team.pk, elder[0]) in data["members"]:
                _add(errors, "team", _("This person is already a member of this team."))
        if errors:
            raise ValidationError(errors)
        values["team"] = team
        values["elder"] = elder
        return values

    def _member(self, found, team, errors, field):
        if team is not None:
            # Only volunteers under the team's organisation: the same words otherwise, so that
            # nothing is told about people outside it.
            path = team.organization.path
            found = [e for e in found if e[4].startswith(path)]
        if len(found) == 1:
            return found[0]
        if found:
            _add(
                errors,
                field,
                _("Several volunteers have this name and birth date; give the ID number."),
            )
        else:
            _add(
                errors,
                field,
                _(
                    "No five-elders volunteer found with this; they must belong to the team's "
                    "organisation or one below it."
                ),
            )
        return None

    def display(self, field_name: str, value) -> str:
        if field_name == "team" and isinstance(value, Team):
            return value.name
        return super().display(field_name, value)

    def commit(self, result, actor, batch_id, progress=None):
        if not result.ok:
            raise ValueError("commit() needs a checked result without errors")
        through = Team.members.through
        added: dict[int, list[tuple]] = {}
        teams: dict[int, Team] = {}
        for row in result.rows:
            team = row.values["team"]
            teams[team.pk] = team
            added.setdefault(team.pk, []).append(row.values["elder"])
        try:
            with transaction.atomic():
                require(actor, "edit")
                for team in teams.values():
                    require_in_scope(actor, team.organization.path)
                before: dict[int, list[int]] = {pk: [] for pk in teams}
                for chunk in _chunks(list(teams)):
                    for team_id, elder_id in through.objects.filter(team_id__in=chunk).values_list(
                        "team_id", "elder_id"
                    ):
                        before[team_id].append(elder_id)
                links = [
                    through(team_id=team_id, elder_id=elder[0])
                    for team_id, elders in added.items()
                    for elder in elders
                ]
                through.objects.bulk_create(links, batch_size=2000)
                self._audit(actor, teams, before, added, batch_id)
        except (ValidationError, PermissionDenied, Http404) as exc:
            raise ImportFailed(result.rows[0].number, _messages(exc)) from exc
        if progress is not None:
            progress(len(links), len(links))
        return [
            Membership(link.pk or 0, teams[link.team_id].name, name)
            for link, name in zip(
                links, (e[1] for elders in added.values() for e in elders), strict=True
            )
        ]

    @staticmethod
    def _audit(actor, teams, before, added, batch_id) -> None:
        snap = bulk.snapshotter(Team)
        objects, befores, afters = [], [], []
        for pk, team in teams.items():
            state = snap(team)
            old = sorted(before[pk])
            new = sorted(set(old) | {e[0] for e in added.get(pk, ())})
            objects.append(team)
            befores.append({**state, "members": old})
            afters.append({**state, "members": new})
        record_many(
            actor,
            Action.UPDATE,
            objects,
            befores=befores,
            afters=afters,
            parents=[team.organization for team in objects],
            message=_audit_message(batch_id),
        )

    def undo(self, batch_id, actor, progress=None) -> int:
        through = Team.members.through
        with transaction.atomic():
            logs = AuditLog.objects.filter(
                action=Action.UPDATE,
                object_type=Team._meta.label_lower,
                message=_audit_message(batch_id),
            )
            added: dict[int, set[int]] = {}
            for log in logs:
                gained = set(log.after.get("members", ())) - set(log.before.get("members", ()))
                added.setdefault(int(log.object_id), set()).update(gained)
            teams = {
                t.pk: t
                for t in Team.objects.filter(pk__in=list(added)).select_related("organization")
            }
            pairs = Q()
            for team_id, elders in added.items():
                if team_id in teams:
                    pairs |= Q(team_id=team_id, elder_id__in=elders)
            present = list(through.objects.filter(pairs)) if teams else []
            if not present:
                raise ValidationError(_("Nothing to undo: the records of this import are gone."))
            try:
                require(actor, "edit")
                for team_id in {link.team_id for link in present}:
                    require_in_scope(actor, teams[team_id].organization.path)
            except (PermissionDenied, Http404) as exc:
                raise ValidationError(
                    _("Some records of this import are outside your scope; you cannot undo it.")
                ) from exc
            removed: dict[int, set[int]] = {}
            for link in present:
                removed.setdefault(link.team_id, set()).add(link.elder_id)
            now: dict[int, list[int]] = {pk: [] for pk in removed}
            for team_id, elder_id in through.objects.filter(team_id__in=list(removed)).values_list(
                "team_id", "elder_id"
            ):
                now[team_id].append(elder_id)
            through.objects.filter(pk__in=[link.pk for link in present]).delete()
            snap = bulk.snapshotter(Team)
            objects = [teams[pk] for pk in removed]
            record_many(
                actor,
                Action.UPDATE,
                objects,
                befores=[{**snap(t), "members": sorted(now[t.pk])} for t in objects],
                afters=[
                    {**snap(t), "members": sorted(set(now[t.pk]) - removed[t.pk])} for t in objects
                ],
                parents=[t.organization for t in objects],
            )
        if progress is not None:
            progress(len(present), len(present))
        return len(present)


__all__ = ["ElderImporter", "TeamMemberImporter", "YouthImporter"]
