"""List filters: search in titles, status, year and the organisation subtree (tree panel)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.orgs.filters import SubtreeFilter

from .models import Bulletin, DocumentKind, DocumentStatus, GeneratedDocument, WorkSummary


class TitleFilter(django_filters.CharFilter):
    def __init__(self, *args, field_name="title", **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("lookup_expr", "icontains")
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"placeholder": _("Words of the title"), "type": "search"}),
        )
        super().__init__(*args, field_name=field_name, **kwargs)


class BulletinFilterSet(StyledFilterSet):
    q = TitleFilter()
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DocumentStatus.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        label=_("Year"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = Bulletin
        fields = ["q", "status", "year", "org"]


class SummaryFilterSet(StyledFilterSet):
    q = TitleFilter()
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = WorkSummary
        fields = ["q", "org"]


class GeneratedFilterSet(StyledFilterSet):
    q = TitleFilter(field_name="label")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=DocumentKind.choices, empty_label=_("All")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=GeneratedDocument.Format.choices, empty_label=_("All")
    )
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = GeneratedDocument
        fields = ["q", "kind", "format", "org"]
