import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.core.forms import DateInput
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.filters import SubtreeFilter

from .models import HelpRequest, Status, normalize_code


class HelpRequestFilterSet(StyledFilterSet):
    code = django_filters.CharFilter(
        label=_("Tracking code"),
        method="filter_code",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind of help"),
        queryset=DictItem.objects.filter(kind=DictKind.CASE_KIND),
        empty_label=_("All"),
    )
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = HelpRequest
        fields = ["code", "status", "kind", "submitted_from", "submitted_to", "org"]

    def filter_code(self, qs, name, value):
        return qs.filter(code__startswith=normalize_code(value)) if value else qs
