import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, ChoiceColumn, DateTimeColumn

from .models import Delivery


class DeliveryTable(tables.Table):
    created_at = DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("Queued"))
    channel = ChoiceColumn(verbose_name=_("Channel"))
    recipient = tables.Column(verbose_name=_("Recipient"))
    subject = tables.Column(verbose_name=_("Subject"), attrs=WIDE_ONLY)
    status = ChoiceColumn(verbose_name=_("Status"))
    attempts = tables.Column(verbose_name=_("Attempts"))
    error = tables.Column(verbose_name=_("Error"), default="", attrs=WIDE_ONLY)

    class Meta:
        model = Delivery
        fields = ()
        sequence = ("created_at", "channel", "recipient", "subject", "status", "attempts", "error")
        attrs = TABLE_ATTRS
        empty_text = _("Nothing sent yet.")
