import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import TABLE_ATTRS, Card, LocalDateTimeColumn

from .models import AuditLog


class AuditTable(tables.Table):
    card = Card(title="action", date="time", fields=("username", "object_repr"))
    time = LocalDateTimeColumn(
        verbose_name=_("Time"),
        format="Y-m-d H:i:s",
        export="%Y-%m-%d %H:%M:%S",
        linkify=("audit:auditlog_detail", {"pk": tables.A("pk")}),
    )
    username = tables.Column(verbose_name=_("User"))
    action = tables.Column(verbose_name=_("Action"))
    object_repr = tables.Column(verbose_name=_("Object"))
    parent_repr = tables.Column(verbose_name=_("Parent"))
    ip = tables.Column(verbose_name=_("IP address"))
    message = tables.Column(verbose_name=_("Message"))

    class Meta:
        model = AuditLog
        fields = ("time", "username", "action", "object_repr", "parent_repr", "ip", "message")
        attrs = {**TABLE_ATTRS, "data-testid": "audit-table"}
