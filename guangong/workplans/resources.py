"""The declarations of plans and tasks (``core.resources``) and the menu entry (工作要点)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.resources import Resource, register

from .api import PlanTaskViewSet, WorkPlanViewSet
from .filters import PlanTaskFilterSet, WorkPlanFilterSet
from .forms import PlanTaskForm, WorkPlanForm
from .models import PlanTask, WorkPlan
from .policy import PLAN_POLICY, TASK_POLICY
from .serializers import PlanTaskSerializer, WorkPlanSerializer
from .services import plans, tasks
from .tables import PlanTaskTable, WorkPlanTable
from .views.plans import PlanDetailView, PlanListView, PlanOverviewView
from .views.tasks import TaskDetailView

register(
    Resource(
        WorkPlan,
        policy=PLAN_POLICY,
        prefix="",
        filterset=WorkPlanFilterSet,
        table=WorkPlanTable,
        form=WorkPlanForm,
        serializer=WorkPlanSerializer,
        save=plans.save_plan,
        delete=plans.delete_plan,
        pages=("list", "detail", "add", "edit", "delete", "overview"),
        views={"list": PlanListView, "detail": PlanDetailView, "overview": PlanOverviewView},
        detail_template="workplans/workplan_detail.html",
        select_related=("organization",),
        api="work-plans",
        api_viewset=WorkPlanViewSet,
        api_noun="work plan",
        api_summaries={
            "publish": "Publish a work plan to the subtree",
            "adopt": "Adopt a published plan into an organisation's plan for the year",
        },
    )
)

register(
    Resource(
        PlanTask,
        policy=TASK_POLICY,
        prefix="tasks",
        filterset=PlanTaskFilterSet,
        table=PlanTaskTable,
        form=PlanTaskForm,
        serializer=PlanTaskSerializer,
        save=tasks.save_task,
        delete=tasks.delete_task,
        related=("cooperating_units",),
        parent="plan",
        pages=("detail", "add", "edit", "delete"),
        views={"detail": TaskDetailView},
        detail_template="workplans/plantask_detail.html",
        select_related=("plan__organization", "lead_unit", "lead_org", "source__plan"),
        api="plan-tasks",
        api_viewset=PlanTaskViewSet,
        api_noun="plan task",
        api_summaries={"progress": "Report progress on a task"},
    )
)

menu.register(
    MenuItem("workplans:workplan_list", _("Work points"), order=36, testid="nav-workplans")
)
