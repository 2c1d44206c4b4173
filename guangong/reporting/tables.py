"""The report form list; the same columns are its .xlsx export."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, Card, DateColumn, yes_no

from .models import ReportForm


class ReportFormTable(tables.Table):
    card = Card(title="name", status="active", fields=("period_type", "owner"))
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    owner = tables.Column(
        accessor="owner__name", verbose_name=_("Defined by"), order_by=("owner__path",)
    )
    period_type = tables.Column(verbose_name=_("Period"))
    due_days = tables.Column(verbose_name=_("Due (days after the period ends)"), attrs=WIDE_ONLY)
    starts_on = DateColumn(verbose_name=_("Reporting starts"), attrs=WIDE_ONLY)
    active = tables.Column(verbose_name=_("In use"), attrs=WIDE_ONLY)

    class Meta:
        model = ReportForm
        fields = ["name", "owner", "period_type", "due_days", "starts_on", "active"]
        attrs = TABLE_ATTRS

    def render_active(self, value):
        return yes_no(value)

    def value_active(self, value):
        return yes_no(value)
