"""The help desk's resources (``core.resources``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .api import HelpRequestViewSet
from .filters import HelpRequestFilterSet
from .models import HelpRequest
from .tables import HelpRequestTable
from .views import QueueView, RequestDetailView

# Requests are read by users who may work on care, in the owner's subtree and in that of any
# organisation the request was referred on from (read only); counted with ``view``.
register(
    Resource(
        HelpRequest,
        policy=Policy(
            verbs={
                "read": ("view", "care"),
                "write": ("edit", "care"),
                "reveal": ("reveal", "care"),
            },
            reach=("referrals__from_org__path",),
        ),
        # The care workers' queue (``/helpdesk/``) and a request's page; the actions on it
        # are in urls.py. Its pages are named ``request_*``.
        noun="request",
        filterset=HelpRequestFilterSet,
        table=HelpRequestTable,
        pages=("list", "detail"),
        views={"list": QueueView, "detail": RequestDetailView},
        select_related=("organization", "addressed_to", "kind", "assigned_to", "case"),
        api="help-requests",
        api_viewset=HelpRequestViewSet,
        api_summaries={
            "list": "List help requests in scope (care workers)",
            "retrieve": "One help request with its replies and referrals",
            "reply": "Reply to the requester (public) or add an internal note",
            "refer": "Refer the request to another organisation (it owns the request from then on)",
            "close": "Close the request",
            "convert": "Turn the request into a care case, for an existing or a new young person",
            "reveal_phone": "Reveal the requester's phone (audited; needs the reveal verb)",
        },
    )
)

menu.register(
    MenuItem(
        "helpdesk:request_list",
        _("Online help requests"),
        order=100,
        verbs=("care",),
        testid="nav-helpdesk",
    )
)
