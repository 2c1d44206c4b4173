"""List filters of cases (number, person, kind, stage, place, dates, care worker) and of the
access log."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet, date_range
from guangong.core.forms import SearchInput
from guangong.dicts.filters import dict_items
from guangong.dicts.models import DictKind
from guangong.orgs.filters import OwnerFilterSet, SubtreeFilter

from .models import Access, Case, Status


class CaseSearchFilter(django_filters.CharFilter):
    """A case number (or its start), or the person's name, pinyin initials or full pinyin."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("widget", SearchInput(_("Case number, name or pinyin")))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        by_person = Q(youth__name__icontains=value) | Q(youth__search_text__contains=value.lower())
        return qs.filter(Q(number__istartswith=value) | by_person)


def care_worker_choices(request):
    user = getattr(request, "user", None)
    User = get_user_model()
    if user is None or not user.is_authenticated:
        return User.objects.none()
    from .forms import care_workers

    return care_workers(user)


class CaseFilterSet(OwnerFilterSet):
    q = CaseSearchFilter()
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind of help"), queryset=dict_items(DictKind.CASE_KIND), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Status.choices, empty_label=_("All")
    )
    opened_from, opened_to = date_range("opened_on", (_("Opened from"), _("Opened to")))
    care_worker = django_filters.ModelChoiceFilter(
        label=_("Care worker"), queryset=care_worker_choices, empty_label=_("All")
    )
    org = SubtreeFilter(path_lookup="organization__path")
    #: Hidden: the category of the young person helped (the pivot's cells link with it).
    youth_category = django_filters.ModelChoiceFilter(
        field_name="youth__category",
        queryset=dict_items(DictKind.YOUTH_CATEGORY),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Case
        fields = ["q", "kind", "status", "opened_from", "opened_to", "care_worker", "org"]


class AccessFilterSet(StyledFilterSet):
    case_number = django_filters.CharFilter(
        label=_("Case number"), lookup_expr="istartswith", widget=forms.TextInput()
    )
    username = django_filters.CharFilter(label=_("User"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(
        label=_("Access"), choices=Access.Kind.choices, empty_label=_("All")
    )
    date_from, date_to = date_range("at", on_date=True)
    org = SubtreeFilter(path_lookup="org_path")

    class Meta:
        model = Access
        fields = ["case_number", "username", "kind", "date_from", "date_to", "org"]
