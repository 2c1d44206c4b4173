"""The help desk's resources (``core.resources``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .api import HelpRequestViewSet
from .models import HelpRequest

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
        api="help-requests",
        api_viewset=HelpRequestViewSet,
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
