"""Filters of the report form list and of the report API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.core.resources import policy_for
from guangong.orgs.models import Organization

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


def _seen(model):
    """The rows of ``model`` the request's user reads: an id outside them is refused as one
    that does not exist."""

    def rows(request):
        user = request.user if request is not None else None
        return policy_for(model).instances(user, "read", model._default_manager.all())

    return rows


class ReportFilterSet(django_filters.FilterSet):
    form = django_filters.ModelChoiceFilter(queryset=_seen(ReportForm))
    organization = django_filters.ModelChoiceFilter(queryset=_seen(Organization))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)
    period_start = django_filters.DateFilter()

    class Meta:
        model = Report
        fields = ["form", "organization", "status", "period_start"]
