"""List tables; the same columns are the .xlsx export. Phones are masked for readers without
the ``reveal`` verb (an organisation's contact phone is shown in full once marked public)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core.masking import shown_phone
from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, Card, DateColumn

from .models import Organization, Position


class ReaderMixin:
    def reader(self):
        return getattr(getattr(self, "request", None), "user", None)


class OrganizationTable(ReaderMixin, tables.Table):
    """A dissolved organisation (listed only when the filter asks for it) carries a badge by its
    name, which the phone's card shows too, and its dissolution date on wider screens."""

    card = Card(title="name", date="established_on", status="status", fields=("kind", "numchild"))
    name = tables.Column(verbose_name=_("Name"))
    kind = tables.Column(verbose_name=_("Kind"))
    division_code = tables.Column(verbose_name=_("Division code"))
    status = tables.Column(verbose_name=_("Committee status"))
    established_on = DateColumn(verbose_name=_("Established on"), format="Y-m-d", attrs=WIDE_ONLY)
    dissolved_on = DateColumn(verbose_name=_("Dissolved on"), format="Y-m-d", attrs=WIDE_ONLY)
    numchild = tables.Column(verbose_name=_("Subordinates"), attrs=WIDE_ONLY)
    contact_person = tables.Column(verbose_name=_("Contact person"), attrs=WIDE_ONLY)
    contact_phone = tables.Column(verbose_name=_("Contact phone"), attrs=WIDE_ONLY)

    class Meta:
        model = Organization
        fields = (
            "name",
            "kind",
            "division_code",
            "status",
            "established_on",
            "dissolved_on",
            "numchild",
            "contact_person",
            "contact_phone",
        )
        order_by = ("path",)
        attrs = {**TABLE_ATTRS, "data-testid": "org-table"}

    def render_name(self, value, record):
        link = format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)
        if record.dissolved_on is None:
            return link
        return format_html(
            '{} <span class="badge text-bg-dark" data-testid="dissolved-badge">{}</span>',
            link,
            _("Dissolved"),
        )

    def value_name(self, value):
        return value

    def render_contact_phone(self, value, record):
        return shown_phone(self.reader(), value, public=record.phone_public)

    def value_contact_phone(self, value, record):
        return shown_phone(self.reader(), value, public=record.phone_public)


class PositionTable(ReaderMixin, tables.Table):
    """The leadership roster (领导班子) of a subtree."""

    card = Card(title="name", fields=("role", "phone"))

    name = tables.Column(verbose_name=pgettext_lazy("person", "Name"))
    role = tables.Column(verbose_name=_("Post"))
    source = tables.Column(verbose_name=_("Source"), attrs=WIDE_ONLY)
    phone = tables.Column(verbose_name=_("Phone"))
    start_date = DateColumn(verbose_name=_("Start date"), format="Y-m-d", attrs=WIDE_ONLY)
    end_date = DateColumn(verbose_name=_("End date"), format="Y-m-d", attrs=WIDE_ONLY)
    organization = tables.Column(
        linkify=True,
        accessor="organization",
        verbose_name=_("Organisation"),
        order_by=("organization__path",),
    )

    class Meta:
        model = Position
        fields = ("name", "role", "source", "phone", "start_date", "end_date", "organization")
        attrs = {**TABLE_ATTRS, "data-testid": "roster-table"}

    def render_phone(self, value):
        return shown_phone(self.reader(), value)

    def value_phone(self, value):
        return shown_phone(self.reader(), value)

    def value_organization(self, value):
        return value.name
