import django_filters
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet, date_range
from guangong.orgs.filters import SubtreeFilter

from .models import Channel, Delivery, DeliveryStatus


class DeliveryFilterSet(StyledFilterSet):
    channel = django_filters.ChoiceFilter(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] != Channel.INBOX],
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DeliveryStatus.choices, empty_label=_("All")
    )
    date_from, date_to = date_range("created_at", on_date=True)
    org = SubtreeFilter(path_lookup="org_path")

    class Meta:
        model = Delivery
        fields = ["channel", "status", "date_from", "date_to", "org"]
