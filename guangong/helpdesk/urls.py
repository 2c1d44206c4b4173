"""The care workers' pages of the help desk under /helpdesk/ (login required)."""

from guangong.core import resource_views
from guangong.core.resources import resource_for

from . import views
from .models import HelpRequest

app_name = "helpdesk"

urlpatterns = [
    # The queue (``request_list``), a request's page (``request_detail``) and its actions.
    *resource_views.urls("helpdesk"),
    *resource_views.row_urls(
        resource_for(HelpRequest),
        {
            "reply": views.ReplyView,
            "refer": views.ReferView,
            "close": views.CloseView,
            "take": views.TakeView,
            "reveal": views.RevealPhoneView,
            "convert": views.ConvertView,
        },
    ),
]
