"""What every list table shares (django-tables2): its classes, the columns a phone hides, the
card a row becomes on a phone, the columns of local dates and times, of a field's choices, and
of the owning organisation."""

from dataclasses import dataclass

import django_tables2 as tables
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _

TABLE_ATTRS = {"class": "table table-sm table-hover bg-white"}

# Columns a phone can do without: hidden below the md breakpoint, kept in exports.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


@dataclass(frozen=True)
class Card:
    """What a row shows as a card below 600 px (``core/table.html``): its title, date, status and
    key fields, by column name; the other columns are left out there (kept on wider screens and
    in exports). A table declares it as ``card = Card(title="name", fields=(...))``; a table
    without one shows its first column as the title and the next two as the fields."""

    title: str
    date: str = ""
    status: str = ""
    fields: tuple[str, ...] = ()

    def roles(self) -> dict[str, str]:
        roles = dict.fromkeys(self.fields, "field")
        roles.update({self.title: "title"})
        if self.date:
            roles[self.date] = "date"
        if self.status:
            roles[self.status] = "status"
        return roles


def card_of(table) -> Card:
    card = getattr(table, "card", None)
    if card is None:
        names = [column.name for column in table.columns]
        card = Card(title=names[0], fields=tuple(names[1:3])) if names else Card(title="")
    return card


def yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))


class _Formatted:
    """Dates formatted in Python with Django's ``date`` filter (local time for a datetime):
    django-tables2's own date columns compile a template for every cell they render."""

    short_format = long_format = ""

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or (self.short_format if short else self.long_format)

    def render(self, value, bound_column):
        text = date_filter(template_localtime(value), self.date_format) if value else ""
        return text or bound_column.default


class DateColumn(_Formatted, tables.DateColumn):
    short_format, long_format = "SHORT_DATE_FORMAT", "DATE_FORMAT"


class DateTimeColumn(_Formatted, tables.DateTimeColumn):
    short_format, long_format = "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT"


class LocalDateTimeColumn(DateTimeColumn):
    """A date and time shown as ``format`` (Django's notation) and exported in local time as
    ``export`` (strftime's); empty when there is none."""

    def __init__(self, *args, export: str = "%Y-%m-%d %H:%M", **kwargs):
        super().__init__(*args, **kwargs)
        self.export = export

    def value(self, value):
        return timezone.localtime(value).strftime(self.export) if value else ""


class OrganizationColumn(tables.Column):
    """The name of the row's organisation, sorted in the tree's order (a unit after its parent)."""

    def __init__(self, verbose_name=None, **kwargs):
        kwargs.setdefault("accessor", "organization__name")
        kwargs.setdefault("order_by", ("organization__path",))
        super().__init__(verbose_name=verbose_name or _("Organisation"), **kwargs)


class ChoiceColumn(tables.Column):
    """A field with choices, shown and exported as the label of its value."""

    def render(self, record, bound_column):
        return getattr(record, f"get_{bound_column.accessor}_display")()

    def value(self, record, bound_column):
        return str(self.render(record, bound_column))
