"""What every list table shares (django-tables2): its classes and the columns a phone hides."""

from django.utils.translation import gettext_lazy as _

TABLE_ATTRS = {"class": "table table-sm table-hover bg-white"}

# Columns a phone can do without: hidden below the md breakpoint, kept in exports.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


def yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))
