"""Filters of the population list."""

from guangong.core.filters import StyledFilterSet

from .models import Population


class PopulationFilterSet(StyledFilterSet):
    class Meta:
        model = Population
        fields = ["year", "kind"]
