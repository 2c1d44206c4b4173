import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.core.scope import subtree_q
from guangong.orggroups.selection import OrgGroupFilters, org_group_filters

from .models import (
    ESTABLISHED_STATUSES,
    NOT_DISSOLVED,
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


class OwnerFilterSet(OrgGroupFilters, StyledFilterSet):
    """Filters on the organisation a row belongs to, as the pivot's cells and the statistics'
    group breakdowns count them (the links from a figure to its rows; kept when the list's form
    is submitted again): ``owner`` (that organisation's own rows, not its subtree's),
    ``org_kind``, and the organisation groups (``org_group``, ``and_group``, ``ungrouped``:
    ``OrgGroupFilters``).

    ``owner_field``: the lookup to the organisation ("" for organisations themselves)."""

    owner_field = "organization"

    owner = django_filters.NumberFilter(method="filter_owner", widget=forms.HiddenInput)
    org_kind = django_filters.ChoiceFilter(
        choices=Kind.choices, method="filter_org_kind", widget=forms.HiddenInput
    )
    org_group, and_group, ungrouped = org_group_filters()

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.org_group_lookup = self._org_id()
        self.setup_org_groups(getattr(request, "user", None))

    def _org_id(self) -> str:
        return f"{self.owner_field}_id" if self.owner_field else "pk"

    def filter_owner(self, qs, name, value):
        return qs if value in (None, "") else qs.filter(**{self._org_id(): value})

    def filter_org_kind(self, qs, name, value):
        if not value:
            return qs
        field = f"{self.owner_field}__kind" if self.owner_field else "kind"
        return qs.filter(**{field: value})


DISSOLVED_CHOICES = [("with", _("Included")), ("only", _("Only the dissolved"))]


class OrganizationFilterSet(OwnerFilterSet):
    owner_field = ""

    q = SearchFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        label=_("Committee status"), choices=Status.choices, empty_label=_("All")
    )
    org = SubtreeFilter()
    parent = django_filters.NumberFilter(
        field_name="parent", method="filter_parent", widget=forms.HiddenInput
    )
    #: 已建关工委: established or consolidated (the pivot's committees).
    established = django_filters.BooleanFilter(
        method="filter_established", widget=forms.HiddenInput
    )
    #: Dissolved organisations are left out unless asked for, as coverage leaves them out.
    dissolved = django_filters.ChoiceFilter(
        label=_("Dissolved organisations"),
        choices=DISSOLVED_CHOICES,
        empty_label=_("Not included"),
        method="filter_dissolved",
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "status", "org", "parent"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("dissolved"):
            queryset = queryset.filter(NOT_DISSOLVED)
        return queryset

    def filter_dissolved(self, qs, name, value):
        return qs.filter(dissolved_on__isnull=False) if value == "only" else qs

    def filter_established(self, qs, name, value):
        if value is None:
            return qs
        if value:
            return qs.filter(status__in=ESTABLISHED_STATUSES)
        return qs.exclude(status__in=ESTABLISHED_STATUSES)

    def filter_parent(self, qs, name, value):
        parent = Organization.objects.filter(pk=value).only("path", "depth").first()
        if parent is None:
            return qs.none()
        return qs.filter(subtree_q("path", parent.path), depth=parent.depth + 1)


class PositionFilterSet(OwnerFilterSet):
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
