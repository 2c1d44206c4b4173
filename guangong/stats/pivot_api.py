"""``GET /api/stats/pivot/`` and ``GET /api/stats/distribution/``: the pivot and the
distributions of one subtree (``stats.pivot``, ``stats.distribution``).

The organisation must be visible to the caller (404 otherwise) and defaults to their own; a
group set or group they do not see is 404 too. What cannot be answered (an unknown dimension or
measure, a measure that does not break down by a dimension, a period over ten years) is a 400
``{field: [message]}`` in the user's language.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .distribution import OF, distribution, parse_bins
from .pivot import MEASURES, PivotError
from .pivot_links import links
from .pivot_sources import DIMENSIONS
from .pivot_table import as_table, parse, run
from .views import resolve_org


def _org(request):
    value = request.query_params.get("org")
    if value not in (None, "") and not str(value).isdigit():
        raise ValidationError({"org": [_("The organisation must be given by its id, a number.")]})
    return resolve_org(request.user, value)


class KeyLabel(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class MeasureRef(KeyLabel):
    decimals = serializers.IntegerField(help_text="Decimal places of its values (0, 1 or 2).")


class RowHeader(serializers.Serializer):
    key = serializers.JSONField(help_text="The dimension's value (id, code or yyyymm; null: none).")
    label = serializers.CharField()
    total = serializers.FloatField(help_text="The row's total (each record counted once).")
    share = serializers.FloatField(
        allow_null=True, help_text="Per cent of the total (null where rows overlap)."
    )
    records_url = serializers.CharField(
        allow_null=True, help_text="The list of the row's records (null: none to open)."
    )


class ColHeader(serializers.Serializer):
    key = serializers.JSONField()
    label = serializers.CharField()
    total = serializers.FloatField()
    records_url = serializers.CharField(allow_null=True)


class Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PeriodOut(serializers.Serializer):
    def get_fields(self):
        return {"from": serializers.DateField(), "to": serializers.DateField()}


class PivotSerializer(serializers.Serializer):
    organization = Ref()
    period = PeriodOut()
    measure = MeasureRef()
    rows = KeyLabel()
    cols = KeyLabel(allow_null=True)
    group_set = Ref(allow_null=True)
    row_headers = RowHeader(many=True)
    col_headers = ColHeader(many=True)
    cells = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="One list per row, one value per column (empty without columns).",
    )
    records_urls = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)),
        help_text=(
            "Beside `cells`: the list filtered to each cell's records, whose count or totals "
            "equal the cell (null: zero, or no list can be filtered to match)."
        ),
    )
    total = serializers.FloatField()
    records_url = serializers.CharField(allow_null=True)
    records_note = serializers.CharField(
        allow_blank=True, help_text="Why some figures have no link (empty: all have one)."
    )
    denominator = serializers.FloatField(
        allow_null=True, help_text="What the shares divide by: the total (null: no shares)."
    )


class BucketSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    organizations = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class DistributionSerializer(serializers.Serializer):
    organization = Ref()
    of = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(allow_null=True)
    period = PeriodOut(allow_null=True)
    denominator = serializers.IntegerField(help_text="The organisations counted.")
    buckets = BucketSerializer(many=True)


COMMON = [
    OpenApiParameter("org", OpenApiTypes.INT, description="Organisation id (default: own)"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Start, given with `to`"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="End, inclusive (default: this year)"),
    OpenApiParameter("kind", OpenApiTypes.STR, description="Only organisations of this kind"),
]
ERRORS = {
    400: OpenApiResponse(description="What cannot be answered: {field: [message]} (Chinese)"),
    404: OpenApiResponse(description="No such organisation, group set or group in your scope"),
}


def _refuse(exc: PivotError):
    raise ValidationError({exc.field: [exc.message]}) from exc


class PivotView(APIView):
    """Any measure of a subtree by one or two dimensions, with totals."""

    read_verb = "view"

    @extend_schema(
        summary="Pivot: a measure of a subtree by one or two dimensions",
        parameters=[
            *COMMON,
            OpenApiParameter("measure", OpenApiTypes.STR, enum=list(MEASURES)),
            OpenApiParameter("rows", OpenApiTypes.STR, enum=list(DIMENSIONS)),
            OpenApiParameter("cols", OpenApiTypes.STR, enum=list(DIMENSIONS)),
            OpenApiParameter("set", OpenApiTypes.INT, description="Group set (for `group`)"),
            OpenApiParameter("group", OpenApiTypes.INT, description="Only this group's"),
        ],
        responses={200: PivotSerializer, **ERRORS},
    )
    def get(self, request):
        org = _org(request)
        try:
            query = parse(request.user, request.query_params)
        except PivotError as exc:
            _refuse(exc)
        result = run(org, query)
        table = as_table(result, links(result, request.user, query.filters))
        return Response(PivotSerializer(table).data)


class DistributionView(APIView):
    """Organisations of a subtree by number of teams, of activities, or roster completeness."""

    read_verb = "view"

    @extend_schema(
        summary="Organisations of a subtree by number of teams, activities or roster",
        parameters=[
            *COMMON,
            OpenApiParameter("of", OpenApiTypes.STR, enum=list(OF)),
            OpenApiParameter("bins", OpenApiTypes.STR, description="Bucket edges, e.g. 1,5"),
        ],
        responses={200: DistributionSerializer, **ERRORS},
    )
    def get(self, request):
        org = _org(request)
        params = request.query_params
        try:
            query = parse(request.user, {**params.dict(), "measure": "organizations"})
            bins = parse_bins(params.get("bins"))
            result = distribution(
                org, params.get("of") or "teams", query.period, query.filters.kind, bins
            )
        except PivotError as exc:
            _refuse(exc)
        return Response(DistributionSerializer(result).data)
