"""Filters of the report form list and of the report API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet

from .models import Report, ReportForm, ReportStatus
from .periods import PeriodType


class ReportFormFilterSet(StyledFilterSet):
    name = django_filters.CharFilter(
        label=_("Name"),
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    period_type = django_filters.ChoiceFilter(
        label=_("Period"), choices=PeriodType.choices, empty_label=_("All")
    )
    active = django_filters.BooleanFilter(label=_("In use"))

    class Meta:
        model = ReportForm
        fields = ["name", "period_type", "active"]


class ReportFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)
    period_start = django_filters.DateFilter()

    class Meta:
        model = Report
        fields = ["form", "organization", "status", "period_start"]
