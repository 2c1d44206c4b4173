from django.urls import path

from guangong.core import resource_views
from guangong.jobs.views import import_urls

from . import views
from .importers import OrganizationImporter

app_name = "orgs"

urlpatterns = [
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    *import_urls(app_name, "organization", OrganizationImporter),
    path("tree/", views.TreeChildrenView.as_view(), name="tree_children"),
    path("choices/", views.OrgChoicesView.as_view(), name="org_choices"),
    # Organisations and leadership positions (``orgs.resources``).
    *resource_views.urls("orgs"),
]
