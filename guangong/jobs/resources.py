"""Background jobs' resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .models import Job

# Users see their own jobs; administrators (``manage_users``) also those of their subtree.
register(Resource(Job, policy=Policy(own="user", verbs={"read": ("manage_users",)})))
