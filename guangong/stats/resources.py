"""The statistics pages' declarations (``core.resources``, ``core.menu``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.resources import Resource, register

from . import services
from .filters import PopulationFilterSet
from .forms import PopulationForm
from .models import Population
from .serializers import PopulationSerializer
from .tables import PopulationTable

register(
    Resource(
        Population,
        prefix="populations",
        filterset=PopulationFilterSet,
        table=PopulationTable,
        form=PopulationForm,
        serializer=PopulationSerializer,
        save=services.save_population,
        delete=services.delete_population,
        pages=("list", "add", "edit", "delete"),
        api="populations",
        api_noun="population",
        select_related=("organization",),
    )
)

menu.register(MenuItem("stats:statistics", _("Statistics"), order=30, testid="nav-statistics"))
menu.register(MenuItem("stats:pivot", _("Analysis"), order=31, testid="nav-pivot"))
menu.register(
    MenuItem("stats:distribution", _("Distributions"), order=32, testid="nav-distribution")
)
