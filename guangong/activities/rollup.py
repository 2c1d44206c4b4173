"""Keeping the counters (``ActivityMonth``, ``ActivityYear``, ``ActivityDay``) and the
engaged-elder sets equal to the ledger.

An activity contributes to every ancestor of its organisation (itself included): one session,
its participants, its elders' attendances and hours to the (month, type) counter row, the
(year, type) row and, near the top, the (day, type) row; and its elders to the month's and the
day's sets of engaged elders (``elder_sets``). ``services`` calls
``replace(old, new)`` with what an activity contributed before and after a change;
``move_subtree`` follows an organisation that moves; ``rebuild`` recomputes everything from
the ledger and ``mismatches`` compares.
``replace`` writes through ``counter_writes``: one statement per table for all the ancestors.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Subquery

from guangong.core.dates import month_of, next_month
from guangong.core.scope import ancestor_paths
from guangong.orgs.models import Organization

from . import bitset, counter_writes, daily
from .elder_sets import SET_KINDS, add_elders, drop_elders, lock_sets, save_set
from .models import (
    DAILY_DEPTH,
    Activity,
    ActivityDay,
    ActivityElder,
    ActivityMonth,
    ActivityYear,
    EngagedElders,
)

COUNTS = ("sessions", "participants", "elder_times", "hours")
#: The counter tables: (model, the field naming the period, the period of a month's first day).
COUNTERS = (
    (ActivityMonth, "month", lambda month: month),
    (ActivityYear, "year", lambda month: month.year),
)


@dataclass(frozen=True)
class Contribution:
    """What one activity adds to the counters: where, when (its ``day``), what and who."""

    path: str
    day: datetime.date
    type_id: int
    participants: int
    elders: dict[int, Decimal] = field(default_factory=dict)

    @classmethod
    def of(cls, activity: Activity) -> "Contribution":
        """Read from the database (call after the ledger rows are written)."""
        path = Organization.objects.values_list("path", flat=True).get(pk=activity.organization_id)
        elders = dict(
            ActivityElder.objects.filter(activity_id=activity.pk).values_list("elder_id", "hours")
        )
        return cls(path, activity.date, activity.type_id, activity.participants, elders)

    @property
    def month(self) -> datetime.date:
        return month_of(self.day)

    @property
    def hours(self) -> Decimal:
        return sum(self.elders.values(), Decimal(0))


def _add_counts(path, day, type_id, sessions, participants, elder_times, hours) -> None:
    """Add to the (month, type), (year, type) and (day, type) counter rows of every ancestor
    of ``path`` (itself included; the daily rows of those near the top only), one statement
    per table; rows left with no session are removed."""
    if not (sessions or participants or elder_times or hours):
        return
    month = month_of(day)
    deltas = (sessions, participants, elder_times, hours)
    emptied = counter_writes.add_counts(path, month, type_id, deltas, day=day)
    if sessions < 0:  # remove the rows left with no session (one DELETE per table that has)
        ancestors = ancestor_paths(path)
        for model, period, of in COUNTERS:
            if model._meta.db_table in emptied:
                model.objects.filter(
                    organization__path__in=ancestors,
                    type_id=type_id,
                    sessions=0,
                    **{period: of(month)},
                ).delete()
        if ActivityDay._meta.db_table in emptied:
            ActivityDay.objects.filter(
                organization__path__in=ancestors[:DAILY_DEPTH],
                type_id=type_id,
                sessions=0,
                date=day,
            ).delete()


def replace(old: Contribution | None, new: Contribution | None, elder_hours: bool = True) -> None:
    """Move the counters from an activity's old contribution to its new one (either may be
    None: a new or a deleted activity). Elder service hours follow too, unless the caller
    moves them itself (``elder_hours=False``: merging two records of the same elder)."""
    same_place = (
        old is not None
        and new is not None
        and (old.path, old.day, old.type_id) == (new.path, new.day, new.type_id)
    )
    if same_place:
        _add_counts(
            new.path,
            new.day,
            new.type_id,
            0,
            new.participants - old.participants,
            len(new.elders) - len(old.elders),
            new.hours - old.hours,
        )
    else:
        if old is not None:
            _add_counts(
                old.path,
                old.day,
                old.type_id,
                -1,
                -old.participants,
                -len(old.elders),
                -old.hours,
            )
        if new is not None:
            _add_counts(
                new.path,
                new.day,
                new.type_id,
                1,
                new.participants,
                len(new.elders),
                new.hours,
            )
    # Elder service hours: the running total on each elder, all in one UPDATE.
    old_hours = old.elders if old else {}
    new_hours = new.elders if new else {}
    deltas = {
        elder_id: new_hours.get(elder_id, Decimal(0)) - old_hours.get(elder_id, Decimal(0))
        for elder_id in sorted(set(old_hours) | set(new_hours))
    }
    deltas = {pk: delta for pk, delta in deltas.items() if delta} if elder_hours else {}
    counter_writes.add_service_hours(deltas)
    # Engaged elders: add the new ones, then drop the old ones no other activity keeps.
    dropped = {}
    for kind in SET_KINDS:
        if new is not None and new.elders:
            add_elders(kind, new.path, new.day, list(new.elders))
        if old is not None and old.elders:
            if new is not None and kind.key(old.day) == kind.key(new.day):
                dropped[kind] = [
                    e for e in old.elders if e not in new.elders or old.path != new.path
                ]
            else:
                dropped[kind] = list(old.elders)
    if old is not None:
        drop_elders(old.path, old.day, dropped)


# --- Organisations moving ---------------------------------------------------------------------


def move_subtree(org_id: int, old_ancestor_ids: list[int], new_ancestor_ids: list[int]) -> None:
    """The organisation ``org_id`` (and its subtree) moved: its own counter rows hold the totals
    of everything it carried; subtract them from the ancestors it left, add them to the ones it
    joined, and rebuild the engaged-elder sets of the ones it left from their children."""
    lost = [pk for pk in old_ancestor_ids if pk not in new_ancestor_ids]
    gained = [pk for pk in new_ancestor_ids if pk not in old_ancestor_ids]
    if not (lost or gained):
        return
    for model, period, _of in COUNTERS:
        _move_counts(model, period, org_id, lost, gained)

    sets = {
        row.month: bitset.decode(row.bits)
        for row in EngagedElders.objects.filter(organization_id=org_id)
    }
    for month, value in sets.items():
        for row in lock_sets(gained, month).values():
            current = bitset.decode(row.bits)
            save_set(row, current | value)
    # Deepest first: each ancestor's set is the union of its children's and its own activities'.
    lost_orgs = list(Organization.objects.filter(pk__in=lost).order_by("-depth"))
    for ancestor in lost_orgs:
        children = Organization.objects.get_children(ancestor).values_list("pk", flat=True)
        for month in sets:
            union = 0
            for bits in EngagedElders.objects.filter(
                organization_id__in=children, month=month
            ).values_list("bits", flat=True):
                union |= bitset.decode(bits)
            union |= bitset.of(
                ActivityElder.objects.filter(
                    activity__organization_id=ancestor.pk,
                    activity__date__gte=month,
                    activity__date__lt=next_month(month),
                ).values_list("elder_id", flat=True)
            )
            row = lock_sets([ancestor.pk], month)[ancestor.pk]
            save_set(row, union)
    daily.after_move(org_id, lost, gained)


def _move_counts(model, period: str, org_id: int, lost: list, gained: list) -> None:
    """One counter table's part of ``move_subtree``."""
    source = model.objects.filter(
        organization_id=org_id, **{period: OuterRef(period)}, type_id=OuterRef("type_id")
    )
    own = model.objects.filter(organization_id=org_id)
    if gained:
        model.objects.bulk_create(
            [
                model(organization_id=pk, **{period: value}, type_id=type_id)
                for value, type_id in own.values_list(period, "type_id")
                for pk in gained
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
    for ids, sign in ((lost, -1), (gained, +1)):
        if not ids:
            continue
        targets = model.objects.filter(organization_id__in=ids).filter(Exists(source))
        targets.update(
            **{name: F(name) + sign * Subquery(source.values(name)[:1]) for name in COUNTS}
        )
    model.objects.filter(organization_id__in=lost, sessions=0).delete()


# --- Proof and repair (``proof``) ------------------------------------------------------------


def computed() -> tuple[dict, dict]:
    """The counters and sets as the ledger says they should be."""
    from .proof import computed

    return computed()


def mismatches() -> list[tuple]:
    """Every counter row (monthly and yearly), engaged-elder set and elder total that differs
    from the ledger."""
    from .proof import mismatches

    return mismatches()


def rebuild() -> tuple[int, int]:
    """Recompute the counters, the sets and the elders' totals from the ledger."""
    from .proof import rebuild

    return rebuild()
