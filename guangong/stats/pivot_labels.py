"""The headers of a pivot's rows and columns: every key found, and for the dimensions whose
values are known beforehand (child organisations, months, quarters, a set's groups) every
value, zeros included, in their natural order."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as noop

from guangong.dicts.models import DictItem, StatGroup
from guangong.orggroups.models import OrgGroup
from guangong.orgs.models import Kind, Organization, PositionRole, PositionSource
from guangong.people.models import Team

from .pivot_sources import month_label, months_of, quarters_of

#: What a row without a value of the dimension is called.
NONE_LABELS = {
    "group": noop("Not in any group"),
    "audience": noop("Audience not given"),
    "team": noop("No team"),
    "team_kind": noop("No team"),
    "elder_category": noop("No category"),
    "youth_category": noop("No category"),
    "outcome": noop("No outcome recorded"),
}


def _found(result, index: int) -> set:
    keys = {key[index] for key in result.cells}
    totals = result.row_totals if index == 0 else result.col_totals
    return keys | set(totals)


def _dict_labels(keys) -> dict:
    ids = [k for k in keys if k is not None]
    return {
        pk: (label, order)
        for pk, label, order in DictItem.objects.filter(pk__in=ids).values_list(
            "pk", "label", "order"
        )
    }


def headers(dim: str, result, org: Organization, period, group_set, index: int) -> list:
    """``[(key, label)]`` of one dimension, in order."""
    found = _found(result, index)
    if dim == "child":
        children = list(Organization.objects.get_children(org).values_list("pk", "name"))
        own = [(0, _("%(name)s (own)") % {"name": org.name})] if 0 in found else []
        return own + children
    if dim == "month":
        return [(k, month_label(k)) for k in months_of(period)]
    if dim == "quarter":
        return [
            (k, _("Q%(q)d %(year)d") % {"q": k % 10, "year": k // 10}) for k in quarters_of(period)
        ]
    if dim == "group":
        groups = list(
            OrgGroup.objects.filter(group_set=group_set)
            .order_by("order", "pk")
            .values_list("pk", "name")
        )
        return groups + [(None, _(NONE_LABELS["group"]))]
    if dim == "kind":
        return [(k, str(label)) for k, label in Kind.choices if k in found]
    if dim == "stat_group":
        labels = [(k, str(label)) for k, label in StatGroup.choices if k in found]
        return labels + ([(None, _("No group"))] if None in found else [])
    if dim == "role":
        return [(k, str(label)) for k, label in PositionRole.choices if k in found]
    if dim == "source":
        return [(k, str(label)) for k, label in PositionSource.choices if k in found]
    if dim == "team":
        names = dict(Team.objects.filter(pk__in=[k for k in found if k]).values_list("pk", "name"))
        ordered = sorted((k for k in found if k), key=lambda k: (names.get(k, ""), k))
        rows = [(k, names.get(k, str(k))) for k in ordered]
        return rows + ([(None, _(NONE_LABELS["team"]))] if None in found else [])
    # Dictionary items: activity type, audience, team kind, categories, outcomes.
    labels = _dict_labels(found)
    ordered = sorted((k for k in found if k is not None), key=lambda k: (labels[k][1], k))
    rows = [(k, labels[k][0]) for k in ordered if k in labels]
    if None in found:
        rows.append((None, _(NONE_LABELS.get(dim, noop("Not given")))))
    return rows
