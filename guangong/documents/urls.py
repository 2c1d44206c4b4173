from django.urls import path

from . import views, views_files, views_summary

app_name = "documents"

urlpatterns = [
    # Bulletins (工作简报)
    path("", views.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/new/", views.BulletinEditView.as_view(), name="bulletin_add"),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/edit/", views.BulletinEditView.as_view(), name="bulletin_edit"),
    path("bulletins/<int:pk>/issue/", views.BulletinIssueView.as_view(), name="bulletin_issue"),
    path("bulletins/<int:pk>/delete/", views.BulletinDeleteView.as_view(), name="bulletin_delete"),
    path("activities/choices/", views.ActivityChoicesView.as_view(), name="activity_choices"),
    # Work summaries (工作总结)
    path("summaries/", views_summary.SummaryListView.as_view(), name="summary_list"),
    path("summaries/new/", views_summary.SummaryStartView.as_view(), name="summary_add"),
    path("summaries/<int:pk>/", views_summary.SummaryDetailView.as_view(), name="summary_detail"),
    path("summaries/<int:pk>/edit/", views_summary.SummaryEditView.as_view(), name="summary_edit"),
    # Generation and the files kept
    path(
        "<str:kind>/<int:pk>/generate/<str:fmt>/",
        views_files.GenerateView.as_view(),
        name="generate",
    ),
    path("files/", views_files.GeneratedListView.as_view(), name="generated_list"),
    path(
        "files/<int:pk>/download/",
        views_files.GeneratedDownloadView.as_view(),
        name="generated_download",
    ),
    # Templates (administrators)
    path("templates/", views_files.TemplatesView.as_view(), name="templates"),
    path(
        "templates/<str:kind>/download/",
        views_files.TemplateDownloadView.as_view(),
        name="template_download",
    ),
    path(
        "templates/<int:pk>/file/",
        views_files.TemplateFileView.as_view(),
        name="template_file",
    ),
    path(
        "templates/<int:pk>/restore/",
        views_files.TemplateRestoreView.as_view(),
        name="template_restore",
    ),
]
