"""``GET /api/todo/``: the caller's to-do list (待办), the same items as the page's."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import todo


class TodoItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(k.key, k.label) for k in todo.KINDS], help_text=_("What waits.")
    )
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("The page of the thing, on this site."))
    due = serializers.DateField(allow_null=True, help_text=_("Due date (null: none)."))
    overdue = serializers.BooleanField()
    organization = serializers.CharField(help_text=_("Organisation name."))
    changed_at = serializers.DateTimeField(help_text=_("When it came in or last changed."))
    note = serializers.CharField(help_text=_("A returned report's reason, the next step, …"))


class TodoSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    items = TodoItemSerializer(many=True, help_text=_("Grouped by kind, by due date and age."))


class TodoView(APIView):
    """What waits for the caller, computed from the records and their policies."""

    read_verb = "view"

    @extend_schema(summary="The caller's to-do list (待办)", responses={200: TodoSerializer})
    def get(self, request):
        mine = todo.for_request(request)
        items = mine.items()
        return Response(TodoSerializer({"count": len(items), "items": items}).data)
