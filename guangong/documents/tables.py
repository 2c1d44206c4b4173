"""List tables of bulletins, summaries and generated files (also their .xlsx export)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core.tables import (
    TABLE_ATTRS,
    WIDE_ONLY,
    Card,
    DateColumn,
    DateTimeColumn,
    OrganizationColumn,
)

from .models import Bulletin, GeneratedDocument, WorkSummary


class BulletinTable(tables.Table):
    card = Card(title="title", date="date", status="status", fields=("number", "organization"))
    title = tables.Column(linkify=True, verbose_name=_("Headline"))
    number = tables.Column(
        accessor="issue_no",
        verbose_name=_("Issue"),
        order_by=("-year", "-issue_no"),
    )
    organization = OrganizationColumn(_("Issued by"), attrs=WIDE_ONLY)
    date = DateColumn(format="Y-m-d", verbose_name=_("Date"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Bulletin
        fields = ("title", "number", "organization", "date", "status")
        attrs = {**TABLE_ATTRS, "data-testid": "bulletin-table"}
        empty_text = _("No bulletins yet.")

    def render_number(self, record):
        return _("%(year)s No. %(no)s (cumulative %(total)s)") % {
            "year": record.year,
            "no": record.issue_no,
            "total": record.cumulative_no,
        }

    def value_number(self, record):
        return self.render_number(record)


class SummaryTable(tables.Table):
    card = Card(title="title", date="updated_at", fields=("period", "organization"))
    title = tables.Column(linkify=True, verbose_name=_("Title"))
    organization = OrganizationColumn(attrs=WIDE_ONLY)
    period = tables.Column(
        accessor="period_start", verbose_name=_("Period"), order_by=("-period_end",)
    )
    updated_at = DateTimeColumn(format="Y-m-d H:i", verbose_name=_("Updated"))

    class Meta:
        model = WorkSummary
        fields = ("title", "organization", "period", "updated_at")
        attrs = {**TABLE_ATTRS, "data-testid": "summary-table"}
        empty_text = _("No summaries yet.")

    def render_period(self, record):
        return f"{record.period_start:%Y-%m-%d} – {record.period_end:%Y-%m-%d}"

    def value_period(self, record):
        return self.render_period(record)


class GeneratedTable(tables.Table):
    card = Card(title="label", date="created_at", fields=("kind", "download"))
    label = tables.Column(verbose_name=_("Document"))
    kind = tables.Column(verbose_name=pgettext_lazy("document", "Kind"))
    format = tables.Column(verbose_name=_("Format"))
    organization = OrganizationColumn(attrs=WIDE_ONLY)
    created_at = DateTimeColumn(format="Y-m-d H:i", verbose_name=_("Generated"))
    download = tables.Column(
        accessor="pk", verbose_name=_("File"), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = GeneratedDocument
        fields = ("label", "kind", "format", "organization", "created_at", "download")
        attrs = {**TABLE_ATTRS, "data-testid": "generated-table"}
        empty_text = _("No documents generated yet.")

    def render_label(self, record):
        owner = record.bulletin or record.summary
        if owner is None:
            return record.label
        return format_html('<a href="{}">{}</a>', owner.get_absolute_url(), record.label)

    def value_label(self, record):
        return record.label

    def render_download(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
            reverse("documents:generated_download", args=[record.pk]),
            _("Download"),
        )
