import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from guangong.core.api import ScopedModelViewSet, ScopedPrimaryKeyRelatedField
from guangong.core.masking import shown_phone
from guangong.core.scope import subtree_q

from . import services
from .models import Kind, Organization, Position, Status


def reader(serializer):
    """The user the API answers (phones are read masked without the ``reveal`` verb)."""
    request = serializer.context.get("request")
    return request.user if request else None


class OrganizationSerializer(serializers.ModelSerializer):
    parent = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        allow_null=True,
        required=False,
        source="parent_obj",
        write_only=True,
        help_text=_("Id of the parent organisation; changing it moves the organisation."),
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "parent",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "division_code",
            "status",
            "status_display",
            "status_since",
            "established_on",
            "dissolved_on",
            "address",
            "contact_person",
            "contact_phone",
            "phone_public",
            "notes",
            "depth",
            "numchild",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["depth", "numchild", "created_at", "updated_at"]
        # Uniqueness is checked by the service inside its transaction.
        extra_kwargs = {"division_code": {"validators": []}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["contact_phone"] = shown_phone(
            reader(self), instance.contact_phone, public=instance.phone_public
        )
        if hasattr(instance, "parent_pk"):
            data["parent"] = instance.parent_pk
        else:
            parent = Organization.objects.get_parent(instance)
            data["parent"] = parent.pk if parent else None
        return data

    def validate_division_code(self, value):
        return value or None


class OrganizationFilter(django_filters.FilterSet):
    parent = django_filters.NumberFilter(method="filter_parent", label=_("Direct children of"))
    subtree = django_filters.NumberFilter(method="filter_subtree", label=_("Within subtree of"))
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices)
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    q = django_filters.CharFilter(method="filter_q", label=_("Name or pinyin initials"))

    class Meta:
        model = Organization
        fields = ["parent", "subtree", "kind", "status", "q", "division_code"]

    def _node(self, value):
        return Organization.objects.filter(pk=value).only("path", "depth").first()

    def filter_parent(self, qs, name, value):
        node = self._node(value)
        if node is None:
            return qs.none()
        return qs.filter(subtree_q("path", node.path), depth=node.depth + 1)

    def filter_subtree(self, qs, name, value):
        node = self._node(value)
        if node is None:
            return qs.none()
        return qs.filter(subtree_q("path", node.path))

    def filter_q(self, qs, name, value):
        return qs.search(value)


class OrganizationViewSet(ScopedModelViewSet):
    model = Organization
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return super().get_queryset().with_parent_pk().order_by("path")

    def _fields(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("parent_obj", None)
        return {k: v for k, v in data.items() if k in Organization.audit_fields}

    def create_object(self, serializer):
        parent = serializer.validated_data.get("parent_obj")
        return services.create_organization(self.request.user, parent, **self._fields(serializer))

    def update_object(self, instance, serializer):
        new_parent = serializer.validated_data.get("parent_obj")
        fields = self._fields(serializer)
        return services.update_and_move(self.request.user, instance, new_parent, **fields)

    def delete_object(self, instance):
        services.delete_organization(self.request.user, instance)


class PositionSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())

    class Meta:
        model = Position
        fields = ["id", "organization", "name", "role", "source", "phone", "start_date", "end_date"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["phone"] = shown_phone(reader(self), instance.phone)
        return data


class PositionViewSet(ScopedModelViewSet):
    model = Position
    serializer_class = PositionSerializer
    filterset_fields = ["organization", "role", "source"]

    def get_queryset(self):
        return super().get_queryset().order_by("organization", "id")

    def create_object(self, serializer):
        return services.save_position(self.request.user, Position(**serializer.validated_data))

    def update_object(self, instance, serializer):
        for k, v in serializer.validated_data.items():
            setattr(instance, k, v)
        return services.save_position(self.request.user, instance)

    def delete_object(self, instance):
        services.delete_position(self.request.user, instance)
