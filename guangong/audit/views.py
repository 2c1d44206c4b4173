"""The audit log's pages: for auditors (``audit``), their subtree's records, newest first."""

from guangong.core.resource_views import ResourceDetailView, ResourceListView


class AuditListView(ResourceListView):
    verb = "audit"
    per_page = 50

    def get_queryset(self):
        return super().get_queryset().order_by("-time", "-id")


class AuditDetailView(ResourceDetailView):
    verb = "audit"
