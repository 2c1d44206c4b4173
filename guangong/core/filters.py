"""The base of every list page's filter set (django-filter), and the filters lists share."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .forms import DateInput, style_fields


class StyledFilterSet(django_filters.FilterSet):
    """A filter set whose form fields carry their Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.form.fields)


def date_range(field: str, labels=None, *, on_date: bool = False):
    """The pair of filters of a list's “from … to …” dates on ``field`` (both ends included),
    for ``since, until = date_range("time", on_date=True)``: ``on_date`` for a date-and-time
    field, filtered by its date; ``labels``: the two labels (by default “From” and “To”)."""
    start, end = labels or (_("From"), _("To"))
    prefix = "date__" if on_date else ""
    return tuple(
        django_filters.DateFilter(
            label=label, field_name=field, lookup_expr=f"{prefix}{lookup}", widget=DateInput()
        )
        for label, lookup in ((start, "gte"), (end, "lte"))
    )
