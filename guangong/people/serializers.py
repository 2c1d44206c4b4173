"""Serializers of elders, young people, teams and mentorships (the viewsets: ``people.api``).

ID numbers: ``id_number`` is write-only clear input (absent keeps the stored number, "" clears
it); reads carry ``id_number_masked`` only. Phones read masked for callers without ``reveal``.
Every related field chooses among what the policy lets the caller see: an id out of scope reads
exactly like one that does not exist.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from guangong.core import idnumber
from guangong.core.api import ScopedPrimaryKeyRelatedField
from guangong.dicts.fields import DictItemField
from guangong.dicts.models import DictKind
from guangong.orgs.models import Organization

from .models import Elder, Mentorship, MentorshipVisit, Team, Youth
from .tables import shown_phone


def valid_id_number(value: str) -> str:
    """The normalised number; a number that is not valid is the field's error."""
    value = idnumber.normalize(value)
    if value:
        try:
            idnumber.validate_id_number(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
    return value


# --- Fields ---------------------------------------------------------------------------------


class ScopedPersonField(ScopedPrimaryKeyRelatedField):
    """An elder or a young person the caller sees, and not merged into another record."""

    def get_queryset(self):
        return super().get_queryset().current()


# --- Elders and young people ----------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    id_number = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_("The full ID number; leave out to keep the stored one, empty to remove it."),
    )
    allow_same_name = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text=_("Save although another record has the same name and birth date."),
    )
    age = serializers.IntegerField(read_only=True)

    #: Fields read masked by callers without the ``reveal`` verb.
    phone_fields = ("phone",)
    common_fields = [
        "id",
        "organization",
        "name",
        "sex",
        "birth_date",
        "age",
        "id_number",
        "id_number_masked",
        "phone",
    ]
    tail_fields = ["notes", "merged_into", "allow_same_name", "created_at", "updated_at"]

    def validate_id_number(self, value):
        return valid_id_number(value)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = request.user if request else None
        for name in self.phone_fields:
            if name in data:
                data[name] = shown_phone(user, data[name] or "")
        return data


class ElderSerializer(PersonSerializer):
    categories = DictItemField(DictKind.ELDER_CATEGORY, many=True, required=False)
    specialities = DictItemField(DictKind.SPECIALITY, many=True, required=False)

    class Meta:
        model = Elder
        fields = [
            *PersonSerializer.common_fields,
            "categories",
            "specialities",
            *Elder.own_fields,
            "service_hours",
            *PersonSerializer.tail_fields,
        ]
        read_only_fields = ["merged_into", "created_at", "updated_at"]


class YouthSerializer(PersonSerializer):
    category = DictItemField(DictKind.YOUTH_CATEGORY)
    phone_fields = ("phone", "guardian_phone")

    class Meta:
        model = Youth
        fields = [
            *PersonSerializer.common_fields,
            "category",
            *Youth.own_fields,
            *PersonSerializer.tail_fields,
        ]
        read_only_fields = ["merged_into", "created_at", "updated_at"]


class RevealSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text=_("Why the full number is needed."))


class RevealedSerializer(serializers.Serializer):
    id_number = serializers.CharField()


class FindByIdNumberSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=40, help_text=_("The full 18-character number."))

    def validate_id_number(self, value):
        return valid_id_number(value)


# --- Teams and mentorships ------------------------------------------------------------------


class TeamSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    kind = DictItemField(DictKind.TEAM_KIND)
    leader = ScopedPersonField(queryset=Elder.objects.all(), allow_null=True, required=False)
    members = ScopedPersonField(queryset=Elder.objects.all(), many=True, required=False)

    class Meta:
        model = Team
        fields = [
            "id",
            "organization",
            "name",
            "kind",
            "leader",
            "members",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = MentorshipVisit
        fields = ["id", "date", "content", "duration_minutes", "created_at"]
        read_only_fields = ["created_at"]


class MentorshipSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    elder = ScopedPersonField(queryset=Elder.objects.all())
    youth = ScopedPersonField(queryset=Youth.objects.all())
    goals = DictItemField(DictKind.MENTORSHIP_GOAL, many=True, required=False)
    outcomes = DictItemField(DictKind.MENTORSHIP_OUTCOME, many=True, required=False)
    is_active = serializers.BooleanField(read_only=True)
    visits = VisitSerializer(many=True, read_only=True)

    class Meta:
        model = Mentorship
        fields = [
            "id",
            "organization",
            "elder",
            "youth",
            "start_date",
            "end_date",
            "is_active",
            "goals",
            "outcomes",
            "notes",
            "visits",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
