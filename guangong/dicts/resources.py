"""Dictionaries' resources (``core.resources``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import services, views
from .api import DictItemViewSet
from .filters import DictItemFilterSet
from .forms import DictItemForm
from .models import DictItem
from .tables import DictItemTable

# Not organisation-scoped: the same lists serve the whole network. Everyone who reads records
# reads them; system administrators change them.
register(
    Resource(
        DictItem,
        policy=Policy(owner=None, verbs={"write": (services.VERB,)}),
        filterset=DictItemFilterSet,
        table=DictItemTable,
        form=DictItemForm,
        delete=services.delete_item,
        pages=("list", "add", "edit", "delete"),
        views={
            "list": views.DictItemListView,
            "add": views.DictItemCreateView,
            "edit": views.DictItemEditView,
            "delete": views.DictItemDeleteView,
        },
        api="dicts",
        api_viewset=DictItemViewSet,
        api_noun="dictionary item",
        api_summaries={
            "list": "List dictionary items (?kind=youth_category)",
            "create": "Add an item to a dictionary (manage_system)",
            "update": "Rename, reorder or (de)activate an item (manage_system)",
            "partial_update": "Change some fields of an item (manage_system)",
            "destroy": "Delete an item that is neither built in nor in use",
        },
    )
)

menu.register(
    MenuItem("dicts:dictitem_list", _("Dictionaries"), order=140, verbs=("manage_system",))
)
