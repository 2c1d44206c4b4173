from guangong.core.views import ObjectDetailView, ObjectListView

from .filters import AuditFilterSet
from .models import AuditLog
from .tables import AuditTable


class AuditListView(ObjectListView):
    model = AuditLog
    verb = "audit"
    table_class = AuditTable
    filterset_class = AuditFilterSet
    per_page = 50

    def get_queryset(self):
        return super().get_queryset().order_by("-time", "-id")


class AuditDetailView(ObjectDetailView):
    model = AuditLog
    verb = "audit"
    template_name = "audit/auditlog_detail.html"
