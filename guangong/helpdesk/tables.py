import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, Card, ChoiceColumn, DateTimeColumn

from .models import HelpRequest


class HelpRequestTable(tables.Table):
    card = Card(title="code", date="created_at", status="status", fields=("kind", "organization"))
    code = tables.Column(linkify=True, verbose_name=_("Tracking code"))
    status = ChoiceColumn(verbose_name=_("Status"))
    kind = tables.Column(verbose_name=_("Kind of help"))
    organization = tables.Column(verbose_name=_("Handled by"))
    assigned_to = tables.Column(verbose_name=_("Care worker"), attrs=WIDE_ONLY)
    created_at = DateTimeColumn(verbose_name=_("Submitted"), format="Y-m-d H:i", attrs=WIDE_ONLY)

    class Meta:
        model = HelpRequest
        fields = ("code", "status", "kind", "organization", "assigned_to", "created_at")
        attrs = TABLE_ATTRS
        order_by = ("-created_at",)
