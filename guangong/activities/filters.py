"""Filters of the activity list, shared by the page, its export and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.core.forms import DateInput
from guangong.dicts.filters import DictChoiceFilter
from guangong.dicts.models import DictKind, StatGroup
from guangong.orgs.filters import OwnerFilterSet, SearchFilter, SubtreeFilter
from guangong.orgs.models import Kind as OrgKind

from .models import Activity, ActivityRange

#: What ``without`` can ask for: activities with no value of it (the pivot's “not given” rows).
WITHOUT = [
    ("audience", _("Audience")),
    ("team", _("Team")),
    ("stat_group", _("Statistical group")),
]


class ActivityFilterSet(OwnerFilterSet):
    q = SearchFilter(
        label=_("Search"),
        widget=forms.TextInput(attrs={"placeholder": _("Title or pinyin"), "type": "search"}),
    )
    type = DictChoiceFilter(DictKind.ACTIVITY_TYPE, label=_("Activity type"))
    group = django_filters.ChoiceFilter(
        label=_("Statistical group"),
        field_name="type__stat_group",
        choices=StatGroup.choices,
        empty_label=_("All"),
    )
    date_from = django_filters.DateFilter(
        label=_("Date from"), field_name="date", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("Date to"), field_name="date", lookup_expr="lte", widget=DateInput()
    )
    audience = DictChoiceFilter(DictKind.YOUTH_CATEGORY, label=_("Audience"))
    joint = django_filters.BooleanFilter(
        label=_("Joint activities"),
        method="filter_joint",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    org = SubtreeFilter(path_lookup="organization__path")
    # Hidden: what the pivot's cells link with (an activity of one of its teams; of a team of
    # that kind; without an audience, a team or a statistical group).
    team = django_filters.NumberFilter(method="filter_team", widget=forms.HiddenInput)
    team_kind = django_filters.NumberFilter(method="filter_team_kind", widget=forms.HiddenInput)
    without = django_filters.MultipleChoiceFilter(
        choices=WITHOUT, method="filter_without", widget=forms.MultipleHiddenInput
    )
    #: 我登记的: the activities the user recorded (the home page's button).
    mine = django_filters.BooleanFilter(method="filter_mine", widget=forms.HiddenInput())

    class Meta:
        model = Activity
        fields = ["q", "type", "group", "date_from", "date_to", "audience", "joint", "org", "mine"]

    def filter_mine(self, qs, name, value):
        user = getattr(self.request, "user", None)
        return qs.filter(created_by=user) if value and user is not None else qs

    def filter_team(self, qs, name, value):
        if value in (None, ""):
            return qs
        links = Activity.teams.through.objects.filter(team_id=value).values("activity_id")
        return qs.filter(pk__in=links)

    def filter_team_kind(self, qs, name, value):
        if value in (None, ""):
            return qs
        links = Activity.teams.through.objects.filter(team__kind_id=value)
        return qs.filter(pk__in=links.values("activity_id"))

    def filter_without(self, qs, name, value):
        for what in value or ():
            if what == "audience":
                qs = qs.filter(audience__isnull=True)
            elif what == "team":
                qs = qs.exclude(pk__in=Activity.teams.through.objects.values("activity_id"))
            elif what == "stat_group":
                qs = qs.filter(type__stat_group="")
        return qs

    def filter_joint(self, qs, name, value):
        if value is None:
            return qs
        joint = Activity.co_organizers.through.objects.values("activity_id")
        return qs.filter(pk__in=joint) if value else qs.exclude(pk__in=joint)


class ActivityRangeFilterSet(StyledFilterSet):
    type = DictChoiceFilter(DictKind.ACTIVITY_TYPE, label=_("Activity type"))
    org_kind = django_filters.ChoiceFilter(
        label=_("Organisation kind"), choices=OrgKind.choices, empty_label=_("All")
    )

    class Meta:
        model = ActivityRange
        fields = ["type", "org_kind"]
