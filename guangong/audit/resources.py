"""The audit log's resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .models import AuditLog

# Auditors (``audit``) read the log of their subtree.
register(Resource(AuditLog, policy=Policy(owner="org_path", verbs={"read": ("audit",)})))
