"""The engaged-elder sets of an activity's ancestors, by month (``EngagedElders``, every
organisation) and by day (``EngagedEldersDay``, the top levels), kept for one activity at a
time by ``rollup.replace`` and ``rollup.move_subtree``: elders added to the sets of the new
place, taken out of the old place's where no other activity of theirs there remains.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from guangong.core.dates import month_of, next_month
from guangong.core.scope import ancestor_paths, subtree_q
from guangong.orgs.models import Organization

from . import bitset, counter_writes
from .models import DAILY_SETS_DEPTH, ActivityElder, EngagedElders, EngagedEldersDay


@dataclass(frozen=True)
class SetKind:
    """One table of engaged-elder sets: by month for every organisation, or by day for those
    near the top (``max_depth``)."""

    model: type
    max_depth: int | None

    def key(self, day: datetime.date) -> datetime.date:
        return month_of(day) if self.model is EngagedElders else day

    def span(self, day: datetime.date) -> dict:
        """Ledger filter of the elder rows whose activities make the set of ``day``'s key."""
        if self.model is EngagedElders:
            return {
                "activity__date__gte": month_of(day),
                "activity__date__lt": next_month(month_of(day)),
            }
        return {"activity__date": day}

    def ancestors(self, path: str) -> list[str]:
        paths = ancestor_paths(path)
        return paths if self.max_depth is None else paths[: self.max_depth]


SET_KINDS = (SetKind(EngagedElders, None), SetKind(EngagedEldersDay, DAILY_SETS_DEPTH))


def lock_sets(org_ids, when, create: bool = True, model=EngagedElders) -> dict:
    column = model.period_field
    if create:
        model.objects.bulk_create(
            [model(organization_id=pk, **{column: when}) for pk in org_ids],
            ignore_conflicts=True,
        )
    rows = (
        model.objects.select_for_update()
        .filter(organization_id__in=org_ids, **{column: when})
        .order_by("organization_id")
    )
    return {row.organization_id: row for row in rows}


def claim_sets(kind: SetKind, path: str, day) -> list:
    """The engaged-elder rows of ``kind`` of the ancestors of ``path`` (itself included) for
    ``day``'s month or day, created empty where missing and locked until the transaction ends:
    one statement where the database returns an upsert's rows, else as ``_lock_sets``."""
    when = kind.key(day)
    if counter_writes.upsert_returns_rows():
        return counter_writes.claim_sets(path, when, kind.model, kind.max_depth)
    ids = Organization.objects.filter(path__in=kind.ancestors(path)).values_list("pk", flat=True)
    return list(lock_sets(list(ids), when, model=kind.model).values())


def save_sets(model, rows: list) -> None:
    """Write the locked ``rows`` whose bits changed: the non-empty ones in one UPDATE, the
    empty ones deleted in one DELETE."""
    bits = {row.pk: bytes(row.bits) for row in rows if row.bits}
    counter_writes.update_by_id(model._meta.db_table, "bits", "bytea", bits)
    gone = [row.pk for row in rows if not row.bits]
    if gone:
        model.objects.filter(pk__in=gone).delete()


def save_set(row: EngagedElders, value: int) -> None:
    if value:
        row.bits = bitset.encode(value)
        row.save(update_fields=["bits"])
    else:
        row.delete()


def add_elders(kind: SetKind, path: str, day, elder_ids) -> None:
    if not elder_ids:
        return
    added = bitset.of(elder_ids)
    changed = []
    for row in claim_sets(kind, path, day):
        current = bitset.decode(row.bits)
        if current | added != current:
            row.bits = bitset.encode(current | added)
            changed.append(row)
    save_sets(kind.model, changed)


def drop_elders(path: str, day, dropped: dict) -> None:
    """Take elders out of the sets of each kind (``dropped``: kind → elder ids) of the
    ancestors of ``path`` for ``day``'s month or day, where no other activity of theirs in that
    subtree and span remains (the ledger already holds the new state). The ancestors and the
    month's ledger rows of those elders are read once for both kinds."""
    dropped = {kind: ids for kind, ids in dropped.items() if ids}
    if not dropped:
        return
    ancestors = list(
        Organization.objects.filter(path__in=ancestor_paths(path))
        .order_by("depth")
        .values("pk", "path", "depth")
    )
    if not ancestors:
        return
    month = month_of(day)
    rows_left = list(
        ActivityElder.objects.filter(
            subtree_q("activity__organization__path", ancestors[0]["path"]),
            elder_id__in=sorted({e for ids in dropped.values() for e in ids}),
            activity__date__gte=month,
            activity__date__lt=next_month(month),
        ).values_list("elder_id", "activity__organization__path", "activity__date")
    )
    for kind, elder_ids in dropped.items():
        mine = [a for a in ancestors if kind.max_depth is None or a["depth"] <= kind.max_depth]
        still = defaultdict(list)
        for elder_id, org_path, when in rows_left:
            if kind.key(when) == kind.key(day):
                still[elder_id].append(org_path)
        rows = lock_sets([a["pk"] for a in mine], kind.key(day), False, kind.model)
        changed = []
        for ancestor in mine:
            row = rows.get(ancestor["pk"])
            if row is None:
                continue
            gone = [
                e
                for e in elder_ids
                if not any(p.startswith(ancestor["path"]) for p in still.get(e, ()))
            ]
            if not gone:
                continue
            current = bitset.decode(row.bits)
            remaining = current & ~bitset.of(gone)
            if remaining != current:
                row.bits = bitset.encode(remaining) if remaining else bitset.EMPTY
                changed.append(row)
        save_sets(kind.model, changed)
