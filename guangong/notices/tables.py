import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import (
    TABLE_ATTRS,
    WIDE_ONLY,
    ChoiceColumn,
    DateColumn,
    LocalDateTimeColumn,
)

from .models import InfoItem, Notice, Receipt


class NoticeTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Title"))
    doc_number = tables.Column(
        verbose_name=_("Document number"), accessor="doc_number", order_by=("number",)
    )
    organization = tables.Column(verbose_name=_("Issued by"), accessor="organization__name")
    status = ChoiceColumn(verbose_name=_("Status"))
    issued_on = DateColumn(verbose_name=_("Issued on"), attrs=WIDE_ONLY)
    feedback_due = DateColumn(verbose_name=_("Feedback due"), attrs=WIDE_ONLY)

    class Meta:
        model = Notice
        fields = ("title", "doc_number", "organization", "status", "issued_on", "feedback_due")
        attrs = TABLE_ATTRS


class ReceiptTable(tables.Table):
    organization = tables.Column(
        verbose_name=_("Recipient unit"),
        accessor="organization__name",
        order_by=("organization__path",),
        linkify=lambda record: record.get_absolute_url(),
    )
    read_at = LocalDateTimeColumn(verbose_name=_("First read"), format="Y-m-d H:i")
    read_by_name = tables.Column(verbose_name=_("Read by"), attrs=WIDE_ONLY)
    answered_at = LocalDateTimeColumn(verbose_name=_("Answered"), format="Y-m-d H:i")
    reminders_sent = tables.Column(verbose_name=_("Reminders"), attrs=WIDE_ONLY)

    class Meta:
        model = Receipt
        fields = ("organization", "read_at", "read_by_name", "answered_at", "reminders_sent")
        attrs = TABLE_ATTRS
        row_attrs = {"data-testid": "receipt-row"}


class ItemTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Title"))
    organization = tables.Column(verbose_name=_("Sent by"), accessor="organization__name")
    kind = tables.Column(verbose_name=_("Kind of information"))
    status = ChoiceColumn(verbose_name=_("Status"))
    handler = tables.Column(verbose_name=_("With"), accessor="handler__name", attrs=WIDE_ONLY)
    sent_on = DateColumn(verbose_name=_("Sent on"), attrs=WIDE_ONLY)

    class Meta:
        model = InfoItem
        fields = ("title", "organization", "kind", "status", "handler", "sent_on")
        attrs = TABLE_ATTRS
        order_by = ("-sent_on",)
