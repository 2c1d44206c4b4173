"""The REST API of notices (``/api/notices/``) and information items (``/api/info-items/``):
the pages' scope, the same services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from guangong.core.actions import batch
from guangong.core.api import (
    ScopedPrimaryKeyRelatedField,
    drf_validation_error,
    post_action,
    validated_input,
)
from guangong.dicts.fields import DictItemField
from guangong.dicts.models import DictKind
from guangong.orgs.models import Kind, Organization

from .filters import ItemFilterSet, NoticeFilterSet
from .models import Audience, InfoItem, Notice, Receipt
from .models.items import ITEM_TEXT_MAX, ITEM_TITLE_MAX, REASON_MAX
from .models.notices import BODY_MAX, FEEDBACK_MAX, TITLE_MAX
from .services import items as item_services
from .services import notices as notice_services


def _run(func, *args, **kwargs):
    try:
        with batch(func.__name__):
            return func(*args, **kwargs)
    except DjangoValidationError as exc:
        raise drf_validation_error(exc) from exc


class NoticeSerializer(serializers.ModelSerializer):
    doc_number = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "organization",
            "co_issuers",
            "joint_names",
            "prefix",
            "year",
            "number",
            "doc_number",
            "title",
            "body",
            "audience",
            "audience_kinds",
            "chosen",
            "feedback_required",
            "feedback_due",
            "status",
            "status_label",
            "issued_on",
            "issued_at",
        ]
        read_only_fields = fields


class NoticeInputSerializer(serializers.Serializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    co_issuers = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False
    )
    joint_names = serializers.CharField(max_length=200, required=False, allow_blank=True)
    prefix = serializers.CharField(max_length=20)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(min_value=1, max_value=99999, required=False, allow_null=True)
    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.CHILDREN)
    audience_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Kind.choices), required=False, max_length=20
    )
    chosen = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False
    )
    feedback_required = serializers.BooleanField(default=False)
    feedback_due = serializers.DateField(required=False, allow_null=True)
    issue = serializers.BooleanField(default=False, help_text="Issue it at once.")


class ReceiptSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "id",
            "organization",
            "organization_name",
            "read_at",
            "read_by_name",
            "answered_at",
            "answered_by_name",
            "feedback",
            "figures",
            "reminders_sent",
        ]
        read_only_fields = fields


class RemindInputSerializer(serializers.Serializer):
    which = serializers.ChoiceField(
        choices=[("", "either"), ("unread", "unread"), ("unanswered", "unanswered")],
        required=False,
        allow_blank=True,
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RemindedSerializer(serializers.Serializer):
    reminded = serializers.IntegerField()


class FeedbackInputSerializer(serializers.Serializer):
    feedback = serializers.CharField(max_length=FEEDBACK_MAX, required=False, allow_blank=True)
    figures = serializers.DictField(required=False)


class NoticeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    write_verb = "edit"

    def get_queryset(self):
        return (
            Notice.objects.visible_to(self.request.user)
            .prefetch_related("co_issuers", "chosen")
            .order_by("-pk")
        )

    def retrieve(self, request, *args, **kwargs):
        notice = self.get_object()
        notice_services.read_on_open(request.user, notice)
        return Response(self.get_serializer(notice).data)

    @extend_schema(request=NoticeInputSerializer, responses=NoticeSerializer)
    def create(self, request, *args, **kwargs):
        data = dict(validated_input(NoticeInputSerializer, request, context={"request": request}))
        co_issuers = data.pop("co_issuers", [])
        chosen = data.pop("chosen", [])
        issue = data.pop("issue")
        notice = Notice(**data)

        def save_and_issue(actor):
            saved = notice_services.save_notice(actor, notice, co_issuers=co_issuers, chosen=chosen)
            if issue:
                notice_services.issue(actor, saved)
            return saved

        save_and_issue.__name__ = "save_notice"
        saved = _run(save_and_issue, request.user)
        saved = Notice.objects.get(pk=saved.pk)
        return Response(self.get_serializer(saved).data, status=201)

    @post_action(request=None, responses=NoticeSerializer)
    def issue(self, request, pk=None):
        notice = self.get_object()
        _run(notice_services.issue, request.user, notice)
        return Response(self.get_serializer(Notice.objects.get(pk=notice.pk)).data)

    @post_action(request=RemindInputSerializer, responses=RemindedSerializer)
    def remind(self, request, pk=None):
        notice = self.get_object()
        data = validated_input(RemindInputSerializer, request)
        n = _run(
            notice_services.remind,
            request.user,
            notice,
            data.get("which", ""),
            data.get("note", ""),
        )
        return Response({"reminded": n})

    @extend_schema(responses=ReceiptSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None)
    def receipts(self, request, pk=None):
        notice = self.get_object()
        rows = Receipt.objects.visible_to(request.user).filter(notice=notice)
        rows = rows.select_related("organization").order_by("organization__path")
        page = self.paginate_queryset(rows)
        data = ReceiptSerializer(page if page is not None else rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @post_action(request=FeedbackInputSerializer, responses=ReceiptSerializer)
    def feedback(self, request, pk=None):
        notice = self.get_object()
        receipt = Receipt.objects.filter(
            notice=notice, organization_id=request.user.organization_id
        ).first()
        if receipt is None:
            raise NotFound()
        data = validated_input(FeedbackInputSerializer, request)
        _run(
            notice_services.file_feedback,
            request.user,
            receipt,
            data.get("feedback", ""),
            data.get("figures") or {},
        )
        return Response(ReceiptSerializer(Receipt.objects.get(pk=receipt.pk)).data)


class InfoItemSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_label = serializers.CharField(source="kind.label", read_only=True)

    class Meta:
        model = InfoItem
        fields = [
            "id",
            "organization",
            "handler",
            "kind",
            "kind_label",
            "title",
            "text",
            "sent_on",
            "status",
            "status_label",
            "reason",
            "adopted_by",
            "bulletin",
            "decided_at",
        ]
        read_only_fields = fields


class InfoItemInputSerializer(serializers.Serializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    kind = DictItemField(DictKind.INFO_KIND)
    title = serializers.CharField(max_length=ITEM_TITLE_MAX)
    text = serializers.CharField(max_length=ITEM_TEXT_MAX)


class ReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX)


class InfoItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InfoItemSerializer
    filterset_class = ItemFilterSet
    #: Sending needs ``edit``; the decisions ``approve`` (and the policy's rule, in the services).
    write_verb = "edit"

    def get_queryset(self):
        return InfoItem.objects.visible_to(self.request.user).select_related("kind").order_by("-pk")

    @extend_schema(request=InfoItemInputSerializer, responses=InfoItemSerializer)
    def create(self, request, *args, **kwargs):
        data = validated_input(InfoItemInputSerializer, request, context={"request": request})
        item = _run(item_services.save_item, request.user, InfoItem(**data))
        return Response(self.get_serializer(item).data, status=201)

    def _done(self, item):
        return Response(self.get_serializer(InfoItem.objects.get(pk=item.pk)).data)

    @post_action(request=None, responses=InfoItemSerializer, write_verb="approve")
    def accept(self, request, pk=None):
        item = self.get_object()
        _run(item_services.accept, request.user, item)
        return self._done(item)

    @post_action(
        request=ReturnInputSerializer,
        responses=InfoItemSerializer,
        url_path="return",
        write_verb="approve",
    )
    def return_item(self, request, pk=None):
        item = self.get_object()
        data = validated_input(ReturnInputSerializer, request)
        _run(item_services.return_item, request.user, item, data["reason"])
        return self._done(item)

    @post_action(request=None, responses=InfoItemSerializer, write_verb="approve")
    def forward(self, request, pk=None):
        item = self.get_object()
        _run(item_services.forward, request.user, item)
        return self._done(item)
