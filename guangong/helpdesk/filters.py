import django_filters
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet, date_range
from guangong.core.forms import SearchInput
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.filters import SubtreeFilter

from .models import HelpRequest, Status, normalize_code


class HelpRequestFilterSet(StyledFilterSet):
    code = django_filters.CharFilter(
        label=_("Tracking code"),
        method="filter_code",
        widget=SearchInput(),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind of help"),
        queryset=DictItem.objects.filter(kind=DictKind.CASE_KIND),
        empty_label=_("All"),
    )
    submitted_from, submitted_to = date_range(
        "created_at", (_("Submitted from"), _("Submitted until")), on_date=True
    )
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = HelpRequest
        fields = ["code", "status", "kind", "submitted_from", "submitted_to", "org"]

    def filter_code(self, qs, name, value):
        return qs.filter(code__startswith=normalize_code(value)) if value else qs
