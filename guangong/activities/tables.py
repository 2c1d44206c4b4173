"""The activity list; the same columns are the .xlsx export."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from guangong.core.export import Field
from guangong.core.resources import policy_for
from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, Card, DateColumn, OrganizationColumn

from .models import Activity, ActivityRange


def _iso(value) -> str:
    return value.isoformat() if value else ""


class ActivityTable(tables.Table):
    card = Card(title="title", date="date", fields=("type", "participants"))
    date = DateColumn(verbose_name=_("Date"), format="Y-m-d")
    title = tables.Column(verbose_name=_("Title"))  # render_title links it
    type = tables.Column(accessor="type__label", verbose_name=_("Activity type"))
    participants = tables.Column(verbose_name=_("Participants"))
    place = tables.Column(verbose_name=_("Place"), attrs=WIDE_ONLY)
    organization = OrganizationColumn()
    joint = tables.Column(
        accessor="co_organizer_count",
        verbose_name=_("Joint"),
        orderable=False,
        attrs=WIDE_ONLY,
    )

    class Meta:
        model = Activity
        fields = ("date", "title", "type", "participants", "place", "organization")
        sequence = ("date", "title", "type", "participants", "place", "organization", "joint")
        order_by = ("-date",)
        attrs = {**TABLE_ATTRS, "data-testid": "activity-table"}

    def render_title(self, record, value):
        if getattr(record, "co_organizer_count", 0):
            return format_html(
                '<a href="{}">{}</a> '
                '<span class="badge text-bg-info" data-testid="joint-badge">{}</span>',
                record.get_absolute_url(),
                value,
                _("Joint"),
            )
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def render_joint(self, value):
        return _("Yes") if value else "—"

    def value_joint(self, value):
        return str(_("Yes") if value else _("No"))

    def value_title(self, value):
        return value

    def value_date(self, value):
        return _iso(value)


def activity_export_fields() -> list[Field]:
    """``ActivityTable``'s export, cell for cell, read with values_list (large ledgers)."""

    def header(name: str):
        return ActivityTable.base_columns[name].verbose_name

    yes, no = str(_("Yes")), str(_("No"))  # translated once, not per row

    return [
        Field(header("date"), "date", _iso),
        Field(header("title"), "title"),
        Field(header("type"), "type__label"),
        Field(header("participants"), "participants"),
        Field(header("place"), "place"),
        Field(header("organization"), "organization__name"),
        Field(header("joint"), "co_organizer_count", lambda v: yes if v else no),
    ]


class ActivityRangeTable(tables.Table):
    type = tables.Column(accessor="type__label", verbose_name=_("Activity type"))
    org_kind = tables.Column(verbose_name=_("Organisation kind"), default=_("Every kind"))
    max_participants = tables.Column(verbose_name=_("Most participants"))
    max_hours = tables.Column(verbose_name=_("Most hours of an elder a day"))
    computed = tables.BooleanColumn(verbose_name=_("Computed from the ledger"))
    edit = tables.Column(
        empty_values=(), orderable=False, verbose_name="", exclude_from_export=True
    )

    class Meta:
        model = ActivityRange
        fields = ("type", "org_kind", "max_participants", "max_hours", "computed")
        attrs = {**TABLE_ATTRS, "data-testid": "range-table"}

    def render_org_kind(self, record):
        return record.get_org_kind_display()

    def render_edit(self, record):
        user = getattr(getattr(self, "request", None), "user", None)
        if not policy_for(ActivityRange).may(user, "write"):
            return ""
        url = reverse("activities:activityrange_edit", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit"))
