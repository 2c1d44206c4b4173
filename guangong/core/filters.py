"""The base of every list page's filter set (django-filter)."""

import django_filters

from .forms import style_fields


class StyledFilterSet(django_filters.FilterSet):
    """A filter set whose form fields carry their Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.form.fields)
