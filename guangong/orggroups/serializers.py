"""Group sets, groups and assignments in the API (``/api/org-group-sets/``, ``/api/org-groups/``,
``/api/org-group-assignments/``)."""

from rest_framework import serializers

from guangong.core.api import ScopedPrimaryKeyRelatedField
from guangong.orgs.models import Organization

from .models import Assignment, GroupSet, OrgGroup


class GroupSetSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    groups = serializers.SerializerMethodField()

    class Meta:
        model = GroupSet
        fields = ["id", "organization", "name", "description", "groups"]

    def get_groups(self, obj) -> list[dict]:
        return [{"id": g.pk, "name": g.name} for g in obj.groups.all()]


class GroupSerializer(serializers.ModelSerializer):
    group_set = ScopedPrimaryKeyRelatedField(queryset=GroupSet.objects.all())
    organizations = serializers.SerializerMethodField()

    class Meta:
        model = OrgGroup
        fields = ["id", "group_set", "name", "order", "organizations"]

    def get_organizations(self, obj) -> int:
        """How many organisations of the caller's scope are in the group."""
        request = self.context.get("request")
        user = request.user if request else None
        return Assignment.objects.visible_to(user).filter(group=obj).count()


class AssignmentSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    group = ScopedPrimaryKeyRelatedField(queryset=OrgGroup.objects.all())

    class Meta:
        model = Assignment
        fields = ["id", "organization", "group_set", "group"]
        read_only_fields = ["group_set"]
