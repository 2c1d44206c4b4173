from django.urls import path

from guangong.core import resource_views

from .views import bulletins, files

app_name = "documents"

urlpatterns = [
    # Bulletins (工作简报)
    path("activities/choices/", bulletins.ActivityChoicesView.as_view(), name="activity_choices"),
    # Generation and the files kept
    path(
        "<str:kind>/<int:pk>/generate/<str:fmt>/",
        files.GenerateView.as_view(),
        name="generate",
    ),
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
    # The bulletins', summaries' and generated files' pages (``resources``).
    *resource_views.urls("documents"),
]
