from django.urls import path

from guangong.jobs.views import ImportStartView, ImportTemplateView

from . import views, views_attachments
from .importers import ActivityImporter

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("new/", views.ActivityFormView.as_view(), name="activity_add"),
    path("quick/", views.QuickActivityView.as_view(), name="activity_quick"),
    path(
        "import/",
        ImportStartView.as_view(
            importer_class=ActivityImporter,
            template_url_name="activities:activity_import_template",
        ),
        name="activity_import",
    ),
    path(
        "import/template/",
        ImportTemplateView.as_view(importer_class=ActivityImporter),
        name="activity_import_template",
    ),
    path("org-choices/", views.OrgChoicesView.as_view(), name="org_choices"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/edit/", views.ActivityFormView.as_view(), name="activity_edit"),
    path("<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path(
        "<int:pk>/attachments/",
        views_attachments.AttachmentUploadView.as_view(),
        name="attachment_add",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views_attachments.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views_attachments.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
]
