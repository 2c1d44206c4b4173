"""Importing team members: each row adds one five-elders volunteer to an existing team."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from guangong.audit.models import AuditLog
from guangong.audit.services import Action, record_many
from guangong.core import crypto
from guangong.core.actions import batch
from guangong.core.importer import Column, ImportContext, Importer, Row, register
from guangong.core.importer.base import messages_of
from guangong.core.importer.results import ImportFailed

from . import bulk
from .import_common import OrgLookup, add_error, chunks
from .models import Elder, Team


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
        for chunk in chunks(names):
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
        for chunk in chunks(set(hashes.values())):
            for elder in elders.filter(id_number_hash__in=chunk):
                by_hash.setdefault(elder[3], []).append(elder)
        person_names = {row.values["name"] for row in rows if row.values["name"]}
        by_name: dict[tuple, list[tuple]] = {}
        for chunk in chunks(person_names):
            for elder in elders.filter(name__in=chunk):
                by_name.setdefault((elder[1], elder[2]), []).append(elder)
        team_ids = [team.pk for found in teams.values() for team in found]
        members = set()
        through = Team.members.through
        for chunk in chunks(team_ids):
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
                add_error(
                    errors,
                    "team",
                    _(
                        "%(n)d teams in your scope are called “%(name)s”; give the team's "
                        "organisation too."
                    )
                    % {"n": len(candidates), "name": values["team"]},
                )
            elif "organization" not in errors:
                add_error(
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
            add_error(
                errors, "id_number", _("Give the member's ID number, or name and birth date.")
            )
        if team is not None and elder is not None:
            earlier = context.first_seen("member", (team.pk, elder[0]))
            if earlier is not None:
                add_error(
                    errors,
                    "id_number" if id_hash else "name",
                    _("Row %(row)d of this file adds the same person to the same team.")
                    % {"row": earlier},
                )
            elif (team.pk, elder[0]) in data["members"]:
                add_error(errors, "team", _("This person is already a member of this team."))
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
            add_error(
                errors,
                field,
                _("Several volunteers have this name and birth date; give the ID number."),
            )
        else:
            add_error(
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
            with batch(f"import:{batch_id}"):
                bulk.require_writable(actor, Team, [team.organization for team in teams.values()])
                before: dict[int, list[int]] = {pk: [] for pk in teams}
                for chunk in chunks(list(teams)):
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
            raise ImportFailed(result.rows[0].number, messages_of(exc)) from exc
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
        with batch(f"undo:{batch_id}"):
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
                orgs = [teams[team_id].organization for team_id in {x.team_id for x in present}]
                bulk.require_writable(actor, Team, orgs)
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
