"""Coverage (组织覆盖): organisations by kind × committee status for any subtree.

The numbers committees count by hand — “州直已有8个园区、19个国有企业…建立关工委组织”,
“全市150个乡镇(街道)中…87个，占58%”, “领导班子成员280名” — as grouped counts over one
path-prefix range.

With an organisation group (``group``) only the organisations in it are counted, live over the
subtree with one join to the assignment table; ``by_group`` breaks a subtree down by the
groups of one set, each share with its denominator (docs/statistics.md, "Organisation
groups").
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from guangong.core.scope import subtree_q
from guangong.orggroups.models import Assignment, GroupSet, OrgGroup
from guangong.orggroups.selection import Slot, in_group_q, slots
from guangong.orgs import rollup
from guangong.orgs.models import (
    ESTABLISHED_STATUSES,
    NOT_DISSOLVED,
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

    def status_cells(self) -> list[tuple[str, int]]:
        """``(status, count)`` in the statuses' order (for the cells' links)."""
        return [(s, self.by_status.get(s, 0)) for s in Status.values]


@dataclass
class Coverage:
    root: Organization
    rows: list[CoverageRow]
    total: CoverageRow
    positions_by_role: list[tuple[str, int]]
    positions_total: int
    children: list[tuple[Organization, CoverageRow]]
    group: OrgGroup | None = None


def _is_whole_tree(root: Organization) -> bool:
    """True when ``root`` is the only top-level organisation: its subtree is every row."""
    return root.depth == 1 and not Organization.objects.filter(depth=1).exclude(pk=root.pk).exists()


def _row(key: str, label: str, counts: dict[tuple[str, str], int], kind: str | None = None):
    row = CoverageRow(key, label)
    for (k, status), n in counts.items():
        if kind is None or k == kind:
            row.by_status[status] = row.by_status.get(status, 0) + n
    return row


def _live_counts(root: Organization, kids: list[Organization], group) -> dict[int, dict]:
    """``counts_for``'s answer counted live: the organisations of the subtree in ``group`` by
    kind and status, for ``root`` and for each child's subtree (one grouped query)."""
    width = len(root.path) + Organization.steplen
    by_prefix = {k.path: k.pk for k in kids}
    result: dict[int, dict] = {root.pk: {}}
    rows = (
        Organization.objects.filter(
            subtree_q("path", root.path), in_group_q("pk", group), NOT_DISSOLVED
        )
        .annotate(prefix=Substr("path", 1, width))
        .values_list("prefix", "kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for prefix, kind, status, n in rows:
        for org_id in (root.pk, by_prefix.get(prefix)):
            if org_id is not None:
                counts = result.setdefault(org_id, {})
                counts[(kind, status)] = counts.get((kind, status), 0) + n
    return result


def coverage(
    root: Organization, include_children: bool = True, group: OrgGroup | None = None
) -> Coverage:
    """Counts for the subtree at ``root``, whatever its size, from the subtree rollup.

    Organisations by kind and status come from ``SubtreeCount`` (a few dozen rows for the root
    and for each child); current leadership members are counted live. With a ``group``, only
    its organisations are counted, live.
    """
    kids: list[Organization] = []
    if include_children and root.numchild:
        kids = list(
            Organization.objects.filter(
                subtree_q("path", root.path), depth=root.depth + 1
            ).order_by("path")
        )
    if group is None:
        stored = rollup.counts_for([root.pk, *(k.pk for k in kids)])
    else:
        stored = _live_counts(root, kids, group)
    mine = stored.get(root.pk, {})
    rows = [_row(kind, label, mine, kind) for kind, label in Kind.choices]

    # Leadership: the whole tree needs no join to organisations at all.
    positions = Position.objects.current()
    if group is not None:
        positions = positions.within_path(root.path).filter(in_group_q("organization_id", group))
    elif not _is_whole_tree(root):
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
        group=group,
    )


def committees(root: Organization, statuses=None) -> int:
    """Organisations of the subtree (now) with one of the committee ``statuses`` (default:
    established, consolidated included), from the subtree rollup."""
    wanted = set(statuses) if statuses else set(ESTABLISHED_STATUSES)
    counts = rollup.counts_for([root.pk]).get(root.pk, {})
    return sum(n for (_kind, status), n in counts.items() if status in wanted)


# --- By the groups of one set -------------------------------------------------------------------


@dataclass
class GroupLine:
    """One group of a set (or 未分组) in a subtree: its organisations, their share of the
    ``denominator`` (stated with ``denominator_label``), and its established committees."""

    slot: Slot
    organizations: int
    established: int
    denominator: int
    denominator_label: str

    @property
    def share(self) -> float | None:
        return round(self.organizations * 100 / self.denominator, 1) if self.denominator else None

    @property
    def established_share(self) -> float | None:
        if not self.organizations:
            return None
        return round(self.established * 100 / self.organizations, 1)


@dataclass
class GroupBreakdown:
    group_set: GroupSet
    lines: list[GroupLine]
    assigned: int  # organisations of the subtree with a group of the set
    total: int  # organisations of the subtree (in the chosen group, if any)


def _kinds_label(kinds: set[str], n: int) -> str:
    """本辖区乡镇(街道)150个 when all are of one kind, else 本辖区分组的组织150个."""
    if len(kinds) == 1:
        kind = Kind(next(iter(kinds))).label
        return _("%(kind)s of the subtree: %(n)d") % {"kind": kind, "n": n}
    return _("organisations of the subtree with a group of this set: %(n)d") % {"n": n}


def by_group(root: Organization, group_set: GroupSet, group: OrgGroup | None = None):
    """The subtree's organisations (those in ``group`` only, if given) by the groups of
    ``group_set``, with 未分组: counts from the assignment table joined to the subtree's range,
    the ungrouped ones as the rest of the subtree's count.

    A group's share is over the organisations of the subtree that have a group of the set (its
    denominator, stated); 未分组's over all the subtree's organisations.
    """
    assigned_rows = Assignment.objects.filter(
        subtree_q("organization__path", root.path),
        group_set=group_set,
        organization__dissolved_on__isnull=True,
    )
    if group is not None:
        assigned_rows = assigned_rows.filter(in_group_q("organization_id", group))
    counts: dict[int, list[int]] = {}
    kinds: set[str] = set()
    for group_id, kind, status, n in (
        assigned_rows.values_list("group_id", "organization__kind", "organization__status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        line = counts.setdefault(group_id, [0, 0])
        line[0] += n
        line[1] += n if status in ESTABLISHED_STATUSES else 0
        kinds.add(kind)
    if group is None:
        mine = rollup.counts_for([root.pk]).get(root.pk, {})
    else:
        mine = _live_counts(root, [], group)[root.pk]
    total = sum(mine.values())
    established = sum(n for (_k, status), n in mine.items() if status in ESTABLISHED_STATUSES)
    assigned = sum(n for n, _e in counts.values())
    assigned_label = _kinds_label(kinds, assigned)
    lines = []
    for slot in slots(group_set):
        if slot.group is not None:
            n, e = counts.get(slot.group.pk, (0, 0))
            lines.append(GroupLine(slot, n, e, assigned, assigned_label))
        else:
            n = total - assigned
            e = established - sum(e for _n, e in counts.values())
            label = _("organisations of the subtree: %(n)d") % {"n": total}
            lines.append(GroupLine(slot, n, e, total, label))
    return GroupBreakdown(group_set, lines, assigned, total)
