from django.urls import path

from guangong.core import resource_views

from .views import collect, editor, reports

app_name = "reporting"


def form_parts(noun: str, plural: str, edit, delete, move=None) -> list:
    """The editor's pages of one part of a form: add, edit, delete, and move up and down."""
    base = f"forms/<int:form>/{plural}/"
    patterns = [
        path(f"{base}new/", edit.as_view(), name=f"{noun}_add"),
        path(f"{base}<int:pk>/edit/", edit.as_view(), name=f"{noun}_edit"),
        path(f"{base}<int:pk>/delete/", delete.as_view(), name=f"{noun}_delete"),
    ]
    for way in ("up", "down") if move is not None else ():
        patterns.append(
            path(f"{base}<int:pk>/{way}/", move.as_view(), {"way": way}, name=f"{noun}_move_{way}")
        )
    return patterns


urlpatterns = [
    # 我的报表 and single reports
    path("", reports.MyReportsView.as_view(), name="my_reports"),
    path("file/<int:form>/<str:start>/", reports.FileView.as_view(), name="file"),
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
        "forms/<int:pk>/collect/approve/",
        collect.BatchApproveView.as_view(),
        name="approve_batch",
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
    *form_parts(
        "section",
        "sections",
        editor.SectionEditView,
        editor.SectionDeleteView,
        editor.SectionMoveView,
    ),
    *form_parts("item", "items", editor.ItemEditView, editor.ItemDeleteView, editor.ItemMoveView),
    *form_parts("rule", "rules", editor.RuleEditView, editor.RuleDeleteView),
]
