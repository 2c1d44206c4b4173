from django.urls import path

from guangong.core import resource_views
from guangong.core.resources import resource_for

from .models import PlanTask, WorkPlan
from .views import plans, tasks

app_name = "workplans"

urlpatterns = [
    *resource_views.urls("workplans"),
    *resource_views.row_urls(
        resource_for(WorkPlan),
        {"publish": plans.PublishView, "adopt": plans.AdoptView, "export": plans.ExportView},
    ),
    *resource_views.row_urls(resource_for(PlanTask), {"progress": tasks.ProgressView}),
    path(
        "tasks/<int:pk>/evidence/<int:progress_pk>/",
        tasks.EvidenceView.as_view(resource=resource_for(PlanTask)),
        name="plantask_evidence",
    ),
]
