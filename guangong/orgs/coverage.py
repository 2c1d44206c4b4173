"""Coverage (组织覆盖): organisations by kind × committee status for any subtree.

The numbers committees count by hand — “州直已有8个园区、19个国有企业…建立关工委组织”,
“全市150个乡镇(街道)中…87个，占58%”, “领导班子成员280名” — as grouped counts over one
path-prefix range.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Substr

from guangong.core.scope import subtree_q

from .models import ESTABLISHED_STATUSES, Kind, Organization, Position, PositionRole, Status


@dataclass
class CoverageRow:
    key: str
    label: str
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def established(self) -> int:
        return sum(self.by_status.get(s, 0) for s in ESTABLISHED_STATUSES)

    @property
    def share(self) -> float | None:
        return self.established / self.total if self.total else None

    def cells(self) -> list[int]:
        return [self.by_status.get(s, 0) for s in Status.values]


@dataclass
class Coverage:
    root: Organization
    rows: list[CoverageRow]
    total: CoverageRow
    positions_by_role: list[tuple[str, int]]
    positions_total: int
    children: list[tuple[Organization, CoverageRow]]


def _is_whole_tree(root: Organization) -> bool:
    """True when ``root`` is the only top-level organisation: its subtree is every row."""
    return root.depth == 1 and not Organization.objects.filter(depth=1).exclude(pk=root.pk).exists()


def coverage(root: Organization, include_children: bool = True) -> Coverage:
    """Counts for the subtree at ``root``: three grouped queries whatever its size.

    Kinds, totals and the per-child rows come from one scan grouped by (branch, kind, status),
    where the branch is the path prefix of the child of ``root`` a row sits under (the root's own
    row has the root's path as its branch).
    """
    whole_tree = _is_whole_tree(root)
    orgs = Organization.objects.all() if whole_tree else Organization.objects.within_path(root.path)
    prefix_len = (root.depth + 1) * Organization.steplen
    grouped = (
        orgs.annotate(branch=Substr("path", 1, prefix_len))
        .values_list("branch", "kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = {k: CoverageRow(k, label) for k, label in Kind.choices}
    total = CoverageRow("total", "")
    branches: dict[str, dict[str, int]] = {}
    for branch, kind, status, n in grouped:
        rows[kind].by_status[status] = rows[kind].by_status.get(status, 0) + n
        total.by_status[status] = total.by_status.get(status, 0) + n
        if branch != root.path:
            counts = branches.setdefault(branch, {})
            counts[status] = counts.get(status, 0) + n

    # Leadership: the whole tree needs no join to organisations at all.
    positions = Position.objects.current()
    if not whole_tree:
        positions = positions.within_path(root.path)
    role_counts = dict(positions.values_list("role").annotate(n=Count("id")).order_by())
    by_role = [(label, role_counts.get(role, 0)) for role, label in PositionRole.choices]

    children: list[tuple[Organization, CoverageRow]] = []
    if include_children and root.numchild:
        kids = Organization.objects.filter(
            subtree_q("path", root.path), depth=root.depth + 1
        ).order_by("path")
        for child in kids:
            row = CoverageRow(child.path, child.name, dict(branches.get(child.path, {})))
            children.append((child, row))

    return Coverage(
        root=root,
        rows=[r for r in rows.values() if r.total],
        total=total,
        positions_by_role=by_role,
        positions_total=sum(role_counts.values()),
        children=children,
    )
