"""The REST API of care cases: the pages' rules and services.

- Callers with the ``care`` verb list, read, register and change the cases in their scope;
  every read of one case is written to its access log.
- Everyone else gets counts only: ``GET /api/cases/`` answers ``{"count", "by_kind",
  "by_status"}`` for their scope, and a single case answers 404.
- Address, family situation and health are write-only inputs (stored encrypted); responses
  carry them masked. The clear values come only from ``POST …/reveal/`` (``reveal`` verb and a
  reason; logged and audited).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.response import Response

from guangong.core.api import ScopedModelViewSet, drf_validation_error
from guangong.core.resources import policy_for
from guangong.stats.care import case_counts

from .filters import CaseFilterSet
from .models import Case, FollowUp
from .serializers import (
    CaseCountsSerializer,
    CaseListSerializer,
    CasePageSerializer,
    CaseRevealedSerializer,
    CaseRevealRequestSerializer,
    CaseSerializer,
    ConsentSerializer,
    FollowUpSerializer,
    TransitionRequestSerializer,
)
from .services.access import open_case, reveal
from .services.cases import record_consent, save_case
from .services.entries import add_follow_up
from .services.transitions import transition


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
        if not policy_for(Case).may(request.user, "read"):
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
        open_case(request.user, case)
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
        return save_case(
            self.request.user, Case(**data), sensitive=sensitive, elders=elders, teams=teams
        )

    def update_object(self, instance, serializer):
        data, sensitive, elders, teams = self._split(serializer)
        for name, value in data.items():
            setattr(instance, name, value)
        return save_case(
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
        case = _services_call(transition, request.user, case, name, comment, **data)
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
            reveal, request.user, case, field, serializer.validated_data["reason"]
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
        _services_call(add_follow_up, request.user, case, visit)
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
            record_consent,
            request.user,
            case,
            by=data["by"],
            relation=data["relation"],
            on=data["on"],
            note=data.get("note", ""),
        )
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)
