from django.urls import path

from . import views, views_collect, views_editor

app_name = "reporting"

urlpatterns = [
    # 我的报表 and single reports
    path("", views.MyReportsView.as_view(), name="my_reports"),
    path("file/<int:form>/<str:start>/", views.FileView.as_view(), name="file"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/approve/", views.ReportActionView.as_view(action="approve"), name="approve"),
    path("<int:pk>/return/", views.ReportActionView.as_view(action="return"), name="return"),
    path("<int:pk>/unlock/", views.ReportActionView.as_view(action="unlock"), name="unlock"),
    # Collecting
    path("forms/<int:pk>/collect/", views_collect.CollectView.as_view(), name="collect"),
    path(
        "forms/<int:pk>/collect/export/",
        views_collect.CollectExportView.as_view(),
        name="collect_export",
    ),
    path(
        "forms/<int:pk>/not-reported/",
        views_collect.NotReportedView.as_view(),
        name="not_reported",
    ),
    path("overdue/", views_collect.OverdueView.as_view(), name="overdue"),
    # The form editor
    path("forms/", views_editor.FormListView.as_view(), name="form_list"),
    path("forms/new/", views_editor.FormEditView.as_view(), name="form_add"),
    path("forms/params/", views_editor.ParamChoicesView.as_view(), name="param_choices"),
    path("forms/<int:pk>/", views_editor.FormDetailView.as_view(), name="form_detail"),
    path("forms/<int:pk>/edit/", views_editor.FormEditView.as_view(), name="form_edit"),
    path("forms/<int:pk>/preview/", views_editor.FormPreviewView.as_view(), name="form_preview"),
    path(
        "forms/<int:form>/sections/new/",
        views_editor.SectionEditView.as_view(),
        name="section_add",
    ),
    path(
        "forms/<int:form>/sections/<int:pk>/edit/",
        views_editor.SectionEditView.as_view(),
        name="section_edit",
    ),
    path(
        "forms/<int:form>/sections/<int:pk>/delete/",
        views_editor.SectionDeleteView.as_view(),
        name="section_delete",
    ),
    path(
        "forms/<int:form>/sections/<int:pk>/up/",
        views_editor.SectionMoveView.as_view(),
        {"way": "up"},
        name="section_move_up",
    ),
    path(
        "forms/<int:form>/sections/<int:pk>/down/",
        views_editor.SectionMoveView.as_view(),
        {"way": "down"},
        name="section_move_down",
    ),
    path("forms/<int:form>/items/new/", views_editor.ItemEditView.as_view(), name="item_add"),
    path(
        "forms/<int:form>/items/<int:pk>/edit/",
        views_editor.ItemEditView.as_view(),
        name="item_edit",
    ),
    path(
        "forms/<int:form>/items/<int:pk>/delete/",
        views_editor.ItemDeleteView.as_view(),
        name="item_delete",
    ),
    path(
        "forms/<int:form>/items/<int:pk>/up/",
        views_editor.ItemMoveView.as_view(),
        {"way": "up"},
        name="item_move_up",
    ),
    path(
        "forms/<int:form>/items/<int:pk>/down/",
        views_editor.ItemMoveView.as_view(),
        {"way": "down"},
        name="item_move_down",
    ),
    path("forms/<int:form>/rules/new/", views_editor.RuleEditView.as_view(), name="rule_add"),
    path(
        "forms/<int:form>/rules/<int:pk>/edit/",
        views_editor.RuleEditView.as_view(),
        name="rule_edit",
    ),
    path(
        "forms/<int:form>/rules/<int:pk>/delete/",
        views_editor.RuleDeleteView.as_view(),
        name="rule_delete",
    ),
]
