"""Member units, meetings, decisions and action items in the API."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from guangong.core.api import ScopedPrimaryKeyRelatedField
from guangong.core.scope import subtree_q
from guangong.core.validators import mask_phone
from guangong.dicts.fields import DictItemField
from guangong.dicts.models import DictKind
from guangong.orgs.models import Organization
from guangong.people.models import Elder

from .models import ActionItem, Decision, Meeting, MemberUnit


class MemberUnitSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    kind = DictItemField(DictKind.MEMBER_UNIT)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = MemberUnit
        fields = [
            "id",
            "organization",
            "kind",
            "name",
            "contact_person",
            "phone",
            "joined_on",
            "left_on",
            "notes",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["phone"] = mask_phone(data["phone"]) if data["phone"] else ""
        return data


class UserField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        prefix = getattr(request.user, "scope_path", None) if request else None
        if prefix is None:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(subtree_q("organization__path", prefix))


class MeetingSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    kind = DictItemField(DictKind.MEETING_KIND)
    units = ScopedPrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(), many=True, required=False
    )
    committees = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False
    )
    elders = ScopedPrimaryKeyRelatedField(queryset=Elder.objects.all(), many=True, required=False)
    users = UserField(many=True, required=False)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "kind",
            "title",
            "date",
            "place",
            "chair",
            "status",
            "head_count",
            "units",
            "committees",
            "users",
            "elders",
            "agenda",
            "minutes",
            "speeches",
            "series",
        ]
        read_only_fields = ["status", "series"]


class DecisionSerializer(serializers.ModelSerializer):
    meeting = ScopedPrimaryKeyRelatedField(queryset=Meeting.objects.all())

    class Meta:
        model = Decision
        fields = ["id", "meeting", "number", "text"]
        read_only_fields = ["number"]


class ActionItemSerializer(serializers.ModelSerializer):
    decision = serializers.PrimaryKeyRelatedField(queryset=Decision.objects.all())
    owner_org = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    owner_unit = ScopedPrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(), required=False, allow_null=True
    )
    state = serializers.CharField(source="shown_status", read_only=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "decision",
            "meeting",
            "task",
            "owner_org",
            "owner_unit",
            "responsible",
            "due_date",
            "status",
            "state",
            "closure_requested_at",
            "closed_at",
        ]
        read_only_fields = ["status", "closure_requested_at", "closed_at"]

    def validate_decision(self, value):
        from guangong.core.resources import policy_for

        request = self.context.get("request")
        user = request.user if request else None
        if (
            not policy_for(Decision)
            .instances(user, "write", Decision.objects.all())
            .filter(pk=value.pk)
            .exists()
        ):
            raise serializers.ValidationError(
                self.fields["decision"].error_messages["does_not_exist"].format(pk_value=value.pk)
            )
        return value
