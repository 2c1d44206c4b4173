"""Messages' resources (``core.resources``).

A message and a preference are their user's alone: the policy grants the other users' rows to
a verb no role holds, so everyone reads and changes only their own (anyone else's is a 404).
The delivery log is read by system administrators (``manage_system``) in their subtree.
"""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import views
from .api import MessageViewSet
from .filters import DeliveryFilterSet
from .models import Delivery, Message, Preference
from .tables import DeliveryTable

#: A verb no role holds: nobody reads another user's messages.
NOBODY = ("read_others_messages",)
OWN_ONLY = dict.fromkeys(("read", "write", "count"), NOBODY)

register(
    Resource(
        Message,
        policy=Policy(
            owner=None, own="recipient", own_ops=frozenset({"read", "write"}), verbs=OWN_ONLY
        ),
        api="messages",
        api_viewset=MessageViewSet,
        api_summaries={
            "list": "The caller's own messages (newest first)",
            "read": "Mark one of the caller's messages read",
            "read_all": "Mark all the caller's messages read",
        },
    )
)
register(
    Resource(
        Preference,
        policy=Policy(owner=None, own="user", own_ops=frozenset({"read", "write"}), verbs=OWN_ONLY),
    )
)
register(
    Resource(
        Delivery,
        policy=Policy(owner="org_path", verbs={"read": ("manage_system",)}),
        prefix="deliveries",
        filterset=DeliveryFilterSet,
        table=DeliveryTable,
        pages=("list",),
        views={"list": views.DeliveryLogView},
    )
)

menu.register(
    MenuItem(
        "notifications:delivery_list",
        _("Delivery log"),
        order=152,
        verbs=("manage_system",),
        group=menu.SYSTEM,
    )
)
