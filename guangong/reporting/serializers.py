"""The serializers of the reporting API (``api``): report forms with their sections, items and
rules; reports with their values; and the bodies of the reports' actions."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from guangong.core import dates
from guangong.orggroups.selection import GroupChoiceForm

from .models import FormItem, FormRule, FormSection, Report, ReportForm, ReportValue

# --- Forms ---------------------------------------------------------------------------------------


class ItemSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("computed, integer, decimal or text"))

    class Meta:
        model = FormItem
        fields = ["id", *FormItem.DEFINITION]


class SectionSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = FormSection
        fields = ["id", "title", "order", "items"]


class RuleSerializer(serializers.ModelSerializer):
    left = serializers.SlugRelatedField(slug_field="code", read_only=True)
    right = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FormRule
        fields = ["id", "left", "operator", "right", "message"]


class ReportFormSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    reporting_kinds = serializers.ListField(
        child=serializers.CharField(max_length=20),
        help_text=_("Kinds of organisation that report, e.g. county, township."),
    )
    sections = SectionSerializer(many=True, read_only=True)
    rules = RuleSerializer(many=True, read_only=True)

    class Meta:
        model = ReportForm
        fields = [
            "id",
            "owner",
            "owner_name",
            *ReportForm.DEFINITION,
            "sections",
            "rules",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class TotalsQuerySerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    period_start = serializers.DateField(validators=[dates.PLAN.validator])
    group = serializers.CharField(
        required=False,
        help_text=_("An organisation group id: only the reporting organisations in it."),
    )
    by_set = serializers.CharField(
        required=False,
        help_text=_("A group set id: the items' totals by its groups too (then 未分组)."),
    )

    def validate(self, attrs):
        """The group and set, as the pages take them (``GroupChoiceForm``): Chinese 400s."""
        chosen = GroupChoiceForm(attrs, user=self.context["request"].user)
        if chosen.is_bound and not chosen.is_valid():
            raise serializers.ValidationError(
                {k: [str(e) for e in v] for k, v in chosen.errors.items()}
            )
        attrs["group"], attrs["by_set"] = chosen.chosen()
        return attrs


class TotalItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    total = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)


@extend_schema_serializer(component_name="ReportTotals")  # "Totals" is the statistics' one
class GroupTotalsSerializer(serializers.Serializer):
    group = serializers.IntegerField(allow_null=True, help_text=_("null: 未分组"))
    label = serializers.CharField()
    expected = serializers.IntegerField()
    approved = serializers.IntegerField()
    items = TotalItemSerializer(many=True)


class TotalsSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    period_start = serializers.DateField()
    due = serializers.DateField()
    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    approved = serializers.IntegerField()
    completeness = serializers.FloatField()
    timeliness = serializers.FloatField()
    missing = serializers.ListField(child=serializers.CharField())
    late = serializers.ListField(child=serializers.CharField())
    items = TotalItemSerializer(many=True)
    group = serializers.IntegerField(allow_null=True, required=False)
    by_group = GroupTotalsSerializer(many=True, required=False)


# --- Reports -------------------------------------------------------------------------------------


class ValueSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)
    label = serializers.CharField(source="item.label", read_only=True)
    kind = serializers.CharField(source="item.kind", read_only=True)

    class Meta:
        model = ReportValue
        fields = ["code", "label", "kind", "computed", "value", "text", "overridden"]


class ReportSerializer(serializers.ModelSerializer):
    form_name = serializers.CharField(source="form.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    values = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "form",
            "form_name",
            "organization",
            "organization_name",
            "period_start",
            "period_end",
            "status",
            "status_display",
            "submitted_at",
            "approved_at",
            "computed_at",
            "note",
            "values",
        ]
        read_only_fields = fields

    @extend_schema_field(ValueSerializer(many=True))
    def get_values(self, report):
        rows = sorted(
            report.values.all(), key=lambda v: (v.item.section.order, v.item.order, v.item_id)
        )
        return ValueSerializer(rows, many=True).data


class ValuesInputSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True),
        required=False,
        help_text=_("Values by item code; an empty string clears a value."),
    )
    overrides = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        help_text=_(
            "For computed items that allow it: true to use the value given, false to "
            "go back to the computed one."
        ),
    )


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=300)


class OpenSerializer(serializers.Serializer):
    form = serializers.IntegerField()
    organization = serializers.IntegerField()
    period_start = serializers.DateField(validators=[dates.PLAN.validator])


class NotReportedSerializer(OpenSerializer):
    comment = serializers.CharField(max_length=300)
