"""Coverage (组织覆盖): organisations by kind × committee status for any subtree.

The numbers committees count by hand — “州直已有8个园区、19个国有企业…建立关工委组织”,
“全市150个乡镇(街道)中…87个，占58%”, “领导班子成员280名” — as grouped counts over one
path-prefix range.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from guangong.core.scope import subtree_q
from guangong.orgs import rollup
from guangong.orgs.models import (
    ESTABLISHED_STATUSES,
    Kind,
    Organization,
    Position,
    PositionRole,
    Status,
)


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


def _row(key: str, label: str, counts: dict[tuple[str, str], int], kind: str | None = None):
    row = CoverageRow(key, label)
    for (k, status), n in counts.items():
        if kind is None or k == kind:
            row.by_status[status] = row.by_status.get(status, 0) + n
    return row


def coverage(root: Organization, include_children: bool = True) -> Coverage:
    """Counts for the subtree at ``root``, whatever its size, from the subtree rollup.

    Organisations by kind and status come from ``SubtreeCount`` (a few dozen rows for the root
    and for each child); current leadership members are counted live.
    """
    kids: list[Organization] = []
    if include_children and root.numchild:
        kids = list(
            Organization.objects.filter(
                subtree_q("path", root.path), depth=root.depth + 1
            ).order_by("path")
        )
    stored = rollup.counts_for([root.pk, *(k.pk for k in kids)])
    mine = stored.get(root.pk, {})
    rows = [_row(kind, label, mine, kind) for kind, label in Kind.choices]

    # Leadership: the whole tree needs no join to organisations at all.
    positions = Position.objects.current()
    if not _is_whole_tree(root):
        positions = positions.within_path(root.path)
    role_counts = dict(positions.values_list("role").annotate(n=Count("id")).order_by())
    by_role = [(label, role_counts.get(role, 0)) for role, label in PositionRole.choices]

    return Coverage(
        root=root,
        rows=[r for r in rows if r.total],
        total=_row("total", "", mine),
        positions_by_role=by_role,
        positions_total=sum(role_counts.values()),
        children=[(kid, _row(kid.path, kid.name, stored.get(kid.pk, {}))) for kid in kids],
    )


def committees(root: Organization, statuses=None) -> int:
    """Organisations of the subtree (now) with one of the committee ``statuses`` (default:
    established, consolidated included), from the subtree rollup."""
    wanted = set(statuses) if statuses else set(ESTABLISHED_STATUSES)
    counts = rollup.counts_for([root.pk]).get(root.pk, {})
    return sum(n for (_kind, status), n in counts.items() if status in wanted)
