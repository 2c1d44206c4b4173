"""The notices' and information items' pages under /notices/ (login required)."""

from django.urls import path

from guangong.core import resource_views
from guangong.core.resources import resource_for

from .models import InfoItem, Notice
from .views import items, notices

app_name = "notices"

_notice = resource_for(Notice)
_item = resource_for(InfoItem)

urlpatterns = [
    path("items/stats/", items.StatsView.as_view(resource=_item), name="item_stats"),
    *resource_views.urls("notices"),
    *resource_views.row_urls(
        _notice,
        {
            "issue": notices.IssueView,
            "remind": notices.RemindView,
            "receipts": notices.ReceiptsView,
        },
    ),
    path(
        "<int:pk>/files/<int:file_pk>/",
        notices.FileView.as_view(resource=_notice),
        name="notice_file",
    ),
    *resource_views.row_urls(
        _item,
        {
            "approve": items.AcceptView,
            "return": items.ReturnView,
            "forward": items.ForwardView,
            "bulletin": items.ToBulletinView,
        },
    ),
    path(
        "items/<int:pk>/photos/<int:photo_pk>/",
        items.PhotoView.as_view(resource=_item),
        name="item_photo",
    ),
]
