from django.urls import path

from guangong.core import resource_views
from guangong.core.resources import resource_for

from . import views
from .models import Job

app_name = "jobs"
job = resource_for(Job)

urlpatterns = [
    # The list of one's jobs (``job_list``), a job's page (``job_detail``) and its actions.
    *resource_views.urls("jobs"),
    *resource_views.row_urls(
        job,
        {
            "progress": views.JobProgressView,
            "cancel": views.JobCancelView,
            "retry": views.JobRetryView,
        },
    ),
    path("<uuid:pk>/files/<str:which>/", views.JobFileView.as_view(resource=job), name="job_file"),
    path(
        "<uuid:pk>/confirm/", views.ImportConfirmView.as_view(resource=job), name="import_confirm"
    ),
    path("<uuid:pk>/undo/", views.ImportUndoView.as_view(resource=job), name="import_undo"),
]
