"""The REST API of elders, young people, teams and mentorships: the pages' scope and services.

ID numbers: ``id_number`` is write-only clear input (absent keeps the stored number, "" clears
it); reads carry ``id_number_masked`` only. The clear number comes back from
``POST …/reveal/`` alone (the ``reveal`` verb, a reason, an audit record). Phones read masked
for callers without ``reveal``.

Finding someone by full ID number is ``POST …/find-by-id-number/`` (the ``reveal`` verb, an
audit record with the masked number): never a query string, which ends up in server logs. A
list's ``q`` holding a full ID number is refused with 400.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from guangong.core import idnumber
from guangong.core.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    drf_validation_error,
)
from guangong.dicts.fields import DictItemField
from guangong.dicts.models import DictKind
from guangong.orgs.models import Organization

from . import dupcheck, services
from .filters import (
    ElderFilterSet,
    MentorshipFilterSet,
    TeamFilterSet,
    YouthFilterSet,
    looks_like_id_number,
)
from .models import Elder, Mentorship, MentorshipVisit, Team, Youth
from .tables import shown_phone

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
        value = idnumber.normalize(value)
        if value:
            try:
                idnumber.validate_id_number(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc
        return value

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
            "former_unit",
            "former_post",
            "political_status",
            "health",
            "availability",
            "joined_on",
            "active",
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
            "school_or_employer",
            "ethnicity",
            "household_type",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
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
        value = idnumber.normalize(value)
        try:
            idnumber.validate_id_number(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value


class PersonViewSet(ScopedModelViewSet):
    #: The verb writes need; the reveal action asks for ``reveal`` instead.
    write_verb = "edit"
    m2m_fields: tuple[str, ...] = ()

    def get_queryset(self):
        qs = super().get_queryset().select_related("organization").order_by("pk")
        return qs.prefetch_related(*self.m2m_fields) if self.m2m_fields else qs

    def list(self, request, *args, **kwargs):
        if looks_like_id_number(request.query_params.get("q", "")):
            raise ValidationError(
                {
                    "q": [
                        _(
                            "The search takes names and pinyin. To find someone by ID number, "
                            "POST it to find-by-id-number/."
                        )
                    ]
                }
            )
        return super().list(request, *args, **kwargs)

    def _split(self, serializer):
        data = dict(serializer.validated_data)
        id_number = data.pop("id_number", None)
        allow_same_name = data.pop("allow_same_name", False)
        m2m = {name: data.pop(name) for name in self.m2m_fields if name in data}
        return data, id_number, allow_same_name, m2m

    # Answers about people outside the scope are audited even when the save is refused.

    def perform_create(self, serializer):
        with dupcheck.recording():
            super().perform_create(serializer)

    def perform_update(self, serializer):
        with dupcheck.recording():
            super().perform_update(serializer)

    def create_object(self, serializer):
        data, id_number, allow_same_name, m2m = self._split(serializer)
        return services.save_person(
            self.request.user,
            self.model(**data),
            id_number=id_number or None,
            m2m=m2m,
            allow_same_name=allow_same_name,
        )

    def update_object(self, instance, serializer):
        data, id_number, allow_same_name, m2m = self._split(serializer)
        for name, value in data.items():
            setattr(instance, name, value)
        return services.save_person(
            self.request.user,
            instance,
            id_number=id_number,
            m2m=m2m,
            allow_same_name=allow_same_name,
        )

    def delete_object(self, instance):
        services.delete_person(self.request.user, instance)

    @extend_schema(
        summary="Reveal the full ID number (audited; needs the reveal verb)",
        request=RevealSerializer,
        responses=RevealedSerializer,
    )
    @action(detail=True, methods=["post"], write_verb="reveal")
    def reveal(self, request, pk=None):
        person = self.get_object()
        serializer = RevealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            value = services.reveal_id_number(
                request.user, person, serializer.validated_data["reason"]
            )
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc
        response = Response({"id_number": value})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="Find a current record in scope by full ID number (audited; needs reveal)",
        request=FindByIdNumberSerializer,
        responses={200: None, 404: None},
    )
    @action(detail=False, methods=["post"], url_path="find-by-id-number", write_verb="reveal")
    def find_by_id_number(self, request):
        serializer = FindByIdNumberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.find_by_id_number(
            request.user, self.model, serializer.validated_data["id_number"]
        )
        if person is None:  # not held by anyone, or held outside the scope: all alike
            raise NotFound(_("No one with this ID number was found."))
        person = self.get_queryset().get(pk=person.pk)
        response = Response(self.get_serializer(person).data)
        response["Cache-Control"] = "no-store"
        return response


@extend_schema_view(
    list=extend_schema(summary="List five-elders volunteers in scope"),
    retrieve=extend_schema(summary="One five-elders volunteer"),
    create=extend_schema(summary="Register a five-elders volunteer"),
    update=extend_schema(summary="Update a five-elders volunteer"),
    partial_update=extend_schema(summary="Update some fields of a five-elders volunteer"),
    destroy=extend_schema(summary="Delete a five-elders volunteer without history"),
)
class ElderViewSet(PersonViewSet):
    model = Elder
    serializer_class = ElderSerializer
    filterset_class = ElderFilterSet
    m2m_fields = ("categories", "specialities")


@extend_schema_view(
    list=extend_schema(summary="List young people in scope"),
    retrieve=extend_schema(summary="One young person"),
    create=extend_schema(summary="Register a young person"),
    update=extend_schema(summary="Update a young person"),
    partial_update=extend_schema(summary="Update some fields of a young person"),
    destroy=extend_schema(summary="Delete a young person without history"),
)
class YouthViewSet(PersonViewSet):
    model = Youth
    serializer_class = YouthSerializer
    filterset_class = YouthFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("category")


# --- Teams ----------------------------------------------------------------------------------


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


@extend_schema_view(
    list=extend_schema(summary="List teams in scope"),
    retrieve=extend_schema(summary="One team with its members"),
    create=extend_schema(summary="Create a team"),
    update=extend_schema(summary="Update a team (members replaced when given)"),
    partial_update=extend_schema(summary="Update some fields of a team"),
    destroy=extend_schema(summary="Delete a team"),
)
class TeamViewSet(ScopedModelViewSet):
    model = Team
    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet

    def get_queryset(self):
        qs = super().get_queryset().select_related("organization", "kind")
        return qs.prefetch_related("members").order_by("pk")

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        members = data.pop("members", None)
        return services.save_team(self.request.user, Team(**data), members=members)

    def update_object(self, instance, serializer):
        data = dict(serializer.validated_data)
        members = data.pop("members", None)
        for name, value in data.items():
            setattr(instance, name, value)
        return services.save_team(self.request.user, instance, members=members)

    def delete_object(self, instance):
        services.delete_team(self.request.user, instance)


# --- Mentorships ----------------------------------------------------------------------------


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


@extend_schema_view(
    list=extend_schema(summary="List mentorships in scope"),
    retrieve=extend_schema(summary="One mentorship with its visits"),
    create=extend_schema(summary="Pair an elder with a young person (the mentee limit applies)"),
    update=extend_schema(summary="Update a mentorship (an end date ends it)"),
    partial_update=extend_schema(summary="Update some fields of a mentorship"),
    destroy=extend_schema(summary="Delete a mentorship and its visits"),
)
class MentorshipViewSet(ScopedModelViewSet):
    model = Mentorship
    serializer_class = MentorshipSerializer
    filterset_class = MentorshipFilterSet

    def get_queryset(self):
        qs = super().get_queryset().select_related("organization", "elder", "youth")
        return qs.prefetch_related("goals", "outcomes", "visits").order_by("-start_date", "-pk")

    def _split(self, serializer):
        data = dict(serializer.validated_data)
        return data, data.pop("goals", None), data.pop("outcomes", None)

    def create_object(self, serializer):
        data, goals, outcomes = self._split(serializer)
        return services.save_mentorship(
            self.request.user, Mentorship(**data), goals=goals, outcomes=outcomes
        )

    def update_object(self, instance, serializer):
        data, goals, outcomes = self._split(serializer)
        for name, value in data.items():
            setattr(instance, name, value)
        return services.save_mentorship(self.request.user, instance, goals=goals, outcomes=outcomes)

    def delete_object(self, instance):
        services.delete_mentorship(self.request.user, instance)

    @extend_schema(
        summary="Record a visit of a mentorship", request=VisitSerializer, responses=VisitSerializer
    )
    @action(detail=True, methods=["post"], url_path="visits")
    def add_visit(self, request, pk=None):
        mentorship = self.get_object()
        serializer = VisitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = MentorshipVisit(mentorship=mentorship, **serializer.validated_data)
        try:
            services.add_visit(request.user, visit)
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc
        return Response(VisitSerializer(visit).data, status=201)
