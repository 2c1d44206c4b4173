"""Organisation groups' declarations (``core.resources``, ``core.menu``).

A set and its groups are read by everyone below the organisation that owns the set (a city's
四化 set is seen by its counties, which assign their townships); they are defined and changed
by administrators (``edit`` and ``approve``) at that organisation or above. An assignment
belongs to the organisation assigned. The pages are reached from the organisation list and the
coverage page, and from the menu (组织建设 → 组织分组) for administrators.
"""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import services, views
from .filters import AssignmentFilterSet, GroupFilterSet, GroupSetFilterSet
from .forms import AssignmentForm, GroupForm, GroupSetForm
from .models import Assignment, GroupSet, OrgGroup
from .serializers import AssignmentSerializer, GroupSerializer, GroupSetSerializer
from .tables import AssignmentTable, GroupSetTable, GroupTable

ADMIN = {"write": ("edit", "approve")}

register(
    Resource(
        GroupSet,
        policy=Policy(owner="organization__path", reach_up=True, verbs=ADMIN),
        prefix="sets",
        filterset=GroupSetFilterSet,
        table=GroupSetTable,
        form=GroupSetForm,
        serializer=GroupSetSerializer,
        save=services.save_group_set,
        delete=services.delete_group_set,
        pages=("list", "add", "edit", "delete", "assign"),
        views={"assign": views.BulkAssignView, "list": views.GroupListView},
        routes={"list": ""},
        api="org-group-sets",
        api_noun="organisation group set",
        select_related=("organization",),
        prefetch_related=("groups",),
    )
)
register(
    Resource(
        OrgGroup,
        policy=Policy(owner="group_set__organization__path", reach_up=True, verbs=ADMIN),
        prefix="groups",
        noun="group",
        filterset=GroupFilterSet,
        table=GroupTable,
        form=GroupForm,
        serializer=GroupSerializer,
        save=services.save_group,
        delete=services.delete_group,
        pages=("list", "add", "edit", "delete"),
        views={"list": views.GroupListView},
        api="org-groups",
        api_noun="organisation group",
        select_related=("group_set",),
    )
)
register(
    Resource(
        Assignment,
        policy=Policy(owner="organization__path", verbs=ADMIN),
        prefix="assignments",
        filterset=AssignmentFilterSet,
        table=AssignmentTable,
        form=AssignmentForm,
        serializer=AssignmentSerializer,
        save=services.save_assignment,
        delete=services.delete_assignment,
        pages=("list", "add", "edit", "delete"),
        views={"list": views.GroupListView},
        api="org-group-assignments",
        api_noun="organisation group assignment",
        select_related=("organization", "group", "group_set"),
    )
)

menu.register(
    MenuItem(
        "orggroups:groupset_list",
        _("Organisation groups"),
        order=22,
        verbs=("edit", "approve"),
        testid="nav-orggroups",
    )
)
