"""The declarations of member units, meetings, decisions and action items (``core.resources``)
and the menu entry (会议督办)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .api import ActionItemViewSet, MeetingViewSet, MemberUnitViewSet
from .filters import ActionItemFilterSet, MeetingFilterSet, MemberUnitFilterSet
from .forms import ActionItemForm, DecisionForm, MeetingForm, MemberUnitForm
from .models import ActionItem, Decision, Meeting, MemberUnit
from .serializers import (
    ActionItemSerializer,
    DecisionSerializer,
    MeetingSerializer,
    MemberUnitSerializer,
)
from .services import items, meetings, units
from .tables import ActionItemTable, MeetingTable, MemberUnitTable
from .views.items import ItemDetailView, SupervisionView
from .views.lists import ItemListView, MeetingListView, UnitListView
from .views.meetings import MeetingDetailView, ScheduleView
from .views.units import UnitDetailView

register(
    Resource(
        MemberUnit,
        prefix="units",
        filterset=MemberUnitFilterSet,
        table=MemberUnitTable,
        form=MemberUnitForm,
        serializer=MemberUnitSerializer,
        save=units.save_unit,
        delete=units.delete_unit,
        pages=("list", "detail", "add", "edit", "delete"),
        views={"list": UnitListView, "detail": UnitDetailView},
        detail_template="meetings/memberunit_detail.html",
        select_related=("organization", "kind"),
        api="member-units",
        api_viewset=MemberUnitViewSet,
        api_noun="member unit",
        api_summaries={"link": "Name the unit a co-organiser of an activity, or no longer"},
    )
)

register(
    Resource(
        Meeting,
        filterset=MeetingFilterSet,
        table=MeetingTable,
        form=MeetingForm,
        serializer=MeetingSerializer,
        save=meetings.save_meeting,
        delete=meetings.delete_meeting,
        related=("users", "elders", "units", "committees"),
        pages=("list", "detail", "add", "edit", "delete", "schedule"),
        views={"list": MeetingListView, "detail": MeetingDetailView, "schedule": ScheduleView},
        routes={"schedule": "schedule/"},
        detail_template="meetings/meeting_detail.html",
        select_related=("organization", "kind"),
        api="meetings",
        api_viewset=MeetingViewSet,
        api_noun="meeting",
        api_summaries={
            "hold": "Mark a planned meeting as held (on or after its date)",
            "minute": "Record a held meeting's minutes and speeches",
        },
    )
)

# A decision is its meeting's: owned by the organiser.
register(
    Resource(
        Decision,
        policy=Policy(owner="meeting__organization__path"),
        prefix="decisions",
        form=DecisionForm,
        serializer=DecisionSerializer,
        save=meetings.save_decision,
        delete=meetings.delete_decision,
        parent="meeting",
        pages=("add", "edit", "delete"),
        select_related=("meeting__organization",),
        api="decisions",
        api_noun="decision",
    )
)

# An action item is the organiser's; the organisation it is assigned to reads it (and reports
# on it: ``services.items.may_report``).
register(
    Resource(
        ActionItem,
        policy=Policy(owner="meeting__organization__path", reach=("owner_org__path",)),
        prefix="items",
        filterset=ActionItemFilterSet,
        table=ActionItemTable,
        form=ActionItemForm,
        serializer=ActionItemSerializer,
        save=items.save_item,
        delete=items.delete_item,
        parent="decision",
        pages=("list", "detail", "add", "edit", "delete", "supervision"),
        views={"list": ItemListView, "detail": ItemDetailView, "supervision": SupervisionView},
        routes={"supervision": "items/supervision/"},
        detail_template="meetings/actionitem_detail.html",
        select_related=("meeting__organization", "decision", "owner_org", "owner_unit"),
        api="action-items",
        api_viewset=ActionItemViewSet,
        api_noun="action item",
        api_summaries={
            "report": "Report progress, with a file as evidence (the owner's side)",
            "finish": "Ask the organiser to close the item (the owner's side)",
            "approve": "Close the item (the organiser's side, approve verb)",
            "return_closure": "Return the owner's request to close the item",
        },
    )
)

menu.register(
    MenuItem(
        "meetings:meeting_list", _("Meetings and supervision"), order=35, testid="nav-meetings"
    )
)
