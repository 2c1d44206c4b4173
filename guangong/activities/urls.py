from django.urls import path

from guangong.core import resource_views
from guangong.jobs.views import import_urls

from .importers import ActivityImporter
from .views import attachments, pages

app_name = "activities"

urlpatterns = [
    # The ledger's list, detail, add, edit and delete pages (``activities.resources``).
    *resource_views.urls("activities"),
    *import_urls(app_name, "activity", ActivityImporter),
    path("org-choices/", pages.OrgChoicesView.as_view(), name="org_choices"),
    path(
        "<int:pk>/attachments/",
        attachments.AttachmentUploadView.as_view(),
        name="attachment_add",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        attachments.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        attachments.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
]
