"""Organisations' resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .models import Organization

# An organisation owns itself: a user sees their organisation and everything below it.
register(Resource(Organization, policy=Policy(owner="path")))
