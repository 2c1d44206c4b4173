import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, Card, DateTimeColumn

from .models import DictItem


class DictItemTable(tables.Table):
    card = Card(title="label", status="active", fields=("kind", "actions"))
    kind = tables.Column(verbose_name=_("Dictionary"))
    label = tables.Column(verbose_name=_("Label"))
    order = tables.Column(verbose_name=_("Order"))
    active = tables.BooleanColumn(verbose_name=_("Active"))
    stat_group = tables.Column(verbose_name=_("Statistical group"), attrs=WIDE_ONLY)
    seeded = tables.BooleanColumn(verbose_name=_("Built in"), attrs=WIDE_ONLY)
    updated_at = DateTimeColumn(verbose_name=_("Updated"), format="Y-m-d H:i", attrs=WIDE_ONLY)
    actions = tables.TemplateColumn(
        template_name="dicts/item_actions.html",
        verbose_name=_("Actions"),
        orderable=False,
        empty_values=(),
    )

    def value_active(self, value):
        return str(_("Yes") if value else _("No"))

    def value_seeded(self, value):
        return str(_("Yes") if value else _("No"))

    def value_updated_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    class Meta:
        model = DictItem
        fields = (
            "kind",
            "label",
            "order",
            "active",
            "seeded",
            "stat_group",
            "updated_at",
            "actions",
        )
        order_by = ("kind", "order")
        export_exclude = ("actions",)
        attrs = {**TABLE_ATTRS, "data-testid": "dict-table"}
        row_attrs = {"class": lambda record: "" if record.active else "text-muted"}
