"""The REST API of help requests: the staff pages' scope and services.

Reads and actions need the ``care`` verb (everyone else finds nothing: lists are empty and a
request answers 404); ``GET /api/help-requests/counts/`` tells any user with ``view`` how many
requests there are in scope, per status. Requests are created by the public form only. The
requester's phone reads masked; ``POST …/reveal-phone/`` returns it (``reveal``, audited).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from guangong.core.api import drf_validation_error, post_action, validated_input
from guangong.orgs.models import Organization
from guangong.people import dupcheck
from guangong.people.models import Youth
from guangong.people.serializers import ScopedPersonField

from . import services
from .filters import HelpRequestFilterSet
from .models import HelpReferral, HelpReply, HelpRequest


class ReplySerializer(serializers.ModelSerializer):
    class Meta:
        model = HelpReply
        fields = ["id", "text", "public", "author_name", "created_at"]


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = HelpReferral
        fields = ["id", "from_org", "to_org", "by_name", "note", "at"]


class HelpRequestSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    replies = ReplySerializer(many=True, read_only=True)
    referrals = ReferralSerializer(many=True, read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "code",
            "status",
            "status_label",
            "kind",
            "addressed_to",
            "organization",
            "description",
            "requester_name",
            "phone_masked",
            "relation",
            "youth_age",
            "consent_version",
            "consent_at",
            "assigned_to",
            "case",
            "case_number",
            "created_at",
            "updated_at",
            "replies",
            "referrals",
        ]
        read_only_fields = fields


class ReplyInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    public = serializers.BooleanField(default=True)


class ReferInputSerializer(serializers.Serializer):
    to_org = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CloseInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RevealInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RevealedPhoneSerializer(serializers.Serializer):
    phone = serializers.CharField()


class ConvertInputSerializer(serializers.Serializer):
    youth = ScopedPersonField(queryset=Youth.objects.all(), required=False, allow_null=True)
    new_youth = serializers.DictField(
        required=False,
        help_text="A new young person: name, category, organization, birth_date, guardian_name, "
        "guardian_phone.",
    )
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    allow_same_name = serializers.BooleanField(default=False)


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class CountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())


class HelpRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = HelpRequestSerializer
    filterset_class = HelpRequestFilterSet
    #: Actions change state: they need ``edit`` (and the services check ``care`` and scope).
    write_verb = "edit"

    def get_queryset(self):
        return (
            HelpRequest.objects.visible_to(self.request.user)
            .select_related("case")
            .prefetch_related("replies", "referrals")
            .order_by("-created_at", "-pk")
        )

    def _run(self, func, actor, req, *args, **kwargs):
        services.refuse_read_only(actor, req)
        try:
            return func(actor, req, *args, **kwargs)
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc

    def _done(self, req):
        req = self.get_queryset().get(pk=req.pk)
        return Response(HelpRequestSerializer(req, context=self.get_serializer_context()).data)

    @post_action(request=ReplyInputSerializer, responses=HelpRequestSerializer)
    def reply(self, request, pk=None):
        req = self.get_object()
        data = validated_input(ReplyInputSerializer, request)
        self._run(
            services.reply,
            request.user,
            req,
            data["text"],
            data["public"],
        )
        return self._done(req)

    @post_action(request=ReferInputSerializer, responses=HelpRequestSerializer)
    def refer(self, request, pk=None):
        req = self.get_object()
        data = validated_input(ReferInputSerializer, request)
        self._run(
            services.refer,
            request.user,
            req,
            data["to_org"],
            data.get("note", ""),
        )
        return Response(
            HelpRequestSerializer(
                HelpRequest.objects.get(pk=req.pk), context=self.get_serializer_context()
            ).data
        )

    @post_action(request=CloseInputSerializer, responses=HelpRequestSerializer)
    def close(self, request, pk=None):
        req = self.get_object()
        data = validated_input(CloseInputSerializer, request)
        self._run(services.close, request.user, req, data.get("note", ""))
        return self._done(req)

    @post_action(request=ConvertInputSerializer, responses=CaseRefSerializer)
    def convert(self, request, pk=None):
        req = self.get_object()
        values = validated_input(
            ConvertInputSerializer, request, context=self.get_serializer_context()
        )
        new_youth = None
        if values.get("new_youth"):
            new_youth = self._new_youth(request.user, values["new_youth"])
        with dupcheck.recording():  # audited answers about people outside the scope
            case = self._run(
                services.convert,
                request.user,
                req,
                youth=values.get("youth"),
                new_youth=new_youth,
                id_number=values.get("id_number", ""),
                allow_same_name=values["allow_same_name"],
            )
        return Response({"id": case.pk, "number": case.number}, status=201)

    def _new_youth(self, user, raw: dict) -> Youth:
        from guangong.people.serializers import YouthSerializer

        fields = (
            "name",
            "category",
            "organization",
            "birth_date",
            "guardian_name",
            "guardian_phone",
            "sex",
        )
        serializer = YouthSerializer(
            data={k: v for k, v in raw.items() if k in fields},
            context=self.get_serializer_context(),
            partial=True,
        )
        if not serializer.is_valid():
            raise serializers.ValidationError({"new_youth": serializer.errors})
        data = {k: v for k, v in serializer.validated_data.items() if k in fields}
        return Youth(**data)

    @post_action(
        request=RevealInputSerializer,
        responses=RevealedPhoneSerializer,
        url_path="reveal-phone",
        write_verb="reveal",
    )
    def reveal_phone(self, request, pk=None):
        req = self.get_object()
        data = validated_input(RevealInputSerializer, request)
        phone = self._run(services.reveal_phone, request.user, req, data["reason"])
        response = Response({"phone": phone})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="How many help requests there are in scope, per status (any user with view)",
        responses=CountsSerializer,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def counts(self, request):
        counts = services.requests_per_status(HelpRequest.objects.countable_by(request.user))
        return Response({"total": sum(counts.values()), "by_status": counts})
