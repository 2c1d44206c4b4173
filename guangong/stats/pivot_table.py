"""A pivot as a table: headers with totals and shares, cells in rows, and the query that asks
for it (shared by the page, the API and the .xlsx export)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.core.forms import check_range
from guangong.core.ids import parse_id
from guangong.core.periods import Period
from guangong.core.resources import policy_for
from guangong.orggroups.models import GroupSet, OrgGroup
from guangong.orgs.models import Kind

from .pivot import MEASURES, Filters, Pivot, PivotError, check, pivot
from .pivot_links import Links
from .pivot_sources import DIMENSIONS, SOURCES

#: What the query string names, in order (the shareable link keeps them).
PARAMS = ("org", "from", "to", "measure", "rows", "cols", "set", "kind", "group")


def _number(value, decimals: int):
    if decimals:
        return float(round(Decimal(value or 0), decimals))
    return int(value or 0)


@dataclass
class Query:
    period: Period
    measure: str
    rows: str
    cols: str | None
    group_set: GroupSet | None
    filters: Filters


def _date(value: str, key: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise PivotError(_("Enter a date as YYYY-MM-DD."), key) from None


def parse(user, params) -> Query:
    """The pivot's question from a query string; a ``PivotError`` for what is wrong, 404 for
    a group set or group the user does not see (as if it did not exist)."""
    start, end = params.get("from") or None, params.get("to") or None
    start = _date(start, "from") if start else None
    end = _date(end, "to") if end else None
    try:
        check_range(start, end)
    except ValidationError as exc:
        key, messages = next(iter(exc.message_dict.items()))
        raise PivotError(messages[0], key) from exc
    this_year = Period.year(timezone.localdate().year)
    period = this_year if start is None else Period.range(start, end)
    measure = params.get("measure") or "sessions"
    rows = params.get("rows") or "child"
    cols = params.get("cols") or None
    group_set = None
    if params.get("set"):
        group_set = policy_for(GroupSet).get(user, params["set"])
    kind = params.get("kind") or ""
    if kind and kind not in Kind.values:
        raise PivotError(_("Unknown organisation kind “%(key)s”.") % {"key": kind}, "kind")
    group = None
    if params.get("group"):
        if parse_id(params["group"]) is None:
            raise PivotError(_("The group must be given by its id, a number."), "group")
        group = policy_for(OrgGroup).get(user, params["group"]).pk
    check(measure, rows, cols, group_set)
    model = SOURCES[MEASURES[measure].source].model
    if not policy_for(model).may(user, "count"):
        raise PivotError(_("You may not count these records."), "measure")
    return Query(period, measure, rows, cols, group_set, Filters(kind=kind, group=group))


def run(org, query: Query) -> Pivot:
    return pivot(
        org,
        query.period,
        query.measure,
        query.rows,
        query.cols,
        group_set=query.group_set,
        filters=query.filters,
    )


def as_table(result: Pivot, links: Links | None = None) -> dict:
    """The pivot as the API answers it and the page and the export show it; with ``links``
    (``pivot_links.links``), each figure's ``records_url`` (null: no list to open)."""
    links = links or Links()
    m = result.measure
    dec = m.decimals
    row_headers = result.headers[0]
    col_headers = result.headers[1] if len(result.dims) > 1 else []
    total = _number(result.total, dec)
    shares = m.additive and not DIMENSIONS[result.dims[0]].multi and bool(result.total)

    def cell(r, c=None):
        key = (r, c) if col_headers else (r,)
        return _number(result.cells.get(key, 0), dec)

    return {
        "organization": {"id": result.organization.pk, "name": result.organization.name},
        "period": {"from": result.period.start, "to": result.period.end},
        "measure": {"key": m.key, "label": str(m.label), "decimals": dec},
        "rows": {"key": result.dims[0], "label": str(DIMENSIONS[result.dims[0]].label)},
        "cols": (
            {"key": result.dims[1], "label": str(DIMENSIONS[result.dims[1]].label)}
            if col_headers
            else None
        ),
        "group_set": (
            {"id": result.group_set.pk, "name": result.group_set.name} if result.group_set else None
        ),
        "row_headers": [
            {
                "key": k,
                "label": label,
                "total": _number(result.row_totals.get(k, 0), dec),
                "share": (
                    round(float(result.row_totals.get(k, 0)) * 100 / float(result.total), 1)
                    if shares
                    else None
                ),
                "records_url": links.rows.get(k),
            }
            for k, label in row_headers
        ],
        "col_headers": [
            {
                "key": k,
                "label": label,
                "total": _number(result.col_totals.get(k, 0), dec),
                "records_url": links.cols.get(k),
            }
            for k, label in col_headers
        ],
        "cells": [[cell(r, c) for c, _label in col_headers] for r, _label in row_headers],
        "records_urls": [
            [links.cells.get((r, c)) for c, _label in col_headers] for r, _label in row_headers
        ],
        "total": total,
        "records_url": links.total,
        "records_note": links.note,
        "denominator": total if shares else None,
    }
