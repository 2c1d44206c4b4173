from django.urls import path

from guangong.core import resource_views
from guangong.core.resources import resource_for

from .models import ActionItem, Meeting, MemberUnit
from .views import items, meetings, units

app_name = "meetings"

urlpatterns = [
    *resource_views.urls("meetings"),
    *resource_views.row_urls(
        resource_for(MemberUnit), {"reveal": units.RevealView, "link": units.LinkView}
    ),
    *resource_views.row_urls(
        resource_for(Meeting),
        {
            "hold": meetings.HoldView,
            "minute": meetings.MinuteView,
            "file_add": meetings.FileAddView,
        },
    ),
    path(
        "<int:pk>/files/<int:minutes_file_pk>/",
        meetings.FileView.as_view(),
        name="meeting_file",
    ),
    path(
        "<int:pk>/files/<int:minutes_file_pk>/delete/",
        meetings.FileDeleteView.as_view(),
        name="meeting_file_delete",
    ),
    *resource_views.row_urls(
        resource_for(ActionItem),
        {
            "report": items.ReportView,
            "finish": items.FinishView,
            "approve": items.ApproveView,
            "return": items.ReturnView,
        },
    ),
    path(
        "items/<int:pk>/evidence/<int:report_pk>/",
        items.EvidenceView.as_view(resource=resource_for(ActionItem)),
        name="actionitem_evidence",
    ),
]
