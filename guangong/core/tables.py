"""What every list table shares (django-tables2): its classes, the columns a phone hides, and
the columns of local dates and times."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TABLE_ATTRS = {"class": "table table-sm table-hover bg-white"}

# Columns a phone can do without: hidden below the md breakpoint, kept in exports.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


def yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))


class LocalDateTimeColumn(tables.DateTimeColumn):
    """A date and time shown as ``format`` (Django's notation) and exported in local time as
    ``export`` (strftime's); empty when there is none."""

    def __init__(self, *args, export: str = "%Y-%m-%d %H:%M", **kwargs):
        super().__init__(*args, **kwargs)
        self.export = export

    def value(self, value):
        return timezone.localtime(value).strftime(self.export) if value else ""
