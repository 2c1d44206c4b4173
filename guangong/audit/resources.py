"""The audit log's resources (``core.resources``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import views
from .filters import AuditFilterSet
from .models import AuditLog
from .tables import AuditTable

# Auditors (``audit``) read the log of their subtree; nobody changes it.
register(
    Resource(
        AuditLog,
        policy=Policy(owner="org_path", verbs={"read": ("audit",)}),
        filterset=AuditFilterSet,
        table=AuditTable,
        pages=("list", "detail"),
        views={"list": views.AuditListView},
        detail_template="audit/auditlog_detail.html",
    )
)

menu.register(MenuItem("audit:auditlog_list", _("Audit log"), order=150, verbs=("audit",)))
