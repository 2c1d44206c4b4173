import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.orgs.filters import SubtreeFilter

from .models import User
from .roles import Role


class UserFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, empty_label=_("All"))
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = User
        fields = ["q", "role", "is_active", "org"]

    def search(self, qs, name, value):
        return qs.filter(Q(username__icontains=value) | Q(full_name__icontains=value))
