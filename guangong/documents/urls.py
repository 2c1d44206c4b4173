from django.urls import path

from guangong.core import resource_views

from .views import bulletins, files, summaries

app_name = "documents"

urlpatterns = [
    # Bulletins (工作简报)
    path("", bulletins.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/new/", bulletins.BulletinEditView.as_view(), name="bulletin_add"),
    path("bulletins/<int:pk>/edit/", bulletins.BulletinEditView.as_view(), name="bulletin_edit"),
    path("bulletins/<int:pk>/issue/", bulletins.BulletinIssueView.as_view(), name="bulletin_issue"),
    path("activities/choices/", bulletins.ActivityChoicesView.as_view(), name="activity_choices"),
    # Work summaries (工作总结)
    path("summaries/new/", summaries.SummaryStartView.as_view(), name="summary_add"),
    path("summaries/<int:pk>/edit/", summaries.SummaryEditView.as_view(), name="summary_edit"),
    # Generation and the files kept
    path(
        "<str:kind>/<int:pk>/generate/<str:fmt>/",
        files.GenerateView.as_view(),
        name="generate",
    ),
    path("files/", files.GeneratedListView.as_view(), name="generated_list"),
    path(
        "files/<int:pk>/download/",
        files.GeneratedDownloadView.as_view(),
        name="generated_download",
    ),
    # Templates (administrators)
    path("templates/", files.TemplatesView.as_view(), name="templates"),
    path(
        "templates/<str:kind>/download/",
        files.TemplateDownloadView.as_view(),
        name="template_download",
    ),
    path(
        "templates/<int:pk>/file/",
        files.TemplateFileView.as_view(),
        name="template_file",
    ),
    path(
        "templates/<int:pk>/restore/",
        files.TemplateRestoreView.as_view(),
        name="template_restore",
    ),
    # Pages generated from the resources (``resources``): bulletin detail and delete,
    # summary list and detail.
    *resource_views.urls("documents"),
]
