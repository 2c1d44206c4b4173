"""The activity ledger's resources (``core.resources``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import ranges, services
from .api import ActivitySerializer, ActivityViewSet
from .filters import ActivityFilterSet, ActivityRangeFilterSet
from .forms import ActivityForm, ActivityRangeForm
from .models import Activity, ActivityAttachment, ActivityRange
from .tables import ActivityRangeTable, ActivityTable
from .views import pages

# The owner's side edits; co-organisers read a joint activity.
register(
    Resource(
        Activity,
        policy=Policy(reach=("co_organizers__path",)),
        filterset=ActivityFilterSet,
        table=ActivityTable,
        form=ActivityForm,
        serializer=ActivitySerializer,
        save=services.save_activity,
        delete=services.delete_activity,
        related=("teams", "youths", "co_organizers"),
        pages=("list", "detail", "add", "edit", "delete", "quick"),
        routes={"quick": "quick/"},
        views={
            "quick": pages.QuickActivityView,
            "list": pages.ActivityListView,
            "detail": pages.ActivityDetailView,
            "add": pages.ActivityFormView,
            "edit": pages.ActivityFormView,
        },
        select_related=("organization", "type"),
        api="activities",
        api_viewset=ActivityViewSet,
        api_summaries={
            "list": "List activities in scope (joint ones reach co-organisers)",
            "retrieve": "One activity with its elders, hours and co-organisers",
            "create": "Record an activity (counted in the statistics at once)",
            "update": "Update an activity (relations replaced when given)",
            "partial_update": "Update some fields of an activity",
            "destroy": "Delete an activity (taken out of the statistics at once)",
        },
    )
)
# An attachment is its activity's: read where the activity is, changed by its owner's side.
register(
    Resource(
        ActivityAttachment,
        policy=Policy(
            owner="activity__organization__path", reach=("activity__co_organizers__path",)
        ),
    )
)

# The plausible ranges are the whole network's (a dictionary): read by everyone who reads
# records, changed by system administrators.
register(
    Resource(
        ActivityRange,
        policy=Policy(owner=None, verbs={"write": ("manage_system",)}),
        prefix="ranges",
        filterset=ActivityRangeFilterSet,
        table=ActivityRangeTable,
        form=ActivityRangeForm,
        save=ranges.save_range,
        delete=ranges.delete_range,
        pages=("list", "add", "edit", "delete"),
        select_related=("type",),
    )
)

menu.register(
    MenuItem("activities:activity_list", _("Activity ledger"), order=80, testid="nav-activities")
)
menu.register(
    MenuItem(
        "activities:activityrange_list",
        _("Plausible ranges"),
        order=141,
        verbs=("manage_system",),
        testid="nav-ranges",
        group=menu.SYSTEM,
    )
)
