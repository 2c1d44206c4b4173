"""Accounts' resources (``core.resources``)."""

from django.contrib.auth import get_user_model

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

# Reading and changing the user list is an administrator's job, in their subtree.
register(
    Resource(
        get_user_model(),
        policy=Policy(verbs={"read": ("manage_users",), "write": ("manage_users",)}),
    )
)
