"""``GET /api/stats/summary/``: the statistics of one subtree over a date range.

The figures are ``stats.figures.Figures.activities``, read from the live counters;
service hours are numbers with one decimal. The organisation must be visible to the caller
(404 otherwise) and defaults to their own; ``from`` and ``to`` come together or not at all (the
current year).
"""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from guangong.core.api import drf_validation_error
from guangong.core.forms import DATE_ERRORS, check_range
from guangong.core.ids import MAX_ID
from guangong.core.periods import Period
from guangong.orggroups.selection import visible_groups

from .figures import Figures
from .views import resolve_org

HOURS = {"max_digits": 14, "decimal_places": 1, "coerce_to_string": False}


class SummaryQuerySerializer(serializers.Serializer):
    """The query string: ``org``, ``from``, ``to`` (``from`` is a Python keyword, hence
    ``get_fields``)."""

    def get_fields(self):
        return {
            "org": serializers.IntegerField(
                required=False,
                min_value=1,
                error_messages={
                    "invalid": _("The organisation must be given by its id, a number."),
                    "min_value": _("The organisation must be given by its id, a number."),
                },
            ),
            "from": serializers.DateField(
                required=False, input_formats=["iso-8601"], error_messages=DATE_ERRORS
            ),
            "to": serializers.DateField(
                required=False, input_formats=["iso-8601"], error_messages=DATE_ERRORS
            ),
            "group": serializers.IntegerField(
                required=False,
                min_value=1,
                error_messages={
                    "invalid": _("The group must be given by its id, a number."),
                    "min_value": _("The group must be given by its id, a number."),
                    "max_value": _("The group must be given by its id, a number."),
                },
                max_value=MAX_ID,
                help_text=_(
                    "An organisation group id: count only the activities its organisations own "
                    "(from the ledger; no youth count nor rate)."
                ),
            ),
            "youth": serializers.BooleanField(
                required=False,
                default=False,
                help_text=_(
                    "Also count the young people of the subtree and give sessions per 10,000 "
                    "of them (a live count: it adds tens of milliseconds at a province's top)."
                ),
            ),
        }

    def validate(self, attrs):
        try:
            check_range(attrs.get("from"), attrs.get("to"))
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc
        if attrs.get("group"):
            user = self.context["request"].user
            found = visible_groups(user).filter(pk=attrs["group"]).first()
            if found is None:
                raise serializers.ValidationError(
                    {"group": [_("No such organisation group within your scope.")]}
                )
            attrs["group"] = found
        return attrs


# --- The answer (for the schema, and to render Decimals as numbers) ---------------------------


class FiguresSerializer(serializers.Serializer):
    sessions = serializers.IntegerField(help_text=_("Activities (场次)."))
    participants = serializers.IntegerField(help_text=_("Participants, person-times (人次)."))
    elder_times = serializers.IntegerField(help_text=_("Elder attendances, person-times."))
    service_hours = serializers.DecimalField(**HOURS, help_text=_("Elders' service hours."))


class TotalsSerializer(FiguresSerializer):
    elders_engaged = serializers.IntegerField(help_text=_("Different elders who took part."))
    youth = serializers.IntegerField(
        allow_null=True,
        help_text=_("Young people registered in the subtree (null unless asked with youth=1)."),
    )
    sessions_per_10k_youth = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Sessions per 10,000 of the population recorded for the organisation (see "
            "denominator; null where none is recorded)."
        ),
    )


class DenominatorSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("youth: young people living there; young_workers."))
    label = serializers.CharField()
    year = serializers.IntegerField(help_text=_("The year the number is for."))
    count = serializers.IntegerField()
    source = serializers.CharField()


class TypeLineSerializer(FiguresSerializer):
    type = serializers.IntegerField(help_text=_("Activity type (dictionary item id)."))
    label = serializers.CharField()
    group = serializers.CharField(help_text=_("Statistical group key."))


class GroupLineSerializer(FiguresSerializer):
    group = serializers.CharField()
    label = serializers.CharField()


