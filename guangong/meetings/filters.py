"""Filters of the member unit, meeting and action item lists (pages, exports and the API)."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.core.forms import DateInput
from guangong.dicts.filters import DictChoiceFilter
from guangong.dicts.models import DictKind
from guangong.orgs.filters import SearchFilter, SubtreeFilter

from .models import (
    OVERDUE,
    SHOWN_STATUSES,
    ActionItem,
    ItemStatus,
    Meeting,
    MeetingStatus,
    MemberUnit,
)


class MemberUnitFilterSet(StyledFilterSet):
    q = SearchFilter(label=_("Search"), widget=forms.TextInput(attrs={"type": "search"}))
    kind = DictChoiceFilter(DictKind.MEMBER_UNIT, label=_("Kind of member unit"))
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = MemberUnit
        fields = ["q", "kind", "org"]


class MeetingFilterSet(StyledFilterSet):
    q = SearchFilter(label=_("Search"), widget=forms.TextInput(attrs={"type": "search"}))
    kind = DictChoiceFilter(DictKind.MEETING_KIND, label=_("Kind of meeting"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MeetingStatus.choices, empty_label=_("All")
    )
    date_from = django_filters.DateFilter(
        label=_("Date from"), field_name="date", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("Date to"), field_name="date", lookup_expr="lte", widget=DateInput()
    )
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = Meeting
        fields = ["q", "kind", "status", "date_from", "date_to", "org"]


class ActionItemFilterSet(StyledFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Status"), choices=SHOWN_STATUSES, empty_label=_("All"), method="filter_state"
    )
    waiting = django_filters.BooleanFilter(
        label=_("Closure waiting for approval"),
        method="filter_waiting",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    org = SubtreeFilter(path_lookup="meeting__organization__path")

    class Meta:
        model = ActionItem
        fields = ["state", "waiting", "org"]

    def filter_state(self, qs, name, value):
        if not value:
            return qs
        today = timezone.localdate()
        if value == OVERDUE:
            return qs.overdue(today)
        if value == ItemStatus.DONE:
            return qs.filter(status=value)
        return qs.filter(status=value, due_date__gte=today)

    def filter_waiting(self, qs, name, value):
        if value is None:
            return qs
        waiting = qs.filter(closure_requested_at__isnull=False).exclude(status=ItemStatus.DONE)
        return waiting if value else qs.exclude(pk__in=waiting.values("pk"))
