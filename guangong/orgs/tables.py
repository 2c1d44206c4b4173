import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Organization

# Columns a phone can do without: hidden below the md breakpoint, kept in exports.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class OrganizationTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    kind = tables.Column(verbose_name=_("Kind"))
    division_code = tables.Column(verbose_name=_("Division code"))
    status = tables.Column(verbose_name=_("Committee status"))
    established_on = tables.DateColumn(
        verbose_name=_("Established on"), format="Y-m-d", attrs=WIDE_ONLY
    )
    numchild = tables.Column(verbose_name=_("Subordinates"), attrs=WIDE_ONLY)
    contact_person = tables.Column(verbose_name=_("Contact person"), attrs=WIDE_ONLY)

    class Meta:
        model = Organization
        fields = (
            "name",
            "kind",
            "division_code",
            "status",
            "established_on",
            "numchild",
            "contact_person",
        )
        order_by = ("path",)
        attrs = {"class": "table table-sm table-hover bg-white", "data-testid": "org-table"}
