"""Teams (工作团队): saving and deleting, each an audited action (``core.actions``)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record
from guangong.core.actions import action
from guangong.core.scope import subtree_q

from ..models import Elder, Team
from .common import record_save, state


def _check_team_people(team: Team, members) -> None:
    """Leader and members belong to the team's organisation or below it, and are current.

    Below the team's organisation (not merely within the actor's scope): whoever sees the team
    then sees its people too, and a county's user never reads names from a sibling county
    through a city's team.
    """
    path = team.organization.path
    errors = {}
    leader = team.leader
    if leader is not None and (
        not leader.organization.path.startswith(path) or leader.merged_into_id
    ):
        errors["leader"] = _(
            "Choose a leader who belongs to the team's organisation or one below it."
        )
    if members is not None:
        pks = {m.pk for m in members}
    elif team.pk:
        pks = set(team.members.values_list("pk", flat=True))
    else:
        pks = set()
    if pks:
        inside = Elder.objects.current().filter(subtree_q("organization__path", path), pk__in=pks)
        if inside.count() != len(pks):
            errors["members"] = _(
                "Choose members who belong to the team's organisation or one below it."
            )
    if errors:
        raise ValidationError(errors)


@action("write", model=Team)
def save_team(actor, team: Team, members=None, import_batch: str = "") -> Team:
    """Create or update a team; ``members`` (elders) replaces the members when given."""
    before = None
    if team.pk:
        before = state(Team.objects.select_related("organization").get(pk=team.pk), ["members"])
    team.full_clean()
    _check_team_people(team, members)
    if import_batch:
        team.import_batch = import_batch
    team.save()
    if members is not None:
        team.members.set(members)
    record_save(actor, team, before, state(team, ["members"]))
    return team


@action("write", model=Team)
def delete_team(actor, team: Team) -> None:
    before = state(team, ["members"])
    record(actor, Action.DELETE, team, before=before, parent=team.organization)
    team.delete()
