"""The audit log's list: for auditors (``audit``), their subtree's records, newest first (its
detail page is the generic one, ``audit.resources``)."""

from guangong.core.resource_views import ResourceListView


class AuditListView(ResourceListView):
    per_page = 50

    def get_queryset(self):
        return super().get_queryset().order_by("-time", "-id")
