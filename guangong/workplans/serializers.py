"""Plans, tasks and progress reports in the API."""

from rest_framework import serializers

from guangong.core.api import ScopedPrimaryKeyRelatedField
from guangong.meetings.models import MemberUnit
from guangong.orgs.models import Organization

from .models import PlanTask, TaskProgress, TaskStatus, WorkPlan


class WorkPlanSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    sections = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=True),
        max_length=30,
        required=False,
    )

    class Meta:
        model = WorkPlan
        fields = [
            "id",
            "organization",
            "year",
            "title",
            "introduction",
            "sections",
            "status",
            "published_at",
            "source",
        ]
        read_only_fields = ["status", "published_at", "source"]


class PlanTaskSerializer(serializers.ModelSerializer):
    plan = ScopedPrimaryKeyRelatedField(queryset=WorkPlan.objects.all())
    lead_unit = ScopedPrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(), required=False, allow_null=True
    )
    lead_org = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    cooperating_units = ScopedPrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(), many=True, required=False
    )

    class Meta:
        model = PlanTask
        fields = [
            "id",
            "plan",
            "section",
            "number",
            "text",
            "lead_unit",
            "lead_org",
            "cooperating_units",
            "due_date",
            "metric",
            "metric_param",
            "target",
            "target_text",
            "status",
            "percent",
            "source",
        ]
        read_only_fields = ["status", "percent", "source"]


class ProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskProgress
        fields = ["id", "task", "status", "percent", "text", "author_name", "created_at"]


class ProgressInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    text = serializers.CharField(max_length=2000)


class AdoptInputSerializer(serializers.Serializer):
    organization = serializers.IntegerField(required=False)
