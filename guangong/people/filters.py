"""List filters: search (names and pinyin), category, sex, age range, organisation subtree."""

import datetime
import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core import idnumber
from guangong.core.filters import StyledFilterSet
from guangong.core.forms import DateInput, SearchInput
from guangong.dicts.filters import DictChoiceFilter, dict_items
from guangong.dicts.models import DictKind
from guangong.orgs.filters import OwnerFilterSet, SearchFilter, SubtreeFilter

from .choices import Sex
from .models import Elder, Mentorship, Team, Youth

_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def looks_like_id_number(text: str) -> bool:
    return bool(_ID_SHAPE.fullmatch(idnumber.normalize(text)))


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


class PersonSearchFilter(SearchFilter):
    """A name, its pinyin initials or full pinyin.

    A full ID number finds nothing here, and nothing is logged: a query string ends up in
    addresses, browser history and server logs. Finding a person by ID number is a POST of its
    own (``services.find_by_id_number``), offered to users who may reveal.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SearchInput(_("Name or pinyin")))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if looks_like_id_number(value):
            return qs.none()
        return qs.search(value)


class AgeFilter(django_filters.NumberFilter):
    """``age_min`` / ``age_max``: whole years today, through the birth date."""

    def __init__(self, *args, edge: str, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 150)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)
        self.edge = edge

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        today = timezone.localdate()
        years = int(value)
        if self.edge == "min":  # at least ``years`` old: born on or before that day
            return qs.filter(birth_date__lte=years_before(today, years))
        # at most ``years`` old: born after the day ``years + 1`` years ago
        return qs.filter(birth_date__gt=years_before(today, years + 1))


class PersonFilterSet(StyledFilterSet):
    q = PersonSearchFilter()
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, empty_label=_("All"))
    age_min = AgeFilter(label=_("Age from"), edge="min")
    age_max = AgeFilter(label=_("Age to"), edge="max")
    org = SubtreeFilter(path_lookup="organization__path")


class ElderFilterSet(PersonFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="categories",
        queryset=dict_items(DictKind.ELDER_CATEGORY),
        empty_label=_("All"),
    )
    active = django_filters.BooleanFilter(
        label=_("Still serving"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Elder
        fields = ["q", "category", "sex", "age_min", "age_max", "active", "org"]


class YouthFilterSet(PersonFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=dict_items(DictKind.YOUTH_CATEGORY), empty_label=_("All")
    )

    class Meta:
        model = Youth
        fields = ["q", "category", "sex", "age_min", "age_max", "org"]


class TeamFilterSet(OwnerFilterSet):
    q = SearchFilter(widget=SearchInput(_("Name or pinyin")))
    kind = django_filters.ModelChoiceFilter(
        label=_("Team kind"), queryset=dict_items(DictKind.TEAM_KIND), empty_label=_("All")
    )
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = Team
        fields = ["q", "kind", "org"]


#: What ``without`` can ask for: mentorships with no value of it (the pivot's “not given” rows).
MENTORSHIP_WITHOUT = [
    ("outcome", _("Mentorship outcome")),
    ("elder_category", _("Five-elders category")),
]


class MentorshipFilterSet(OwnerFilterSet):
    """Besides the search, status and goal: the mentorships active at some time between two
    days (``active_in_q``, the statistics' and the pivot's definition), those begun between
    two days (the summaries' 新结对), and every dimension a
    pivot cell of mentorships can have (``owner``, ``org_kind``, the organisation groups, the
    outcome, the young person's and the elder's category, ``without``), so that each cell
    opens exactly its mentorships."""

    q = SearchFilter(widget=SearchInput(_("Volunteer or young person")))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Ongoing")), ("ended", _("Ended"))],
        empty_label=_("All"),
        method="filter_status",
    )
    active_from = django_filters.DateFilter(
        label=_("Active from"), method="filter_active", widget=DateInput()
    )
    active_to = django_filters.DateFilter(
        label=_("Active to"), method="filter_active", widget=DateInput()
    )
    started_from = django_filters.DateFilter(
        label=_("Started from"), field_name="start_date", lookup_expr="gte", widget=DateInput()
    )
    started_to = django_filters.DateFilter(
        label=_("Started to"), field_name="start_date", lookup_expr="lte", widget=DateInput()
    )
    goal = django_filters.ModelChoiceFilter(
        label=_("Goal"),
        field_name="goals",
        queryset=dict_items(DictKind.MENTORSHIP_GOAL),
        empty_label=_("All"),
    )
    outcome = DictChoiceFilter(
        DictKind.MENTORSHIP_OUTCOME, label=_("Mentorship outcome"), field_name="outcomes"
    )
    youth_category = DictChoiceFilter(
        DictKind.YOUTH_CATEGORY, label=_("Youth category"), field_name="youth__category"
    )
    elder_category = DictChoiceFilter(
        DictKind.ELDER_CATEGORY, label=_("Five-elders category"), field_name="elder__categories"
    )
    org = SubtreeFilter(path_lookup="organization__path")
    without = django_filters.MultipleChoiceFilter(
        choices=MENTORSHIP_WITHOUT, method="filter_without", widget=forms.MultipleHiddenInput
    )

    class Meta:
        model = Mentorship
        fields = [
            "q",
            "status",
            "active_from",
            "active_to",
            "started_from",
            "started_to",
            "goal",
            "outcome",
            "youth_category",
            "elder_category",
            "org",
        ]

    def filter_status(self, qs, name, value):
        if value == "active":
            return qs.active()
        if value == "ended":
            return qs.ended()
        return qs

    def filter_active(self, qs, name, value):
        if value is None:
            return qs
        return qs.active_in(**{"start" if name == "active_from" else "end": value})

    def filter_without(self, qs, name, value):
        for what in value or ():
            if what == "outcome":
                qs = qs.filter(outcomes__isnull=True)
            elif what == "elder_category":
                qs = qs.filter(elder__categories__isnull=True)
        return qs
