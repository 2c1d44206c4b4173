"""What a computed report item may ask of the ledgers: a fixed list, chosen in the form editor.

Each metric reads the statistics layer — the activity counters, care figures, people and the
organisation rollup — for an organisation's subtree and a period; a form item names a metric
and, where the metric takes one, a parameter (an activity type or group, a category, a case
kind, a committee status). Nobody writes code to add an item.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from guangong.core.periods import Period
from guangong.dicts.models import DictItem, DictKind, StatGroup
from guangong.orgs.models import Organization
from guangong.orgs.models import Status as OrgStatus
from guangong.stats import people, trace
from guangong.stats.figures import Figures, activity_types


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
    compute: Callable[[Figures, str], Decimal]
    decimals: int = 0


def _activity_types(param: str) -> set[int] | None:
    """The activity type ids a parameter selects (None: all types)."""
    if not param:
        return None
    if param.startswith("group:"):
        return activity_types(param.split(":", 1)[1])
    return {int(param)}


def _id(param: str) -> int | None:
    return int(param) if param else None


def sessions(figures: Figures, param: str) -> Decimal:
    return Decimal(figures.activity_line(_activity_types(param)).sessions)


def participants(figures: Figures, param: str) -> Decimal:
    return Decimal(figures.activity_line(_activity_types(param)).participants)


def service_hours(figures: Figures, param: str) -> Decimal:
    return figures.activity_line(_activity_types(param)).hours


def elders_engaged(figures: Figures, param: str) -> Decimal:
    return Decimal(figures.elders_engaged)


def elders(figures: Figures, param: str) -> Decimal:
    return Decimal(people.elders(figures.organization, _id(param)))


def youth(figures: Figures, param: str) -> Decimal:
    return Decimal(people.youth(figures.organization, _id(param)))


def mentorships(figures: Figures, param: str) -> Decimal:
    """Mentorships active at some time in the period."""
    return Decimal(figures.mentorships)


def cases(figures: Figures, param: str) -> Decimal:
    return Decimal(figures.cases(_id(param)))


def people_helped(figures: Figures, param: str) -> Decimal:
    return Decimal(figures.care["people_helped"])


def amount_disbursed(figures: Figures, param: str) -> Decimal:
    return figures.disbursed(_id(param))


def committees(figures: Figures, param: str) -> Decimal:
    """Organisations of the subtree (now) with the given committee status (default: 已建)."""
    return Decimal(figures.committees({param} if param else None))


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


def compute(
    key: str, org: Organization, period: Period, param: str = "", figures: Figures | None = None
) -> Decimal:
    """One metric of ``org``'s subtree over ``period`` (``figures``: of the same subtree and
    period, already read — the metrics of one report share them)."""
    metric = METRICS[key]
    if figures is None or (figures.organization.pk, figures.period) != (org.pk, period):
        figures = Figures(org, period, compare=False, count_youth=False)
    return Decimal(metric.compute(figures, param)).quantize(Decimal(10) ** -metric.decimals)


def records_url(key: str, org_id: int, period: Period, param: str = "") -> str:
    """The list of the records a computed item counts, filtered as it counts them ("" where
    no list filters that way: the people registers are counted as they stand,
    money by the day it was paid)."""
    if key in ("activity_sessions", "activity_participants", "activity_service_hours"):
        more = {}
        if param.startswith("group:"):
            more["group"] = param.split(":", 1)[1]
        elif param:
            more["type"] = param
        return trace.activities_url(org_id, period, **more)
    if key == "elders_engaged":
        return trace.activities_url(org_id, period)
    if key == "cases":
        url = trace.cases_url(org_id, period)
        return f"{url}&kind={param}" if param else url
    if key == "people_helped":
        return trace.cases_url(org_id, period)
    if key == "mentorships":
        return trace.mentorships_url(org_id, period)
    if key == "committees" and not param:
        return trace.figure_urls(org_id, period)["established"]
    return ""
