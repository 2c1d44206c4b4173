import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.core.scope import subtree_q
from guangong.orggroups.selection import OrgGroupFilters, org_group_filters

from .models import (
    ESTABLISHED_STATUSES,
    Kind,
    Organization,
    Position,
    PositionRole,
    PositionSource,
    Status,
)


class SubtreeFilter(django_filters.NumberFilter):
    """``?org=<id>``: rows of that organisation and everything below it (if visible)."""

    def __init__(self, *args, path_lookup: str = "path", **kwargs):
        kwargs.setdefault("label", _("Within organisation"))
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)
        self.path_lookup = path_lookup

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        user = getattr(self.parent.request, "user", None)
        org = Organization.objects.visible_to(user).filter(pk=value).only("path").first()
        if org is None:
            return qs.none()
        return qs.filter(subtree_q(self.path_lookup, org.path))


class SearchFilter(django_filters.CharFilter):
    """Name, short name, pinyin initials or full pinyin, or the start of a division code."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"placeholder": _("Name, pinyin or code"), "type": "search"}),
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


class OrganizationFilterSet(OrgGroupFilters, StyledFilterSet):
    q = SearchFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        label=_("Committee status"), choices=Status.choices, empty_label=_("All")
    )
    org = SubtreeFilter()
    parent = django_filters.NumberFilter(
        field_name="parent", method="filter_parent", widget=forms.HiddenInput
    )
    #: 已建立 in total (established or consolidated): what coverage counts as established.
    established = django_filters.BooleanFilter(
        method="filter_established", widget=forms.HiddenInput
    )
    org_group, and_group, ungrouped = org_group_filters()
    org_group_lookup = "pk"

    class Meta:
        model = Organization
        fields = ["q", "kind", "status", "org", "parent"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.setup_org_groups(getattr(request, "user", None))

    def filter_established(self, qs, name, value):
        if value is None:
            return qs
        wanted = Q(status__in=ESTABLISHED_STATUSES)
        return qs.filter(wanted) if value else qs.exclude(wanted)

    def filter_parent(self, qs, name, value):
        parent = Organization.objects.filter(pk=value).only("path", "depth").first()
        if parent is None:
            return qs.none()
        return qs.filter(subtree_q("path", parent.path), depth=parent.depth + 1)


class PositionFilterSet(StyledFilterSet):
    """The roster page: the members of a subtree by name, post, source and term."""

    q = django_filters.CharFilter(
        label=_("Search"),
        field_name="name",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = django_filters.ChoiceFilter(
        label=_("Post"), choices=PositionRole.choices, empty_label=_("All")
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=PositionSource.choices, empty_label=_("All")
    )
    term = django_filters.ChoiceFilter(
        label=_("Term"),
        choices=[("current", _("Serving now")), ("former", _("Former members"))],
        empty_label=_("All"),
        method="filter_term",
    )
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = Position
        fields = ["q", "role", "source", "term", "org"]

    def filter_term(self, qs, name, value):
        if value == "current":
            return qs.current()
        return qs.filter(end_date__lt=timezone.localdate())
