"""``/api/activities/``: the activity ledger, with the pages' scope, filters and services.

Reads cover what the caller sees (a joint activity also reaches its co-organisers); writes
only what their side owns, through ``services.save_activity`` / ``delete_activity``, so the
statistics counters and the elders' service hours stay exact whatever the client.
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from guangong.core.api import ScopedPrimaryKeyRelatedField
from guangong.core.resource_api import ResourceViewSet
from guangong.core.scope import scope_path
from guangong.dicts.fields import DictItemField
from guangong.dicts.models import DictKind
from guangong.orgs.models import Organization
from guangong.people.models import Elder, Team, Youth
from guangong.people.serializers import ScopedPersonField

from .models import Activity


class ElderHoursSerializer(serializers.Serializer):
    elder = ScopedPersonField(queryset=Elder.objects.all())
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=1, min_value=Decimal(0), default=Decimal(0)
    )


class ActivitySerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    type = DictItemField(DictKind.ACTIVITY_TYPE)
    audience = DictItemField(DictKind.YOUTH_CATEGORY, allow_null=True, required=False)
    elders = ElderHoursSerializer(many=True, required=False, source="elder_links")
    teams = ScopedPrimaryKeyRelatedField(queryset=Team.objects.all(), many=True, required=False)
    youths = ScopedPersonField(queryset=Youth.objects.all(), many=True, required=False)
    co_organizers = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False
    )
    type_label = serializers.CharField(source="type.label", read_only=True)
    stat_group = serializers.CharField(source="type.stat_group", read_only=True)
    joint = serializers.SerializerMethodField()
    confirmed = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=gettext_lazy(
            "true: save figures the plausibility checks doubt (the audit row records it)."
        ),
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "organization",
            "type",
            "type_label",
            "stat_group",
            "title",
            "date",
            "end_date",
            "place",
            "audience",
            "participants",
            "summary",
            "elders",
            "teams",
            "youths",
            "co_organizers",
            "joint",
            "confirmed",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_joint(self, obj) -> bool:
        return bool(obj.co_organizers.all())

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Named young people outside the caller's subtree are not theirs to see.
        request = self.context.get("request")
        path = scope_path(request.user if request else None)
        data["youths"] = sorted(
            youth.pk
            for youth in instance.youths.all()
            if path is not None and youth.organization.path.startswith(path)
        )
        return data

    def validate(self, attrs):
        elders = attrs.get("elder_links")
        if elders:
            ids = [row["elder"].pk for row in elders]
            if len(ids) != len(set(ids)):
                raise serializers.ValidationError({"elders": [_("Each elder may be listed once.")]})
        return attrs


class ActivityViewSet(ResourceViewSet):
    # The ledger's API (``activities.resources``); elders come with their hours. (No docstring:
    # the schema describes the viewsets alike.)

    def get_queryset(self):
        qs = super().get_queryset()
        youths = Prefetch("youths", queryset=Youth.objects.select_related("organization"))
        return qs.prefetch_related("elder_links", "teams", youths, "co_organizers").order_by(
            "-date", "-pk"
        )

    def get_object(self):
        obj = super().get_object()
        # Co-organisers read a joint activity; only the owner's side changes it.
        writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
        if writing and not self.resource.policy.allows(self.request.user, "write", obj):
            raise Http404
        return obj

    def _split(self, serializer):
        data, related = super()._split(serializer)
        if "elder_links" in data:
            related["elders"] = {row["elder"]: row["hours"] for row in data.pop("elder_links")}
        related["confirmed"] = bool(data.pop("confirmed", False))
        return data, related
