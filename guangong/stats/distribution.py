"""Distributions (分布): organisations of a subtree by how many teams or activities their own
subtree has, or by how complete their leadership roster is.

“建有5个以上工作团队的有81个，建有1至4个工作团队的有21个”: the organisations counted are those
of one kind within the subtree (by default its child organisations); each is counted in exactly
one bucket, so the buckets add up to the organisations counted, the denominator of each share.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.activities.models import Activity, ActivityMonth
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.orgs.models import NOT_DISSOLVED, Organization, Position, PositionRole
from guangong.people.models import Team

from .pivot import PivotError
from .tally import whole_months

#: What a distribution counts per organisation.
OF = {
    "teams": gettext_lazy("Organisations by number of teams"),
    "activities": gettext_lazy("Organisations by number of activities"),
    "roster": gettext_lazy("Organisations by roster completeness"),
}
#: The posts a complete leadership has (主任、常务副主任、秘书长).
CORE_POSTS = (PositionRole.DIRECTOR, PositionRole.EXECUTIVE_DEPUTY, PositionRole.SECRETARY_GENERAL)
DEFAULT_BINS = (1, 5)


@dataclass
class Bucket:
    key: str
    label: str
    count: int = 0


def parse_bins(value: str | None) -> tuple[int, ...]:
    """``"1,5"`` → (1, 5): buckets 0, 1–4 and 5 or more."""
    if not value:
        return DEFAULT_BINS
    try:
        bins = tuple(int(part) for part in value.split(","))
    except ValueError:
        raise PivotError(
            _("Bins are whole numbers separated by commas, e.g. 1,5."), "bins"
        ) from None
    if not bins or len(bins) > 10 or any(b < 1 for b in bins) or list(bins) != sorted(set(bins)):
        raise PivotError(_("Bins are up to ten increasing whole numbers from 1, e.g. 1,5."), "bins")
    return bins


def _buckets(bins) -> list[Bucket]:
    edges = (0, *bins)
    out = []
    for i, low in enumerate(edges):
        high = edges[i + 1] - 1 if i + 1 < len(edges) else None
        if high is None:
            label = _("%(n)d or more") % {"n": low}
        elif low == high:
            label = str(low)
        else:
            label = _("%(low)d to %(high)d") % {"low": low, "high": high}
        out.append(Bucket(f"{low}-{high if high is not None else ''}", label))
    return out


def _place(value: int, bins) -> int:
    return sum(1 for b in bins if value >= b)


def counted(org: Organization, kind: str):
    """The organisations a distribution counts: those of ``kind`` in the subtree, else the
    child organisations."""
    if kind:
        return Organization.objects.filter(subtree_q("path", org.path), NOT_DISSOLVED, kind=kind)
    return Organization.objects.get_children(org).filter(NOT_DISSOLVED)


def _per_subtree(paths: list[str], owned: Counter) -> dict[str, int]:
    """For each path, the rows owned at it or below (``owned``: rows by owner path)."""
    wanted = set(paths)
    out = dict.fromkeys(paths, 0)
    step = Organization.steplen
    for path, n in owned.items():
        for end in range(step, len(path) + 1, step):
            if path[:end] in wanted:
                out[path[:end]] += n
    return out


def _owned_below(paths: list[str], rows) -> dict[str, int]:
    owned = Counter(
        dict(
            rows.values("organization__path")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("organization__path", "n")
        )
    )
    return _per_subtree(paths, owned)


def _activities_below(org, paths: list[str], period: Period) -> dict[str, int]:
    """Sessions in each organisation's subtree: whole months from the counters (which hold
    subtree totals), edge days from the ledger."""
    whole, edges = whole_months(period)
    per = dict.fromkeys(paths, 0)
    if whole:
        ids = dict(Organization.objects.filter(path__in=paths).values_list("pk", "path"))
        keys = list(ids)
        for start in range(0, len(keys), 500):
            for pk, n in (
                ActivityMonth.objects.filter(
                    organization_id__in=keys[start : start + 500],
                    month__gte=whole[0],
                    month__lte=whole[-1],
                )
                .values("organization_id")
                .annotate(n=Sum("sessions"))
                .order_by()
                .values_list("organization_id", "n")
            ):
                per[ids[pk]] += n or 0
    for piece in edges:
        rows = Activity.objects.filter(
            subtree_q("organization__path", org.path),
            date__gte=piece.start,
            date__lte=piece.end,
        )
        for path, n in _owned_below(paths, rows).items():
            per[path] += n
    return per


def distribution(org, of: str, period: Period, kind: str = "", bins=DEFAULT_BINS) -> dict:
    if of not in OF:
        raise PivotError(_("Unknown distribution “%(key)s”.") % {"key": of}, "of")
    paths = list(counted(org, kind).values_list("path", flat=True))
    in_tree = subtree_q("organization__path", org.path)
    if of == "roster":
        buckets = [
            Bucket("complete", _("Director, executive deputy and secretary-general serving")),
            Bucket("partial", _("Some of them serving")),
            Bucket("none", _("None of them serving")),
        ]
        posts = Counter(
            path
            for path, _role in Position.objects.current()
            .filter(in_tree, role__in=CORE_POSTS, organization__path__in=paths)
            .values_list("organization__path", "role")
            .distinct()
        )
        for path in paths:
            n = posts.get(path, 0)
            index = 0 if n == len(CORE_POSTS) else 1 if n else 2
            buckets[index].count += 1
    else:
        per = (
            _owned_below(paths, Team.objects.filter(in_tree))
            if of == "teams"
            else _activities_below(org, paths, period)
        )
        buckets = _buckets(bins)
        for path in paths:
            buckets[_place(per[path], bins)].count += 1
    total = len(paths)
    return {
        "organization": {"id": org.pk, "name": org.name},
        "of": of,
        "label": str(OF[of]),
        "kind": kind or None,
        "period": {"from": period.start, "to": period.end} if of == "activities" else None,
        "denominator": total,
        "buckets": [
            {
                "key": b.key,
                "label": b.label,
                "organizations": b.count,
                "share": round(b.count * 100 / total, 1) if total else None,
            }
            for b in buckets
        ],
    }
