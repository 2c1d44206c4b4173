import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet

from .models import DictItem, DictKind


def dict_items(kind: str):
    """The choices of a list filter on the dictionary ``kind``: all its items, in their order."""

    def queryset(request):
        return DictItem.objects.filter(kind=kind).order_by("order", "id")

    return queryset


class DictChoiceFilter(django_filters.ModelChoiceFilter):
    """A list filter on one item of the dictionary ``kind`` ("All" when none is chosen)."""

    def __init__(self, kind: str, **kwargs):
        kwargs.setdefault("empty_label", _("All"))
        super().__init__(queryset=dict_items(kind), **kwargs)


class DictItemFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": _("Label or pinyin"), "type": "search"}),
    )
    # Chosen with the tabs above the list; kept in the form so a search stays on its tab.
    kind = django_filters.ChoiceFilter(choices=DictKind.choices, widget=forms.HiddenInput)
    active = django_filters.BooleanFilter(
        label=_("Active"),
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("Active")), ("false", _("Inactive"))]
        ),
    )

    class Meta:
        model = DictItem
        fields = ["q", "kind", "active"]

    def filter_q(self, qs, name, value):
        return qs.search(value)
