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
    # Templates (administrators)
    path("templates/", files.TemplatesView.as_view(), name="templates"),
    path(
        "templates/<str:kind>/download/",
        files.TemplateDownloadView.as_view(),
        name="template_download",
    ),
    # The pages of bulletins, summaries, generated files and uploaded templates (``resources``).
    *resource_views.urls("documents"),
]
