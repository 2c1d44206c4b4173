"""Where each figure of a pivot comes from: the list of its records filtered the same way
(issue 15 §6, docs/statistics.md “Tracing a figure”).

Every cell, row total, column total and the total links to the list whose rows are the
records it counts, and whose own count or totals line equals it: activities (场次, 人次, 五老参与,
服务时长, 参与五老人数 — the ledger sums its rows for one subtree and period), organisations
(组织数, 已建关工委), the roster serving now (领导班子成员), teams, mentorships active in the period
(the list's ``active_from`` / ``active_to``, the same ``active_in_q``) and care cases opened.
Each dimension value becomes a list filter (``child`` the child's subtree, or ``owner`` for the
organisation's own rows; ``month``/``quarter`` the dates, cut to the period; a “not given” row
``without=…``). Where no list can be filtered to the same records — amounts disbursed, the
activities' elders of one category — there is no link, and ``note`` says why: a link to a list
that counts something else would be worse than none. A figure of zero has no records and no
link.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from guangong.core import dates
from guangong.core.periods import Period
from guangong.core.resources import policy_for

from .pivot import OWN, Filters, Pivot
from .pivot_sources import SOURCES

#: The list of each source's records: (URL name, the list's parameters for the organisation
#: kind filter, for the period's start and end; "" where the records have no date).
LISTS = {
    "activities": ("activities:activity_list", "org_kind", "date_from", "date_to"),
    "attendances": ("activities:activity_list", "org_kind", "date_from", "date_to"),
    "organizations": ("orgs:organization_list", "kind", "", ""),
    "committees": ("orgs:organization_list", "kind", "", ""),
    "positions": ("orgs:position_list", "org_kind", "", ""),
    "teams": ("people:team_list", "org_kind", "", ""),
    "mentorships": ("people:mentorship_list", "org_kind", "active_from", "active_to"),
    "cases": ("care:case_list", "org_kind", "opened_from", "opened_to"),
}
FIXED = {"committees": [("established", "true")], "positions": [("term", "current")]}
#: Dimension → the list parameter its value becomes (``child``, ``group`` and the dates apart).
PARAMS = {
    "activities": {
        "type": "type",
        "audience": "audience",
        "team": "team",
        "team_kind": "team_kind",
        "stat_group": "group",
    },
    "organizations": {},
    "positions": {"role": "role", "source": "source"},
    "teams": {"team_kind": "kind"},
    "mentorships": {
        "outcome": "outcome",
        "youth_category": "youth_category",
        "elder_category": "elder_category",
    },
    "cases": {"youth_category": "youth_category"},
}
PARAMS["attendances"] = PARAMS["activities"]
PARAMS["committees"] = PARAMS["organizations"]
#: A record without a value of the dimension: ``without=…`` (the lists that take it).
WITHOUT = {
    "activities": {
        "audience": "audience",
        "team": "team",
        "team_kind": "team",
        "stat_group": "stat_group",
    },
    "mentorships": {"outcome": "outcome", "elder_category": "elder_category"},
}
WITHOUT["attendances"] = WITHOUT["activities"]


@functools.lru_cache(maxsize=4096)
def _piece(key: str, value) -> str:
    """``key=value`` as ``urlencode`` writes it (a table repeats the same few thousand)."""
    return urlencode([(key, value)])


class NoLink(Exception):
    """This figure's records cannot be listed exactly."""


@dataclass
class Links:
    cells: dict = field(default_factory=dict)  # (row key, col key) or (row key,) → URL
    rows: dict = field(default_factory=dict)
    cols: dict = field(default_factory=dict)
    total: str | None = None
    #: Why some figures have no link ("" when every figure with records has one).
    note: str = ""


def _cut(period: Period, start: datetime.date, end: datetime.date) -> Period:
    return Period(max(period.start, start), min(period.end, end))


def _dated(dim: str, key: int, period: Period) -> Period:
    if dim == "month":
        year, month = divmod(key, 100)
        first, last = month, month
    else:
        year, quarter = divmod(key, 10)
        first, last = 3 * quarter - 2, 3 * quarter
    return _cut(period, datetime.date(year, first, 1), dates.last_of_month(year, last))


class _Builder:
    def __init__(self, result: Pivot, filters: Filters):
        self.result = result
        self.source = result.measure.source
        self.name, self.kind_param, self.start, self.end = LISTS[self.source]
        self.filters = filters
        self.path = reverse(self.name)
        self.without = WITHOUT.get(self.source, {})

    def url(self, keyed: dict) -> str:
        """The list's URL for the records of the dimension values ``keyed`` (dim → key)."""
        org = self.result.organization
        params: dict[str, object] = {"org": org.pk}
        groups = []
        period = self.result.period
        pairs = list(FIXED.get(self.source, []))
        if self.filters.kind:
            params[self.kind_param] = self.filters.kind
        if self.filters.group:
            groups.append(self.filters.group)
        for dim, key in keyed.items():
            if dim == "child":
                if key == OWN:
                    params["owner"] = org.pk
                else:
                    params["org"] = key
            elif dim == "kind":
                if params.get(self.kind_param, key) != key:
                    raise NoLink  # another kind than the filter's: nothing there
                params[self.kind_param] = key
            elif dim == "group":
                if key is None:
                    params["ungrouped"] = self.result.group_set.pk
                else:
                    groups.append(key)
            elif dim in ("month", "quarter") and self.start:
                period = _dated(dim, key, period)
            elif key in (None, "") and dim in self.without:
                pairs.append(("without", self.without[dim]))
            elif dim in PARAMS[self.source] and key not in (None, ""):
                params[PARAMS[self.source][dim]] = key
            else:
                raise NoLink
        if self.start:
            params[self.start] = period.start.isoformat()
            params[self.end] = period.end.isoformat()
        # The filter's group and a group dimension's: the lists take a second as ``and_group``.
        query = [*params.items(), *pairs, *zip(("org_group", "and_group"), groups, strict=False)]
        return f"{self.path}?" + "&".join(_piece(k, v) for k, v in query)


def _reason(source: str, dims) -> str:
    if source == "disbursed":
        return _("The case list does not add up amounts disbursed: no links.")
    if source == "attendances" and "elder_category" in dims:
        return _(
            "The activity list cannot count only the elders of one category: figures by "
            "five-elders category have no link."
        )
    return _("Figures without a value of the dimension have no link.")


def links(result: Pivot, user, filters: Filters | None = None) -> Links:
    """The list URL of every figure of ``result`` with records that ``user`` may list."""
    out = Links()
    source = result.measure.source
    if source not in LISTS:
        out.note = _reason(source, result.dims)
        return out
    if not policy_for(SOURCES[source].model).may(user, "read"):
        out.note = _("You may count these records but not list them: no links.")
        return out
    builder = _Builder(result, filters or Filters())
    missed = False
    dims = result.dims

    def attempt(keyed: dict, value):
        nonlocal missed
        if not value:
            return None
        try:
            return builder.url(keyed)
        except NoLink:
            missed = True
            return None

    for key, value in result.cells.items():
        out.cells[key] = attempt(dict(zip(dims, key, strict=True)), value)
    for key, value in result.row_totals.items():
        out.rows[key] = attempt({dims[0]: key}, value)
    if len(dims) > 1:
        for key, value in result.col_totals.items():
            out.cols[key] = attempt({dims[1]: key}, value)
    out.total = attempt({}, result.total)
    if missed:
        out.note = _reason(source, dims)
    return out
