"""Filters of the plan and task lists (pages, exports and the API)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.orgs.filters import SearchFilter, SubtreeFilter

from .models import PlanStatus, PlanTask, TaskStatus, WorkPlan


class WorkPlanFilterSet(StyledFilterSet):
    q = SearchFilter(label=_("Search"), widget=forms.TextInput(attrs={"type": "search"}))
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PlanStatus.choices, empty_label=_("All")
    )
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = WorkPlan
        fields = ["q", "year", "status", "org"]


class PlanTaskFilterSet(StyledFilterSet):
    plan = django_filters.NumberFilter(label=_("Work plan"), field_name="plan_id")
    year = django_filters.NumberFilter(label=_("Year"), field_name="plan__year")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TaskStatus.choices, empty_label=_("All")
    )
    org = SubtreeFilter(path_lookup="plan__organization__path")

    class Meta:
        model = PlanTask
        fields = ["plan", "year", "status", "org"]
