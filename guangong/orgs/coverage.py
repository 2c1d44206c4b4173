"""Coverage (组织覆盖): organisations by kind × committee status for any subtree.

The numbers committees count by hand — “州直已有8个园区、19个国有企业…建立关工委组织”,
“全市150个乡镇(街道)中…87个，占58%”, “领导班子成员280名” — as grouped counts over one
path-prefix range.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Substr

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


def coverage(root: Organization, include_children: bool = True) -> Coverage:
    counts = (
        Organization.objects.within_path(root.path)
        .values_list("kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = {k: CoverageRow(k, label) for k, label in Kind.choices}
    total = CoverageRow("total", "")
    for kind, status, n in counts:
        rows[kind].by_status[status] = rows[kind].by_status.get(status, 0) + n
        total.by_status[status] = total.by_status.get(status, 0) + n

    role_counts = dict(
        Position.objects.current()
        .within_path(root.path)
        .values_list("role")
        .annotate(n=Count("id"))
        .order_by()
    )
    positions = [(label, role_counts.get(role, 0)) for role, label in PositionRole.choices]

    children: list[tuple[Organization, CoverageRow]] = []
    if include_children and root.numchild:
        prefix_len = (root.depth + 1) * Organization.steplen
        kids = {
            c.path: c
            for c in Organization.objects.filter(
                path__startswith=root.path, depth=root.depth + 1
            ).order_by("path")
        }
        grouped = (
            Organization.objects.filter(path__startswith=root.path, depth__gt=root.depth)
            .annotate(branch=Substr("path", 1, prefix_len))
            .values_list("branch", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        branch_rows = {p: CoverageRow(p, c.name) for p, c in kids.items()}
        for branch, status, n in grouped:
            row = branch_rows.get(branch)
            if row is not None:
                row.by_status[status] = row.by_status.get(status, 0) + n
        children = [(kids[p], branch_rows[p]) for p in kids]

    return Coverage(
        root=root,
        rows=[r for r in rows.values() if r.total],
        total=total,
        positions_by_role=positions,
        positions_total=sum(role_counts.values()),
        children=children,
    )
