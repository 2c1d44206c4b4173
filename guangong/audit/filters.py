import django_filters
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet, date_range
from guangong.orgs.filters import SubtreeFilter

from .models import Action, AuditLog


class AuditFilterSet(StyledFilterSet):
    username = django_filters.CharFilter(label=_("User name"), lookup_expr="icontains")
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=Action.choices, empty_label=_("All")
    )
    object_repr = django_filters.CharFilter(label=_("Object"), lookup_expr="icontains")
    ip = django_filters.CharFilter(label=_("IP address"))
    request_id = django_filters.CharFilter(label=_("Request ID"))
    since, until = date_range("time", on_date=True)
    org = SubtreeFilter(path_lookup="org_path")

    class Meta:
        model = AuditLog
        fields = ["username", "action", "object_repr", "ip", "request_id", "since", "until", "org"]
