"""Importing group assignments from .xlsx: each row puts one organisation into one group."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.importer import Column, ImportContext, Importer, Row, register
from guangong.people.import_common import OrgLookup, add_error, chunks

from . import services
from .models import Assignment, OrgGroup


@register
class AssignmentImporter(Importer):
    """Organisations of the user's scope into groups of the sets they see; an organisation
    already in a group of the set is refused (change it on its page): undo then removes
    exactly what the import added."""

    model = Assignment
    title = gettext_lazy("Group assignments")
    start_url_name = "orggroups:assignment_import"
    list_url_name = "orggroups:assignment_list"
    notes = (
        gettext_lazy(
            "Each row puts one organisation of your scope into one group of a group set that "
            "sorts it; an organisation can be in one group of each set."
        ),
    )
    columns = (
        Column(
            gettext_lazy("Organisation (division code or name)"),
            "organization",
            required=True,
            width=26,
            help=gettext_lazy("The division code or exact full name of an organisation."),
            example="654002",
        ),
        Column(
            gettext_lazy("Group set"),
            "group_set",
            required=True,
            width=20,
            help=gettext_lazy("The exact name of the group set."),
            example="四化型工作模式",
        ),
        Column(
            gettext_lazy("Group"),
            "group",
            required=True,
            width=16,
            help=gettext_lazy("The exact name of one of the set's groups."),
            example="已建立",
        ),
    )

    def prepare(self, context: ImportContext, rows: list[Row]) -> None:
        actor = context.actor
        orgs = OrgLookup(actor, (row.values["organization"] for row in rows))
        groups: dict[tuple[str, str], list[OrgGroup]] = {}
        names = {row.values["group_set"] for row in rows if row.values["group_set"]}
        for chunk in chunks(names):
            for group in (
                OrgGroup.objects.visible_to(actor)
                .filter(group_set__name__in=chunk)
                .select_related("group_set__organization")
            ):
                groups.setdefault((group.group_set.name, group.name), []).append(group)
        context.data.update(orgs=orgs, groups=groups)

    def validate_row(self, row: Row, context: ImportContext) -> dict:
        values = dict(row.values)
        errors: dict[str, list[str]] = {}
        org = None
        if "organization" not in row.failed:
            try:
                org = context.data["orgs"].resolve(values["organization"])
            except ValidationError as exc:
                errors["organization"] = exc.messages
        found = context.data["groups"].get((values["group_set"], values["group"]), [])
        if org is not None:
            found = [g for g in found if org.path.startswith(g.group_set.organization.path)]
        group = found[0] if len(found) == 1 else None
        if len(found) > 1:
            add_error(errors, "group_set", _("Several group sets of that name sort it."))
        elif group is None:
            add_error(
                errors,
                "group",
                _("No group “%(group)s” of a set “%(set)s” sorts this organisation.")
                % {"group": values["group"], "set": values["group_set"]},
            )
        if org is not None and group is not None:
            earlier = context.first_seen("assignment", (org.pk, group.group_set_id))
            if earlier is not None:
                add_error(
                    errors,
                    "organization",
                    _("Row %(row)d of this file assigns the same organisation in this set.")
                    % {"row": earlier},
                )
            elif Assignment.objects.filter(
                organization=org, group_set_id=group.group_set_id
            ).exists():
                add_error(
                    errors,
                    "organization",
                    _("This organisation already has a group of this set: change it on its page."),
                )
        if errors:
            raise ValidationError(errors)
        values["organization"] = org
        values["group"] = group
        return values

    def display(self, field_name: str, value) -> str:
        if field_name in ("organization", "group") and value is not None:
            return value.name
        return super().display(field_name, value)

    def create(self, values: dict, context: ImportContext) -> Assignment:
        return services.save_assignment(
            context.actor,
            Assignment(
                organization=values["organization"],
                group=values["group"],
                import_batch=context.batch_id,
            ),
        )

    def delete(self, obj: Assignment, context: ImportContext) -> None:
        services.delete_assignment(context.actor, obj)
