"""The REST API of care cases: the pages' rules and services.

- Callers with the ``care`` verb list, read, register and change the cases in their scope;
  every read of one case is written to its access log.
- Everyone else gets counts only: ``GET /api/cases/`` answers ``{"count", "by_kind",
  "by_status"}`` for their scope, and a single case answers 404.
- Address, family situation and health are write-only inputs (stored encrypted); responses
  carry them masked. The clear values come only from ``POST …/reveal/`` (``reveal`` verb and a
  reason; logged and audited).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from guangong.core import dates
from guangong.core.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    drf_validation_error,
)
from guangong.core.scope import has_verb
from guangong.dicts.fields import DictItemField
from guangong.dicts.models import DictKind
from guangong.orgs.models import Organization
from guangong.people.models import Elder, Team, Youth
from guangong.people.serializers import ScopedPersonField
from guangong.stats.care import case_counts

from . import services, workflow
from .filters import CaseFilterSet
from .models import Case, FollowUp, Transition
from .views.cases import HIDDEN

SENSITIVE_HELP = gettext_lazy(
    "Write-only clear text, stored encrypted; leave out to keep the stored value, empty to "
    "remove it. Responses show it masked."
)


class TransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transition
        fields = ["action", "from_status", "to_status", "actor_name", "at", "comment"]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "date", "visitor", "content", "created_at"]
        read_only_fields = ["created_at"]


class CaseSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    youth = ScopedPersonField(queryset=Youth.objects.all())
    youth_name = serializers.CharField(source="youth.name", read_only=True, default="")
    id_number_masked = serializers.CharField(
        source="youth.id_number_masked", read_only=True, default=""
    )
    kind = DictItemField(DictKind.CASE_KIND)
    funding_source = DictItemField(DictKind.FUNDING_SOURCE, required=False, allow_null=True)
    care_worker = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    elders = ScopedPersonField(queryset=Elder.objects.all(), many=True, required=False)
    teams = ScopedPrimaryKeyRelatedField(queryset=Team.objects.all(), many=True, required=False)
    address = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000, help_text=SENSITIVE_HELP
    )
    family_situation = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000, help_text=SENSITIVE_HELP
    )
    health = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000, help_text=SENSITIVE_HELP
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "organization",
            "youth",
            "youth_name",
            "id_number_masked",
            "kind",
            "care_worker",
            "elders",
            "teams",
            "situation",
            "address",
            "family_situation",
            "health",
            "assessment",
            "plan",
            "amount_requested",
            "amount_approved",
            "amount_disbursed",
            "disbursed_on",
            "funding_source",
            "consent_by",
            "consent_relation",
            "consent_on",
            "consent_note",
            "status",
            "status_label",
            "opened_on",
            "closed_on",
            "anonymised_at",
            "transitions",
            "follow_ups",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "amount_approved",
            "amount_disbursed",
            "disbursed_on",
            "consent_by",
            "consent_relation",
            "consent_on",
            "consent_note",
            "status",
            "closed_on",
            "anonymised_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"opened_on": {"required": False}}

    def to_representation(self, instance):
        """The write-only sensitive inputs read back masked (“已隐藏”) or empty."""
        data = super().to_representation(instance)
        for name in Case.SENSITIVE_FIELDS:
            data[name] = str(HIDDEN) if instance.has_sensitive(name) else ""
        return data


class CaseListSerializer(CaseSerializer):
    class Meta(CaseSerializer.Meta):
        fields = [f for f in CaseSerializer.Meta.fields if f not in ("transitions", "follow_ups")]


class CountRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class CaseCountsSerializer(serializers.Serializer):
    """What a caller without the care capability gets from the list."""

    count = serializers.IntegerField()
    by_kind = CountRowSerializer(many=True)
    by_status = CountRowSerializer(many=True)


class CasePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CaseListSerializer(many=True)


class TransitionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(workflow.ACTIONS))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    amount_approved = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, min_value=0
    )
    funding_source = DictItemField(DictKind.FUNDING_SOURCE, required=False)
    amount_disbursed = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, min_value=0
    )
    disbursed_on = serializers.DateField(required=False, validators=[dates.WORK.validator])


class CaseRevealRequestSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=list(services.SENSITIVE_LABELS))
    reason = serializers.CharField(max_length=200, help_text=_("Why the value is needed."))


class CaseRevealedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.JSONField(
        help_text=gettext_lazy("The clear text, or for photos a list of {id, name, url}.")
    )


class ConsentSerializer(serializers.Serializer):
    by = serializers.CharField(max_length=50)
    relation = serializers.CharField(max_length=20)
    on = serializers.DateField(validators=[dates.WORK.validator])
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


def _services_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        raise drf_validation_error(exc) from exc


@extend_schema_view(
    list=extend_schema(
        summary="List care cases in scope — or, without the care capability, counts only",
        description=(
            "Callers who may work on cases (关爱专干, or users given the capability) get the "
            "paginated cases of their scope. Everyone else gets counts for their scope: "
            '{"count": n, "by_kind": [{"label", "count"}…], "by_status": [{"label", '
            '"count"}…]}; no case, no name.'
        ),
        responses={
            200: PolymorphicProxySerializer(
                component_name="CaseListOrCounts",
                serializers=[CasePageSerializer, CaseCountsSerializer],
                resource_type_field_name=None,
            )
        },
    ),
    retrieve=extend_schema(
        summary="One care case (the reading is written to the case's access log)"
    ),
    create=extend_schema(summary="Register a care case (登记)"),
    update=extend_schema(summary="Update a care case that is not closed"),
    partial_update=extend_schema(summary="Update some fields of a care case"),
)
class CaseViewSet(ScopedModelViewSet):
    model = Case
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    #: The verb writes need; the reveal action asks for ``reveal`` instead.
    write_verb = "edit"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        qs = (
            super()
            .get_queryset()
            .select_related("organization", "kind", "youth", "care_worker", "funding_source")
        )
        qs = qs.prefetch_related("elders", "teams")
        if self.action == "retrieve":
            qs = qs.prefetch_related("transitions", "follow_ups")
        return qs.order_by("-opened_on", "-pk")

    def get_serializer_class(self):
        return CaseListSerializer if self.action == "list" else CaseSerializer

    def list(self, request, *args, **kwargs):
        if not has_verb(request.user, "care"):
            counts = case_counts(request.user, None)
            return Response(
                {
                    "count": counts["count"],
                    "by_kind": [
                        {"label": r["label"], "count": r["count"]} for r in counts["by_kind"]
                    ],
                    "by_status": [
                        {"status": r["status"], "label": r["label"], "count": r["count"]}
                        for r in counts["by_status"]
                    ],
                }
            )
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        services.open_case(request.user, case)
        return Response(self.get_serializer(case).data)

    def _split(self, serializer):
        data = dict(serializer.validated_data)
        sensitive = {name: data.pop(name, None) for name in Case.SENSITIVE_FIELDS}
        elders = data.pop("elders", None)
        teams = data.pop("teams", None)
        return data, sensitive, elders, teams

    def create_object(self, serializer):
        data, sensitive, elders, teams = self._split(serializer)
        sensitive = {k: v or "" for k, v in sensitive.items()}
        return services.save_case(
            self.request.user, Case(**data), sensitive=sensitive, elders=elders, teams=teams
        )

    def update_object(self, instance, serializer):
        data, sensitive, elders, teams = self._split(serializer)
        for name, value in data.items():
            setattr(instance, name, value)
        return services.save_case(
            self.request.user, instance, sensitive=sensitive, elders=elders, teams=teams
        )

    @extend_schema(
        summary="Apply a workflow action (submit, assess, approve, disburse, close, return, "
        "reopen); refused out of order, with a message, and nothing changes",
        request=TransitionRequestSerializer,
        responses={200: CaseSerializer, 400: OpenApiResponse(description="Refused")},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        case = self.get_object()
        serializer = TransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        name = data.pop("action")
        comment = data.pop("comment", "")
        case = _services_call(services.transition, request.user, case, name, comment, **data)
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Reveal a hidden field (needs the reveal capability and a reason; logged)",
        request=CaseRevealRequestSerializer,
        responses=CaseRevealedSerializer,
    )
    @action(detail=True, methods=["post"], write_verb="reveal")
    def reveal(self, request, pk=None):
        case = self.get_object()
        serializer = CaseRevealRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        field = serializer.validated_data["field"]
        value = _services_call(
            services.reveal, request.user, case, field, serializer.validated_data["reason"]
        )
        if field == "photos":
            value = [
                {
                    "id": a.pk,
                    "name": a.name,
                    "url": request.build_absolute_uri(
                        reverse("care:attachment_download", args=[a.pk])
                    ),
                }
                for a in value
            ]
        response = Response({"field": field, "value": value})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="Record a follow-up visit (回访)",
        request=FollowUpSerializer,
        responses={201: FollowUpSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, pk=None):
        case = self.get_object()
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = FollowUp(case=case, **serializer.validated_data)
        _services_call(services.add_follow_up, request.user, case, visit)
        return Response(FollowUpSerializer(visit).data, status=201)

    @extend_schema(
        summary="Record the guardian's consent (监护人同意)",
        request=ConsentSerializer,
        responses=CaseSerializer,
    )
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        case = self.get_object()
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = _services_call(
            services.record_consent,
            request.user,
            case,
            by=data["by"],
            relation=data["relation"],
            on=data["on"],
            note=data.get("note", ""),
        )
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)
