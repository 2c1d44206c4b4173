import django_filters
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet, date_range
from guangong.core.forms import SearchInput
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.filters import SubtreeFilter

from .models import InfoItem, ItemStatus, Notice, NoticeStatus


class NoticeFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", widget=SearchInput())
    box = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("received", _("Received by my organisation")), ("sent", _("Issued"))],
        empty_label=_("All"),
        method="filter_box",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=NoticeStatus.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = Notice
        fields = ["q", "box", "status", "year", "org"]

    def filter_q(self, qs, name, value):
        value = (value or "").strip()[:50]
        return (
            qs.filter(title__icontains=value) | qs.filter(prefix__icontains=value) if value else qs
        )

    def filter_box(self, qs, name, value):
        user = getattr(self.request, "user", None)
        org_id = getattr(user, "organization_id", None)
        if value == "received":
            return qs.filter(receipts__organization_id=org_id).distinct()
        if value == "sent" and user is not None and user.scope_path is not None:
            return qs.filter(organization__path__startswith=user.scope_path)
        return qs


class ReceiptFilterSet(StyledFilterSet):
    """The receipts page: who has read, answered, been reminded."""

    q = django_filters.CharFilter(
        label=_("Recipient unit"), field_name="organization__name", lookup_expr="icontains"
    )
    state = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[
            ("unread", _("Not read")),
            ("read", _("Read")),
            ("unanswered", _("Not answered")),
            ("answered", _("Answered")),
            ("late", _("Feedback overdue")),
        ],
        empty_label=_("All"),
        method="filter_state",
    )

    def filter_state(self, qs, name, value):
        from django.utils import timezone

        if value == "unread":
            return qs.filter(read_at__isnull=True)
        if value == "read":
            return qs.filter(read_at__isnull=False)
        if value == "unanswered":
            return qs.filter(notice__feedback_required=True, answered_at__isnull=True)
        if value == "answered":
            return qs.filter(answered_at__isnull=False)
        if value == "late":
            return qs.filter(
                notice__feedback_required=True,
                answered_at__isnull=True,
                notice__feedback_due__lt=timezone.localdate(),
            )
        return qs


class ItemFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Title"), field_name="title", lookup_expr="icontains", widget=SearchInput()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ItemStatus.choices, empty_label=_("All")
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind of information"),
        queryset=DictItem.objects.filter(kind=DictKind.INFO_KIND),
        empty_label=_("All"),
    )
    waiting = django_filters.BooleanFilter(
        label=_("Waiting for my organisation"), method="filter_waiting"
    )
    sender = django_filters.NumberFilter(field_name="organization_id", label=_("Sent by"))
    adopted = django_filters.BooleanFilter(
        label=_("Adopted"), field_name="adopted_by", lookup_expr="isnull", exclude=True
    )
    sent_from, sent_to = date_range("sent_on", (_("Sent from"), _("Sent until")))
    org = SubtreeFilter(path_lookup="organization__path")

    class Meta:
        model = InfoItem
        fields = ["q", "status", "kind", "waiting", "sent_from", "sent_to", "org"]

    def filter_waiting(self, qs, name, value):
        user = getattr(self.request, "user", None)
        if value and user is not None:
            return qs.filter(
                handler_id=user.organization_id,
                status__in=(ItemStatus.PENDING, ItemStatus.FORWARDED),
            )
        return qs
