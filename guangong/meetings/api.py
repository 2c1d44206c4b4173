"""The API's actions beyond create, read, update and delete: a member unit named co-organiser
of an activity, a meeting held and minuted, progress reported on an action item, its closure
asked for, approved or returned. Each calls the same service as the page."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.response import Response

from guangong.activities.models import Activity
from guangong.core.api import drf_validation_error, post_action, validated_input
from guangong.core.resource_api import ResourceViewSet

from .services import items, meetings, units


def _run(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except DjangoValidationError as exc:
        raise drf_validation_error(exc) from exc


class LinkInput(serializers.Serializer):
    activity = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    linked = serializers.BooleanField(default=True)


class HoldInput(serializers.Serializer):
    head_count = serializers.IntegerField(min_value=0, max_value=100_000, required=False)


class MinutesInput(serializers.Serializer):
    minutes = serializers.CharField(max_length=20000)
    speeches = serializers.CharField(max_length=20000, required=False, allow_blank=True)


class ReportInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    file = serializers.FileField(required=False)


class ReturnInput(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MemberUnitViewSet(ResourceViewSet):
    @post_action(request=LinkInput, url_path="activities")
    def link(self, request, pk=None):
        unit = self.get_object()
        data = validated_input(LinkInput, request)
        activity = Activity.objects.filter(pk=data["activity"]).first()
        _run(units.link_activity, request.user, unit, activity, linked=data["linked"])
        ids = unit.activities.order_by("pk").values_list("pk", flat=True)
        return Response({"activities": list(ids)})


class MeetingViewSet(ResourceViewSet):
    def _done(self, meeting):
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(self.get_serializer(meeting).data)

    @post_action(request=HoldInput)
    def hold(self, request, pk=None):
        meeting = self.get_object()
        data = validated_input(HoldInput, request)
        _run(meetings.hold, request.user, meeting, data.get("head_count"))
        return self._done(meeting)

    @post_action(request=MinutesInput)
    def minute(self, request, pk=None):
        meeting = self.get_object()
        data = validated_input(MinutesInput, request)
        _run(meetings.minute, request.user, meeting, data["minutes"], data.get("speeches", ""))
        return self._done(meeting)


class ActionItemViewSet(ResourceViewSet):
    write_op = "write"

    def _done(self, item):
        item = self.get_queryset().get(pk=item.pk)
        return Response(self.get_serializer(item).data)

    @post_action(request=ReportInput, write_op="read")
    def report(self, request, pk=None):
        item = self.get_object()
        data = validated_input(ReportInput, request)
        _run(items.report, request.user, item, data["text"], data.get("file"))
        return self._done(item)

    @post_action(request=None, write_op="read")
    def finish(self, request, pk=None):
        item = self.get_object()
        _run(items.request_closure, request.user, item)
        return self._done(item)

    @post_action(request=None, write_op="approve")
    def approve(self, request, pk=None):
        item = self.get_object()
        _run(items.approve_closure, request.user, item, approved=True)
        return self._done(item)

    @post_action(request=ReturnInput, write_op="approve", url_path="return")
    def return_closure(self, request, pk=None):
        item = self.get_object()
        data = validated_input(ReturnInput, request)
        _run(items.approve_closure, request.user, item, approved=False, note=data.get("note", ""))
        return self._done(item)
