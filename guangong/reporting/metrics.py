"""What a computed report item may ask of the ledgers: a fixed list, chosen in the form editor.

Each metric reads the statistics layer — the activity counters, care figures, people and the
organisation rollup — for an organisation's subtree and a period; a form item names a metric
and, where the metric takes one, a parameter (an activity type or group, a category, a case
kind, a committee status). Nobody writes code to add an item.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guangong.activities import stats as activity_stats
from guangong.care import stats as care_stats
from guangong.core.scope import subtree_q
from guangong.dicts.models import DictItem, DictKind, StatGroup
from guangong.orgs import rollup as org_rollup
from guangong.orgs.models import Organization
from guangong.orgs.models import Status as OrgStatus
from guangong.people.models import Elder, Mentorship, Youth

from .periods import ReportPeriod


class Param:
    NONE = ""
    ACTIVITY = "activity"  # an activity type id, or "group:<key>", or "" for all
    ELDER_CATEGORY = "elder_category"
    YOUTH_CATEGORY = "youth_category"
    CASE_KIND = "case_kind"
    COMMITTEE_STATUS = "committee_status"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    param: str
    compute: Callable[[Organization, ReportPeriod, str], Decimal]
    decimals: int = 0


def _span(period: ReportPeriod) -> activity_stats.Period:
    return activity_stats.Period(period.start, period.end)


def _activity_types(param: str) -> set[int] | None:
    """The activity type ids a parameter selects (None: all types)."""
    if not param:
        return None
    if param.startswith("group:"):
        group = param.split(":", 1)[1]
        return set(
            DictItem.objects.filter(kind=DictKind.ACTIVITY_TYPE, stat_group=group).values_list(
                "pk", flat=True
            )
        )
    return {int(param)}


def _activity_line(org, period, param) -> activity_stats.Line:
    tally = activity_stats.tally(org, _span(period))
    types = _activity_types(param)
    total = activity_stats.Line()
    for (child, _month, type_id), line in tally.lines.items():
        if child is None and (types is None or type_id in types):
            total.add(line.sessions, line.participants, line.elder_times, line.hours)
    return total


def sessions(org, period, param) -> Decimal:
    return Decimal(_activity_line(org, period, param).sessions)


def participants(org, period, param) -> Decimal:
    return Decimal(_activity_line(org, period, param).participants)


def service_hours(org, period, param) -> Decimal:
    return _activity_line(org, period, param).hours


def elders_engaged(org, period, param) -> Decimal:
    tally = activity_stats.tally(org, _span(period))
    engaged = 0
    for bits in tally.elders_by_month.values():
        engaged |= bits
    return Decimal(engaged.bit_count())


def elders(org, period, param) -> Decimal:
    qs = Elder.objects.current().filter(subtree_q("organization__path", org.path), active=True)
    if param:
        qs = qs.filter(categories=int(param))
    return Decimal(qs.count())


def youth(org, period, param) -> Decimal:
    qs = Youth.objects.current().filter(subtree_q("organization__path", org.path))
    if param:
        qs = qs.filter(category_id=int(param))
    return Decimal(qs.count())


def mentorships(org, period, param) -> Decimal:
    """Mentorships active at some time in the period."""
    qs = Mentorship.objects.filter(
        subtree_q("organization__path", org.path), start_date__lte=period.end
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
    return Decimal(qs.count())


def cases(org, period, param) -> Decimal:
    figures = care_stats.summary(org, _span(period))
    if param:
        return Decimal(sum(r["cases"] for r in figures["by_kind"] if str(r["kind"]) == param))
    return Decimal(figures["cases"])


def people_helped(org, period, param) -> Decimal:
    return Decimal(care_stats.summary(org, _span(period))["people_helped"])


def amount_disbursed(org, period, param) -> Decimal:
    figures = care_stats.summary(org, _span(period))
    if param:
        return sum(
            (r["disbursed"] for r in figures["by_kind"] if str(r["kind"]) == param),
            Decimal("0.00"),
        )
    return figures["amount_disbursed"]


def committees(org, period, param) -> Decimal:
    """Organisations of the subtree (now) with the given committee status (default: 已建)."""
    counts = org_rollup.counts_for([org.pk]).get(org.pk, {})
    wanted = {param} if param else {OrgStatus.ESTABLISHED, OrgStatus.CONSOLIDATED}
    return Decimal(sum(n for (_kind, status), n in counts.items() if status in wanted))


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("activity_sessions", _("Activity sessions (场次)"), Param.ACTIVITY, sessions),
        Metric(
            "activity_participants",
            _("Activity participants (人次)"),
            Param.ACTIVITY,
            participants,
        ),
        Metric(
            "activity_service_hours", _("Elders' service hours"), Param.ACTIVITY, service_hours, 1
        ),
        Metric("elders_engaged", _("Elders taking part"), Param.NONE, elders_engaged),
        Metric("elders", _("Five-elders volunteers"), Param.ELDER_CATEGORY, elders),
        Metric("youth", _("Young people registered"), Param.YOUTH_CATEGORY, youth),
        Metric("mentorships", _("Mentorships active"), Param.NONE, mentorships),
        Metric("cases", _("Care cases opened"), Param.CASE_KIND, cases),
        Metric("people_helped", _("People helped"), Param.NONE, people_helped),
        Metric(
            "amount_disbursed", _("Amount disbursed (yuan)"), Param.CASE_KIND, amount_disbursed, 2
        ),
        Metric("committees", _("Committees"), Param.COMMITTEE_STATUS, committees),
    )
}


def param_choices(kind: str) -> list[tuple[str, str]]:
    """The values a parameter of ``kind`` may take, for the form editor."""
    if kind == Param.ACTIVITY:
        groups = [(f"group:{k}", str(label)) for k, label in StatGroup.choices]
        types = [
            (str(pk), label)
            for pk, label in DictItem.objects.filter(kind=DictKind.ACTIVITY_TYPE).values_list(
                "pk", "label"
            )
        ]
        return [("", str(_("All")))] + groups + types
    dict_kind = {
        Param.ELDER_CATEGORY: DictKind.ELDER_CATEGORY,
        Param.YOUTH_CATEGORY: DictKind.YOUTH_CATEGORY,
        Param.CASE_KIND: DictKind.CASE_KIND,
    }.get(kind)
    if dict_kind:
        items = DictItem.objects.filter(kind=dict_kind).values_list("pk", "label")
        return [("", str(_("All")))] + [(str(pk), label) for pk, label in items]
    if kind == Param.COMMITTEE_STATUS:
        return [("", str(_("Established (incl. consolidated)")))] + [
            (k, str(label)) for k, label in OrgStatus.choices
        ]
    return [("", "")]


def valid_param(metric: Metric, value: str) -> bool:
    return value in {v for v, _label in param_choices(metric.param)}


def compute(key: str, org: Organization, period: ReportPeriod, param: str = "") -> Decimal:
    metric = METRICS[key]
    return Decimal(metric.compute(org, period, param)).quantize(Decimal(10) ** -metric.decimals)
