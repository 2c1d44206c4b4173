import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from guangong.core.api import ScopedModelViewSet

from . import services
from .models import DictItem, DictKind


class DictItemSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DictItem
        fields = [
            "id",
            "kind",
            "kind_display",
            "label",
            "order",
            "active",
            "stat_group",
            "seeded",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["seeded", "created_at", "updated_at"]
        # A label's uniqueness within its dictionary is checked by the service, on ``label``.
        validators = []


class DictItemFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DictKind.choices)
    active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("Label or pinyin"))

    class Meta:
        model = DictItem
        fields = ["kind", "active", "seeded", "q"]

    def filter_q(self, qs, name, value):
        return qs.search(value)


class DictItemViewSet(ScopedModelViewSet):
    model = DictItem
    serializer_class = DictItemSerializer
    filterset_class = DictItemFilter
    read_verb = "view"
    write_verb = services.VERB

    def get_queryset(self):
        # Not organisation-scoped: every reader sees every dictionary.
        return DictItem.objects.visible_to(self.request.user).order_by("kind", "order", "id")

    def create_object(self, serializer):
        data = serializer.validated_data
        fields = {k: data[k] for k in services.EDITABLE_FIELDS if k in data}
        return services.create_item(self.request.user, data["kind"], **fields)

    def update_object(self, instance, serializer):
        data = serializer.validated_data
        if "kind" in data and data["kind"] != instance.kind:
            raise ValidationError({"kind": _("The dictionary of an item cannot be changed.")})
        fields = {k: data[k] for k in services.EDITABLE_FIELDS if k in data}
        return services.update_item(self.request.user, instance, **fields)

    def delete_object(self, instance):
        services.delete_item(self.request.user, instance)
