from django.urls import path

from guangong.core import resource_views
from guangong.core.resources import resource_for

from .models import Case
from .views import actions

app_name = "care"
case = resource_for(Case)

urlpatterns = [
    *resource_views.urls("care"),
    path("export/", actions.ExportStartView.as_view(), name="case_export"),
    path(
        "exports/<uuid:pk>/download/",
        actions.ExportDownloadView.as_view(),
        name="export_download",
    ),
    *resource_views.row_urls(
        case,
        {
            "reveal": actions.RevealView,
            "transition": actions.TransitionView,
            "consent": actions.ConsentView,
        },
    ),
    path(
        "<int:pk>/follow-ups/new/",
        actions.FollowUpAddView.as_view(resource=case),
        name="follow_up_add",
    ),
    path(
        "<int:pk>/attachments/new/",
        actions.AttachmentUploadView.as_view(resource=case),
        name="attachment_add",
    ),
    path(
        "attachments/<int:pk>/",
        actions.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]
