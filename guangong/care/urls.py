from django.urls import path

from guangong.core import resource_views

from .views import actions

app_name = "care"

urlpatterns = [
    *resource_views.urls("care"),
    path("export/", actions.ExportStartView.as_view(), name="case_export"),
    path(
        "exports/<uuid:pk>/download/",
        actions.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("access-log/", actions.AccessLogView.as_view(), name="access_list"),
    path("<int:pk>/reveal/", actions.RevealView.as_view(), name="case_reveal"),
    path("<int:pk>/transition/", actions.TransitionView.as_view(), name="case_transition"),
    path("<int:pk>/follow-ups/new/", actions.FollowUpAddView.as_view(), name="follow_up_add"),
    path("<int:pk>/consent/", actions.ConsentView.as_view(), name="case_consent"),
    path(
        "<int:pk>/attachments/new/",
        actions.AttachmentUploadView.as_view(),
        name="attachment_add",
    ),
    path(
        "attachments/<int:pk>/",
        actions.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]
