"""Accounts' resources (``core.resources``)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import views
from .filters import UserFilterSet
from .tables import UserTable

# Reading and changing the user list is an administrator's job, in their subtree. An account's
# page is its edit form, at ``users/<pk>/`` (``accounts:user_edit``), with its password beside.
register(
    Resource(
        get_user_model(),
        policy=Policy(verbs={"read": ("manage_users",), "write": ("manage_users",)}),
        prefix="users",
        filterset=UserFilterSet,
        table=UserTable,
        pages=("list", "add", "edit", "password"),
        routes={"edit": "users/<int:pk>/"},
        views={
            "list": views.UserListView,
            "add": views.UserFormView,
            "edit": views.UserFormView,
            "password": views.UserPasswordView,
        },
        select_related=("organization",),
    )
)

menu.register(MenuItem("accounts:user_list", _("Users"), order=130, verbs=("manage_users",)))
