"""The list of populations."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from guangong.core.resources import policy_for
from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, Card

from .models import Population


class PopulationTable(tables.Table):
    card = Card(title="kind", date="year", fields=("count", "organization"))
    organization = tables.Column(
        accessor="organization__name", verbose_name=_("Organisation"), order_by="organization__path"
    )
    year = tables.Column(verbose_name=_("Year"))
    kind = tables.Column(verbose_name=_("Population"))
    count = tables.Column(verbose_name=_("Number of people"))
    source = tables.Column(verbose_name=_("Source"), attrs=WIDE_ONLY)
    edit = tables.Column(
        empty_values=(), orderable=False, verbose_name="", exclude_from_export=True
    )

    class Meta:
        model = Population
        fields = ("organization", "year", "kind", "count", "source")
        attrs = {**TABLE_ATTRS, "data-testid": "population-table"}

    def render_edit(self, record):
        user = getattr(getattr(self, "request", None), "user", None)
        if not policy_for(Population).may(user, "write"):
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("stats:population_edit", args=[record.pk]), _("Edit")
        )
