from django.urls import path

from . import views, views_actions

app_name = "care"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("new/", views.CaseFormView.as_view(), name="case_add"),
    path("export/", views_actions.ExportStartView.as_view(), name="case_export"),
    path(
        "exports/<uuid:pk>/download/",
        views_actions.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("access-log/", views_actions.AccessLogView.as_view(), name="access_list"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("<int:pk>/edit/", views.CaseFormView.as_view(), name="case_edit"),
    path("<int:pk>/reveal/", views_actions.RevealView.as_view(), name="case_reveal"),
    path("<int:pk>/transition/", views_actions.TransitionView.as_view(), name="case_transition"),
    path("<int:pk>/follow-ups/new/", views_actions.FollowUpAddView.as_view(), name="follow_up_add"),
    path("<int:pk>/consent/", views_actions.ConsentView.as_view(), name="case_consent"),
    path(
        "<int:pk>/attachments/new/",
        views_actions.AttachmentUploadView.as_view(),
        name="attachment_add",
    ),
    path(
        "attachments/<int:pk>/",
        views_actions.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]
