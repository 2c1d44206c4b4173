"""The base of every list page's filter set (django-filter), and the filters lists share."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .forms import DateInput, style_fields


class StyledFilterSet(django_filters.FilterSet):
    """A filter set whose form fields carry their Bootstrap classes, and whose date ranges
    (``…_from`` / ``…_to`` pairs) refuse an end before the start: the page shows the message
    and no rows, the API answers 400."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.form.fields)

    def get_form_class(self):
        form_class = super().get_form_class()
        pairs = [
            (name, name[: -len("_from")] + "_to")
            for name, fil in self.filters.items()
            if name.endswith("_from")
            and isinstance(fil, django_filters.DateFilter)
            and name[: -len("_from")] + "_to" in self.filters
        ]
        if not pairs:
            return form_class

        class RangeForm(form_class):
            def clean(self):
                data = super().clean()
                for start, end in pairs:
                    if data.get(start) and data.get(end) and data[start] > data[end]:
                        self.add_error(end, _("The end date cannot be before the start date."))
                return data

        return RangeForm


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
