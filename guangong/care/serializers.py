"""The serializers of the care cases' API (``care.api``): a case, its workflow's requests, the
reveal, the consent, and the counts a caller without the ``care`` verb gets."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from guangong.core import dates
from guangong.core.api import ScopedPrimaryKeyRelatedField
from guangong.dicts.fields import DictItemField
from guangong.dicts.models import DictKind
from guangong.orgs.models import Organization
from guangong.people.models import Elder, Team, Youth
from guangong.people.serializers import ScopedPersonField

from . import workflow
from .forms import care_workers
from .models import Case, FollowUp, Transition
from .services.access import SENSITIVE_LABELS
from .views.cases import HIDDEN

SENSITIVE_HELP = gettext_lazy(
    "Write-only clear text, stored encrypted; leave out to keep the stored value, empty to "
    "remove it. Responses show it masked."
)


class TransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transition
        fields = ["action", "from_status", "to_status", "actor_name", "at", "comment"]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "date", "visitor", "content", "created_at"]
        read_only_fields = ["created_at"]


class CareWorkerField(serializers.PrimaryKeyRelatedField):
    """A care worker within the caller's scope; others read as "not found", like a missing id
    (the service checks that the one chosen covers the case's organisation)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=get_user_model().objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return care_workers(request.user) if request else self.queryset.none()


class CaseSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    youth = ScopedPersonField(queryset=Youth.objects.all())
    youth_name = serializers.CharField(source="youth.name", read_only=True, default="")
    id_number_masked = serializers.CharField(
        source="youth.id_number_masked", read_only=True, default=""
    )
    kind = DictItemField(DictKind.CASE_KIND)
    funding_source = DictItemField(DictKind.FUNDING_SOURCE, required=False, allow_null=True)
    care_worker = CareWorkerField(required=False, allow_null=True)
    elders = ScopedPersonField(queryset=Elder.objects.all(), many=True, required=False)
    teams = ScopedPrimaryKeyRelatedField(queryset=Team.objects.all(), many=True, required=False)
    address = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000, help_text=SENSITIVE_HELP
    )
    family_situation = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000, help_text=SENSITIVE_HELP
    )
    health = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000, help_text=SENSITIVE_HELP
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "organization",
            "youth",
            "youth_name",
            "id_number_masked",
            "kind",
            "care_worker",
            "elders",
            "teams",
            "situation",
            "address",
            "family_situation",
            "health",
            "assessment",
            "plan",
            "amount_requested",
            "amount_approved",
            "amount_disbursed",
            "disbursed_on",
            "funding_source",
            "consent_by",
            "consent_relation",
            "consent_on",
            "consent_note",
            "status",
            "status_label",
            "opened_on",
            "closed_on",
            "anonymised_at",
            "transitions",
            "follow_ups",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "amount_approved",
            "amount_disbursed",
            "disbursed_on",
            "consent_by",
            "consent_relation",
            "consent_on",
            "consent_note",
            "status",
            "closed_on",
            "anonymised_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"opened_on": {"required": False}}

    def to_representation(self, instance):
        """The write-only sensitive inputs read back masked (“已隐藏”) or empty."""
        data = super().to_representation(instance)
        for name in Case.SENSITIVE_FIELDS:
            data[name] = str(HIDDEN) if instance.has_sensitive(name) else ""
        return data


class CaseListSerializer(CaseSerializer):
    class Meta(CaseSerializer.Meta):
        fields = [f for f in CaseSerializer.Meta.fields if f not in ("transitions", "follow_ups")]


class CountRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class CaseCountsSerializer(serializers.Serializer):
    """What a caller without the care capability gets from the list."""

    count = serializers.IntegerField()
    by_kind = CountRowSerializer(many=True)
    by_status = CountRowSerializer(many=True)


class CasePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CaseListSerializer(many=True)


class TransitionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(workflow.ACTIONS))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    amount_approved = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, min_value=0
    )
    funding_source = DictItemField(DictKind.FUNDING_SOURCE, required=False)
    amount_disbursed = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, min_value=0
    )
    disbursed_on = serializers.DateField(required=False, validators=[dates.WORK.validator])


class CaseRevealRequestSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=list(SENSITIVE_LABELS))
    reason = serializers.CharField(max_length=200, help_text=_("Why the value is needed."))


class CaseRevealedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.JSONField(
        help_text=gettext_lazy("The clear text, or for photos a list of {id, name, url}.")
    )


class ConsentSerializer(serializers.Serializer):
    by = serializers.CharField(max_length=50)
    relation = serializers.CharField(max_length=20)
    on = serializers.DateField(validators=[dates.WORK.validator])
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
