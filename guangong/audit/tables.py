import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import TABLE_ATTRS

from .models import AuditLog


class AuditTable(tables.Table):
    time = tables.DateTimeColumn(
        verbose_name=_("Time"),
        format="Y-m-d H:i:s",
        linkify=("audit:auditlog_detail", {"pk": tables.A("pk")}),
    )
    username = tables.Column(verbose_name=_("User"))
    action = tables.Column(verbose_name=_("Action"))
    object_repr = tables.Column(verbose_name=_("Object"))
    parent_repr = tables.Column(verbose_name=_("Parent"))
    ip = tables.Column(verbose_name=_("IP address"))
    message = tables.Column(verbose_name=_("Message"))

    def value_time(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")

    class Meta:
        model = AuditLog
        fields = ("time", "username", "action", "object_repr", "parent_repr", "ip", "message")
        attrs = {**TABLE_ATTRS, "data-testid": "audit-table"}
