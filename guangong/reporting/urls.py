from django.urls import path

from guangong.core import resource_views
from guangong.core.resources import resource_for

from .models import ReportForm
from .views import collect, editor, reports

app_name = "reporting"

urlpatterns = [
    # 我的报表 and single reports
    path("", reports.MyReportsView.as_view(), name="my_reports"),
    path("file/<int:form>/<str:start>/", reports.FileView.as_view(), name="file"),
    path("<int:pk>/", reports.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/approve/", reports.ReportActionView.as_view(action="approve"), name="approve"),
    path("<int:pk>/return/", reports.ReportActionView.as_view(action="return"), name="return"),
    path("<int:pk>/unlock/", reports.ReportActionView.as_view(action="unlock"), name="unlock"),
    # Collecting
    path("forms/<int:pk>/collect/", collect.CollectView.as_view(), name="collect"),
    path(
        "forms/<int:pk>/collect/export/",
        collect.CollectExportView.as_view(),
        name="collect_export",
    ),
    path(
        "forms/<int:pk>/not-reported/",
        collect.NotReportedView.as_view(),
        name="not_reported",
    ),
    path("overdue/", collect.OverdueView.as_view(), name="overdue"),
    # The form editor: the forms' list, detail, add and edit pages come from the resource
    *resource_views.urls("reporting"),
    path("forms/params/", editor.ParamChoicesView.as_view(), name="param_choices"),
    path(
        "forms/<int:pk>/preview/",
        editor.FormPreviewView.as_view(resource=resource_for(ReportForm)),
        name="form_preview",
    ),
    path(
        "forms/<int:form>/sections/new/",
        editor.SectionEditView.as_view(),
        name="section_add",
    ),
    path(
        "forms/<int:form>/sections/<int:pk>/edit/",
        editor.SectionEditView.as_view(),
        name="section_edit",
    ),
    path(
        "forms/<int:form>/sections/<int:pk>/delete/",
        editor.SectionDeleteView.as_view(),
        name="section_delete",
    ),
    path(
        "forms/<int:form>/sections/<int:pk>/up/",
        editor.SectionMoveView.as_view(),
        {"way": "up"},
        name="section_move_up",
    ),
    path(
        "forms/<int:form>/sections/<int:pk>/down/",
        editor.SectionMoveView.as_view(),
        {"way": "down"},
        name="section_move_down",
    ),
    path("forms/<int:form>/items/new/", editor.ItemEditView.as_view(), name="item_add"),
    path(
        "forms/<int:form>/items/<int:pk>/edit/",
        editor.ItemEditView.as_view(),
        name="item_edit",
    ),
    path(
        "forms/<int:form>/items/<int:pk>/delete/",
        editor.ItemDeleteView.as_view(),
        name="item_delete",
    ),
    path(
        "forms/<int:form>/items/<int:pk>/up/",
        editor.ItemMoveView.as_view(),
        {"way": "up"},
        name="item_move_up",
    ),
    path(
        "forms/<int:form>/items/<int:pk>/down/",
        editor.ItemMoveView.as_view(),
        {"way": "down"},
        name="item_move_down",
    ),
    path("forms/<int:form>/rules/new/", editor.RuleEditView.as_view(), name="rule_add"),
    path(
        "forms/<int:form>/rules/<int:pk>/edit/",
        editor.RuleEditView.as_view(),
        name="rule_edit",
    ),
    path(
        "forms/<int:form>/rules/<int:pk>/delete/",
        editor.RuleDeleteView.as_view(),
        name="rule_delete",
    ),
]
