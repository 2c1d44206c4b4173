"""The case list and the access log. Neither ever reads an encrypted column."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import (
    TABLE_ATTRS,
    WIDE_ONLY,
    Card,
    ChoiceColumn,
    DateColumn,
    DateTimeColumn,
    OrganizationColumn,
)

from .models import Access, Case


class CaseTable(tables.Table):
    card = Card(title="number", date="opened_on", status="status", fields=("youth", "kind"))
    number = tables.Column(linkify=True, verbose_name=_("Case number"))
    youth = tables.Column(
        accessor="youth__name", verbose_name=_("Person helped"), default="—", orderable=False
    )
    kind = tables.Column(accessor="kind__label", verbose_name=_("Kind of help"))
    status = ChoiceColumn(verbose_name=_("Stage"))
    organization = OrganizationColumn(attrs=WIDE_ONLY)
    care_worker = tables.Column(verbose_name=_("Care worker"), default="—", attrs=WIDE_ONLY)
    opened_on = DateColumn(format="Y-m-d", verbose_name=_("Opened on"))
    amount_disbursed = tables.Column(
        verbose_name=_("Disbursed (yuan)"), default="—", attrs=WIDE_ONLY
    )

    class Meta:
        model = Case
        fields = ()
        sequence = (
            "number",
            "youth",
            "kind",
            "status",
            "organization",
            "care_worker",
            "opened_on",
            "amount_disbursed",
        )
        attrs = TABLE_ATTRS
        empty_text = _("No cases.")

    def value_care_worker(self, value):
        return str(value) if value else ""


class AccessTable(tables.Table):
    card = Card(title="case_number", date="at", status="kind", fields=("username", "reason"))
    at = DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("Time"))
    username = tables.Column(verbose_name=_("User"))
    kind = ChoiceColumn(verbose_name=_("Access"))
    case_number = tables.Column(verbose_name=_("Case number"))
    detail = tables.Column(verbose_name=_("What"), default="", attrs=WIDE_ONLY)
    reason = tables.Column(verbose_name=_("Reason"), default="")
    ip = tables.Column(verbose_name=_("IP address"), default="", attrs=WIDE_ONLY)

    class Meta:
        model = Access
        fields = ()
        sequence = ("at", "username", "kind", "case_number", "detail", "reason", "ip")
        attrs = TABLE_ATTRS
        empty_text = _("Nothing logged.")