class MonthLineSerializer(FiguresSerializer):
    month = serializers.CharField(help_text=_("YYYY-MM"))
    elders_engaged = serializers.IntegerField()


class ChildLineSerializer(FiguresSerializer):
    organization = serializers.IntegerField()
    name = serializers.CharField()
    share_sessions = serializers.FloatField(help_text=_("Per cent of the subtree's sessions."))
    share_participants = serializers.FloatField(
        help_text=_("Per cent of the subtree's participants.")
    )


class PeriodSerializer(serializers.Serializer):
    def get_fields(self):
        return {"from": serializers.DateField(), "to": serializers.DateField()}


class CountedPeriodSerializer(PeriodSerializer):
    def get_fields(self):
        return {
            **super().get_fields(),
            "complete": serializers.BooleanField(
                help_text=_("Whether the period is over; if not, the figures are to date.")
            ),
            "as_of": serializers.DateField(
                allow_null=True,
                help_text=_("The last day counted (null: the period has not started)."),
            ),
        }


class PreviousSerializer(serializers.Serializer):
    period = PeriodSerializer()
    sessions = serializers.IntegerField()
    participants = serializers.IntegerField()
    service_hours = serializers.DecimalField(**HOURS)
    elders_engaged = serializers.IntegerField()


class ChangeSerializer(serializers.Serializer):
    sessions = serializers.FloatField(allow_null=True)
    participants = serializers.FloatField(allow_null=True)
    service_hours = serializers.FloatField(allow_null=True)
    elders_engaged = serializers.FloatField(allow_null=True)


class OrgRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    organization = OrgRefSerializer()
    period = CountedPeriodSerializer()
    totals = TotalsSerializer()
    denominator = DenominatorSerializer(
        allow_null=True,
        help_text=_("The population the per-10,000 rate divides by (null: none recorded)."),
    )
    by_type = TypeLineSerializer(many=True)
    by_group = GroupLineSerializer(many=True)
    by_month = MonthLineSerializer(many=True)
    by_child = ChildLineSerializer(many=True)
    previous = PreviousSerializer(
        allow_null=True,
        help_text=_(
            "The same days a year earlier: of a period not yet over, only its elapsed days "
            "(null: the period has not started, or the subtree's records begin after it)."
        ),
    )
    records_from = serializers.DateField(
        allow_null=True,
        help_text=_(
            "The first month with activities in the subtree: no year-on-year comparison with "
            "a period before it (null: no activities)."
        ),
    )
    change = ChangeSerializer(
        help_text=_(
            "Year-over-year change (同比) in per cent; null when a year earlier is 0 or not "
            "compared."
        )
    )


class SummaryView(APIView):
    """Totals, by type, by group, by month and by child organisation, with 同比."""

    read_verb = "view"

    @extend_schema(
        summary="Activity statistics of a subtree over a date range",
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, description="Organisation id (default: own)"),
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="Start (YYYY-MM-DD), given with `to`"
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="End, inclusive (default: the current year)"
            ),
            OpenApiParameter(
                "group",
                OpenApiTypes.INT,
                description="Organisation group id: only its organisations' activities",
            ),
        ],
        responses={
            200: SummarySerializer,
            400: OpenApiResponse(
                description="Invalid dates or organisation id: {field: [messages]} (Chinese)"
            ),
            404: OpenApiResponse(description="No such organisation within your scope"),
        },
    )
    def get(self, request):
        query = SummaryQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        org = resolve_org(request.user, query.validated_data.get("org"))
        period = self.period(query.validated_data)
        figures = Figures(
            org,
            period,
            count_youth=query.validated_data.get("youth", False),
            group=query.validated_data.get("group"),
        )
        return Response(SummarySerializer(figures.activities).data)

    @staticmethod
    def period(data: dict) -> Period:
        if data.get("from"):
            return Period.range(data["from"], data["to"])
        today: datetime.date = timezone.localdate()
        return Period.year(today.year)
