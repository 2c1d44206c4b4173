from guangong.core import resource_views
from guangong.jobs.views import import_urls

from .importers import AssignmentImporter

app_name = "orggroups"

urlpatterns = [
    *import_urls(app_name, "assignment", AssignmentImporter, prefix="assignments"),
    *resource_views.urls("orggroups"),
]
