"""``GET /api/messages/``: the caller's own messages; ``POST /api/messages/<id>/read/`` marks
one read, ``POST /api/messages/read-all/`` all of them. Anyone else's message is a 404."""

from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from guangong.core.api import post_action
from guangong.core.resources import policy_for

from . import inbox
from .models import Message


class MessageSerializer(serializers.ModelSerializer):
    unread = serializers.BooleanField(read_only=True, help_text=_("Not read yet."))

    class Meta:
        model = Message
        fields = ["id", "event", "title", "body", "url", "created_at", "read_at", "unread"]
        read_only_fields = fields


class CountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    #: Any signed-in user reads and marks their own messages.
    read_verb = "view"
    write_verb = "view"

    def get_queryset(self):
        rows = Message.objects.all().order_by("-created_at", "-pk")
        return policy_for(Message).instances(self.request.user, "read", rows)

    @post_action(request=None, responses=MessageSerializer)
    def read(self, request, pk=None):
        message = inbox.mark_read(request.user, self.get_object())
        return Response(MessageSerializer(message).data)

    @post_action(request=None, responses=CountSerializer, detail=False, url_path="read-all")
    def read_all(self, request):
        inbox.mark_all_read(request.user)
        return Response({"unread": inbox.unread_count(request.user)})
