"""The plausible ranges of activities (合理范围): administrators' edits, and defaults computed
from the ledger's own distribution.

``compute`` takes, for every activity type and organisation kind with enough activities, the
99.5th percentile of participants and of an elder's service hours a day, rounded up; a type gets
a row for every kind (``org_kind`` empty) from all its activities. Rows an administrator saved
are kept; computed rows are replaced. ``plausibility`` falls back to its built-in ranges where
there is no row.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action

from .models import Activity, ActivityElder, ActivityRange

#: The share of the ledger's activities a computed range admits.
PERCENTILE = 0.995
#: Fewer activities than this give no range of their own (the type's, or the built-in one).
MIN_SAMPLE = 50
HALF = Decimal("0.5")


def _org_path(actor) -> str:
    return getattr(actor, "scope_path", "") or ""


@action(model=ActivityRange)
def save_range(actor, row: ActivityRange) -> ActivityRange:
    """Create or edit a range: from now on it is the administrator's (not recomputed)."""
    before = snapshot(ActivityRange.objects.get(pk=row.pk)) if row.pk else None
    taken = ActivityRange.objects.filter(type_id=row.type_id, org_kind=row.org_kind)
    if taken.exclude(pk=row.pk).exists():
        raise ValidationError(
            _("This activity type already has a range for this kind of organisation: edit it.")
        )
    row.computed = False
    row.full_clean(validate_constraints=False)
    row.save()
    record(
        actor,
        Action.UPDATE if before else Action.CREATE,
        row,
        before=before,
        after=snapshot(row),
        org_path=_org_path(actor),
    )
    return row


@action(model=ActivityRange)
def delete_range(actor, row: ActivityRange) -> None:
    row = ActivityRange.objects.get(pk=row.pk)
    record(actor, Action.DELETE, row, before=snapshot(row), org_path=_org_path(actor))
    row.delete()


def percentile(values: list, share: float = PERCENTILE):
    """The nearest-rank percentile of ``values`` (not empty)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def nice_ceiling(n: int) -> int:
    """``n`` rounded up to two significant digits (137 → 140, 1,234 → 1,300), at least 1."""
    if n <= 10:
        return max(n, 1)
    step = 10 ** (len(str(n)) - 2)
    return -(-n // step) * step


def _samples():
    """{(type, kind): [participants]}, {(type, kind): [hours a day]} from the ledger."""
    people: dict = defaultdict(list)
    rows = Activity.objects.values_list("type_id", "organization__kind", "participants")
    for type_id, kind, participants in rows.iterator(chunk_size=5000):
        people[(type_id, kind)].append(participants)
    hours: dict = defaultdict(list)
    links = ActivityElder.objects.values_list(
        "activity__type_id",
        "activity__organization__kind",
        "hours",
        "activity__date",
        "activity__end_date",
    )
    for type_id, kind, h, start, end in links.iterator(chunk_size=5000):
        days = ((end or start) - start).days + 1
        hours[(type_id, kind)].append(h / days)
    return people, hours


def _ranges(people: dict, hours: dict) -> dict:
    """{(type, kind or ""): (most participants, most hours a day)} with enough activities."""
    by_type_people: dict = defaultdict(list)
    by_type_hours: dict = defaultdict(list)
    for (type_id, _kind), values in people.items():
        by_type_people[type_id].extend(values)
    for (type_id, _kind), values in hours.items():
        by_type_hours[type_id].extend(values)
    found = {}
    groups = [(key, values, hours.get(key, [])) for key, values in people.items()]
    groups += [((t, ""), v, by_type_hours.get(t, [])) for t, v in by_type_people.items()]
    for key, values, day_hours in groups:
        if len(values) < MIN_SAMPLE:
            continue
        most = nice_ceiling(percentile(values))
        if len(day_hours) >= MIN_SAMPLE:
            top = Decimal(percentile(day_hours)) / HALF
            most_hours = min(top.to_integral_value(ROUND_CEILING) * HALF, Decimal(24))
        else:
            most_hours = Decimal(12)
        found[key] = (most, max(most_hours, HALF))
    return found


def computed_rows() -> list[ActivityRange]:
    """The computed ranges the ledger gives now (not saved), leaving out the type × kind pairs
    an administrator has set."""
    found = _ranges(*_samples())
    kept = set(ActivityRange.objects.filter(computed=False).values_list("type_id", "org_kind"))
    return [
        ActivityRange(
            type_id=type_id, org_kind=kind, max_participants=most, max_hours=h, computed=True
        )
        for (type_id, kind), (most, h) in sorted(found.items())
        if (type_id, kind) not in kept
    ]


@action()
def compute(actor=None) -> int:
    """Replace the computed ranges by the ledger's; returns how many rows were written."""
    rows = computed_rows()
    ActivityRange.objects.filter(computed=True).delete()
    ActivityRange.objects.bulk_create(rows)
    record(
        actor,
        Action.UPDATE,
        None,
        after={"computed_ranges": len(rows), "percentile": str(PERCENTILE)},
        org_path="",
        message=_("Plausible ranges computed from the activity ledger."),
    )
    return len(rows)
