"""Recording populations: each change one audited action."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.models import Action
from guangong.audit.services import record, snapshot
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope

from .models import Population


@action("write", model=Population)
def save_population(actor, population: Population) -> Population:
    before = snapshot(Population.objects.get(pk=population.pk)) if population.pk else None
    if not policy_for(Population).allows_path(actor, "write", population.organization.path):
        raise OutOfScope()
    taken = Population.objects.filter(
        organization=population.organization, year=population.year, kind=population.kind
    ).exclude(pk=population.pk)
    if taken.exists():
        raise ValidationError(
            _("This organisation already has this population recorded for %(year)s: edit it.")
            % {"year": population.year}
        )
    population.full_clean()
    population.save()
    record(
        actor,
        Action.UPDATE if before else Action.CREATE,
        population,
        before=before,
        after=snapshot(population),
        parent=population.organization,
    )
    return population


@action("write", model=Population)
def delete_population(actor, population: Population) -> None:
    record(
        actor,
        Action.DELETE,
        population,
        before=snapshot(population),
        parent=population.organization,
    )
    population.delete()
