"""The lists of member units, meetings and action items; the same columns are the exports."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, DateColumn, OrganizationColumn
from guangong.core.validators import mask_phone

from .models import ActionItem, Meeting, MemberUnit


class MemberUnitTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    kind = tables.Column(accessor="kind__label", verbose_name=_("Kind of member unit"))
    contact_person = tables.Column(verbose_name=_("Contact person"), attrs=WIDE_ONLY)
    phone = tables.Column(verbose_name=_("Phone"), attrs=WIDE_ONLY)
    organization = OrganizationColumn()

    class Meta:
        model = MemberUnit
        fields = ("name", "kind", "contact_person", "phone", "organization")
        attrs = {**TABLE_ATTRS, "data-testid": "unit-table"}

    def render_phone(self, value):
        return mask_phone(value)

    def value_phone(self, value):
        return mask_phone(value) if value else ""


class MeetingTable(tables.Table):
    date = DateColumn(verbose_name=_("Date"), format="Y-m-d")
    title = tables.Column(linkify=True, verbose_name=_("Title"))
    kind = tables.Column(accessor="kind__label", verbose_name=_("Kind of meeting"))
    status = tables.Column(verbose_name=_("Status"))
    place = tables.Column(verbose_name=_("Place"), attrs=WIDE_ONLY)
    organization = OrganizationColumn(verbose_name=_("Organiser"))

    class Meta:
        model = Meeting
        fields = ("date", "title", "kind", "status", "place", "organization")
        order_by = ("-date",)
        attrs = {**TABLE_ATTRS, "data-testid": "meeting-table"}


class ActionItemTable(tables.Table):
    task = tables.Column(linkify=True, verbose_name=_("Task"))
    owner = tables.Column(
        accessor="owner_name", verbose_name=_("Owner"), orderable=False, empty_values=()
    )
    due_date = DateColumn(verbose_name=_("Due date"), format="Y-m-d")
    state = tables.Column(
        accessor="shown_status_label", verbose_name=_("Status"), orderable=False, empty_values=()
    )
    meeting = tables.Column(accessor="meeting__title", verbose_name=_("Meeting"), attrs=WIDE_ONLY)

    class Meta:
        model = ActionItem
        fields = ("task", "owner", "due_date", "state", "meeting")
        attrs = {**TABLE_ATTRS, "data-testid": "item-table"}
