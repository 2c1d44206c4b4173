"""Organisations' resources (``core.resources``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import services, views
from .api import OrganizationViewSet, PositionViewSet
from .filters import OrganizationFilterSet, PositionFilterSet
from .forms import PositionForm
from .models import Organization, Position
from .tables import OrganizationTable, PositionTable

# An organisation owns itself: a user sees their organisation and everything below it.
register(
    Resource(
        Organization,
        policy=Policy(owner="path"),
        filterset=OrganizationFilterSet,
        table=OrganizationTable,
        delete=services.delete_organization,
        pages=("list", "detail", "add", "edit", "delete", "move"),
        views={
            "move": views.OrganizationMoveView,
            "list": views.OrganizationListView,
            "detail": views.OrganizationDetailView,
            "add": views.OrganizationCreateView,
            "edit": views.OrganizationEditView,
            "delete": views.OrganizationDeleteView,
        },
        api="orgs",
        api_viewset=OrganizationViewSet,
        api_noun="organisation",
        api_summaries={
            "create": "Create an organisation under a parent",
            "update": "Update an organisation (a new parent moves it)",
            "partial_update": "Update some fields (a new parent moves it)",
            "destroy": "Delete an organisation with nothing below or on it",
        },
    )
)
# A leadership roster entry belongs to its organisation; it is added from the organisation's
# page (``orgs:position_add``, under the organisation's id), which opens again after a change.
register(
    Resource(
        Position,
        prefix="positions",
        filterset=PositionFilterSet,
        table=PositionTable,
        form=PositionForm,
        save=services.save_position,
        delete=services.delete_position,
        parent="organization",
        pages=("list", "add", "edit", "delete"),
        views={"list": views.PositionListView},
        select_related=("organization",),
        api="positions",
        api_viewset=PositionViewSet,
    )
)

menu.register(MenuItem("orgs:organization_list", _("Organisations"), order=10))
menu.register(MenuItem("orgs:coverage", _("Coverage"), order=20))
