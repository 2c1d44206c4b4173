from django.urls import path

from guangong.core import resource_views
from guangong.jobs.views import ImportStartView, ImportTemplateView

from . import views
from .importers import OrganizationImporter

app_name = "orgs"

urlpatterns = [
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path(
        "import/",
        ImportStartView.as_view(
            importer_class=OrganizationImporter,
            template_url_name="orgs:organization_import_template",
        ),
        name="organization_import",
    ),
    path(
        "import/template/",
        ImportTemplateView.as_view(importer_class=OrganizationImporter),
        name="organization_import_template",
    ),
    path("tree/", views.TreeChildrenView.as_view(), name="tree_children"),
    path("choices/", views.OrgChoicesView.as_view(), name="org_choices"),
    # Organisations and leadership positions (``orgs.resources``).
    *resource_views.urls("orgs"),
]
