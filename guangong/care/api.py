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
)
from rest_framework.response import Response

from guangong.core.api import ScopedModelViewSet, drf_validation_error, post_action, validated_input
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

    @extend_schema(
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
    )
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

    @post_action(
        request=TransitionRequestSerializer,
        responses={200: CaseSerializer, 400: OpenApiResponse(description="Refused")},
    )
    def transition(self, request, pk=None):
        case = self.get_object()
        data = dict(validated_input(TransitionRequestSerializer, request))
        name = data.pop("action")
        comment = data.pop("comment", "")
        case = _services_call(transition, request.user, case, name, comment, **data)
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)

    @post_action(
        request=CaseRevealRequestSerializer,
        responses=CaseRevealedSerializer,
        write_verb="reveal",
    )
    def reveal(self, request, pk=None):
        case = self.get_object()
        data = validated_input(CaseRevealRequestSerializer, request)
        field = data["field"]
        value = _services_call(reveal, request.user, case, field, data["reason"])
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

    @post_action(
        request=FollowUpSerializer,
        responses={201: FollowUpSerializer},
        url_path="follow-ups",
    )
    def follow_ups(self, request, pk=None):
        case = self.get_object()
        visit = FollowUp(case=case, **validated_input(FollowUpSerializer, request))
        _services_call(add_follow_up, request.user, case, visit)
        return Response(FollowUpSerializer(visit).data, status=201)

    @post_action(request=ConsentSerializer, responses=CaseSerializer)
    def consent(self, request, pk=None):
        case = self.get_object()
        data = validated_input(ConsentSerializer, request)
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
