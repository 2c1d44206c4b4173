"""Dictionaries' resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .models import DictItem

# Not organisation-scoped: the same lists serve the whole network. Everyone who reads records
# reads them; system administrators change them.
register(Resource(DictItem, policy=Policy(owner=None, verbs={"write": ("manage_system",)})))
