from django.urls import path

from guangong.jobs.views import ImportStartView, ImportTemplateView

from . import views
from .importers import OrganizationImporter

app_name = "orgs"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization_list"),
    path("new/", views.OrganizationCreateView.as_view(), name="organization_add"),
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
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("<int:pk>/edit/", views.OrganizationEditView.as_view(), name="organization_edit"),
    path("<int:pk>/move/", views.OrganizationMoveView.as_view(), name="organization_move"),
    path("<int:pk>/delete/", views.OrganizationDeleteView.as_view(), name="organization_delete"),
    path("positions/", views.PositionListView.as_view(), name="position_list"),
    path("<int:org_pk>/positions/new/", views.PositionFormView.as_view(), name="position_add"),
    path("positions/<int:pk>/edit/", views.PositionFormView.as_view(), name="position_edit"),
    path("positions/<int:pk>/delete/", views.PositionDeleteView.as_view(), name="position_delete"),
]
