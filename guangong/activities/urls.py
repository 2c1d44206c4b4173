from django.urls import path

from guangong.core import resource_views
from guangong.jobs.views import ImportStartView, ImportTemplateView

from .importers import ActivityImporter
from .views import attachments, pages

app_name = "activities"

urlpatterns = [
    # The ledger's list, detail, add, edit and delete pages (``activities.resources``).
    *resource_views.urls("activities"),
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
