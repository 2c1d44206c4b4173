"""Proof and repair of the counters (``rollup``): what the ledger says they should be,
where they differ, and recomputing them in Python (``bulk.rebuild`` does it in SQL)."""

from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from guangong.core.scope import ancestor_paths
from guangong.orgs.models import Organization
from guangong.people.models import Elder

from . import bitset
from .models import (
    DAILY_DEPTH,
    DAILY_SETS_DEPTH,
    Activity,
    ActivityDay,
    ActivityElder,
    ActivityMonth,
    ActivityYear,
    EngagedElders,
    EngagedEldersDay,
)
from .rollup import COUNTS, month_of


def computed() -> tuple[dict, dict, dict, dict]:
    """The counters and sets as the ledger says they should be: by (organisation, month,
    type) and (organisation, month), then by (organisation, day, type) and (organisation, day)
    for the top levels."""
    ids = dict(Organization.objects.values_list("path", "pk"))
    counts: dict = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    sets: dict = defaultdict(set)
    day_counts: dict = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    day_sets: dict = defaultdict(set)
    elders_by_activity: dict = defaultdict(dict)
    for activity_id, elder_id, hours in ActivityElder.objects.values_list(
        "activity_id", "elder_id", "hours"
    ):
        elders_by_activity[activity_id][elder_id] = hours
    for pk, path, day, type_id, participants in Activity.objects.values_list(
        "pk", "organization__path", "date", "type_id", "participants"
    ):
        month = month_of(day)
        elders = elders_by_activity.get(pk, {})
        hours = sum(elders.values(), Decimal(0))
        for depth, prefix in enumerate(ancestor_paths(path), start=1):
            keys = [(counts, sets, month)]
            if depth <= DAILY_DEPTH:
                keys.append((day_counts, day_sets if depth <= DAILY_SETS_DEPTH else None, day))
            for count_rows, set_rows, when in keys:
                row = count_rows[(ids[prefix], when, type_id)]
                row[0] += 1
                row[1] += participants
                row[2] += len(elders)
                row[3] += hours
                if elders and set_rows is not None:
                    set_rows[(ids[prefix], when)].update(elders)
    return (
        {k: tuple(v) for k, v in counts.items()},
        dict(sets),
        {k: tuple(v) for k, v in day_counts.items()},
        dict(day_sets),
    )


def by_year(counts: dict) -> dict:
    """The monthly counts (``computed()``) added up by (organisation, year, type)."""
    years: dict = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    for (pk, month, type_id), values in counts.items():
        row = years[(pk, month.year, type_id)]
        for i, value in enumerate(values):
            row[i] += value
    return {k: tuple(v) for k, v in years.items()}


def mismatches() -> list[tuple]:
    """Every counter row, engaged-elder set and elder total that differs from the ledger."""
    counts, sets, day_counts, day_sets = computed()
    wrong: list[tuple] = []
    for label, model, period, expected in (
        ("count", ActivityMonth, "month", counts),
        ("year", ActivityYear, "year", by_year(counts)),
        ("day", ActivityDay, "date", day_counts),
    ):
        stored = {
            (pk, when, type_id): tuple(values)
            for pk, when, type_id, *values in model.objects.values_list(
                "organization_id", period, "type_id", *COUNTS
            )
            if any(values)
        }
        wrong += [
            (label, key, stored.get(key), expected.get(key))
            for key in set(stored) | set(expected)
            if stored.get(key) != expected.get(key)
        ]
    for label, model, expected in (
        ("elders", EngagedElders, sets),
        ("day elders", EngagedEldersDay, day_sets),
    ):
        stored_sets = {
            (pk, when): set(bitset.members(bitset.decode(bits)))
            for pk, when, bits in model.objects.values_list(
                "organization_id", model.period_field, "bits"
            )
        }
        stored_sets = {k: v for k, v in stored_sets.items() if v}
        wrong += [
            (label, key, stored_sets.get(key), expected.get(key))
            for key in set(stored_sets) | set(expected)
            if stored_sets.get(key) != expected.get(key)
        ]
    totals = Counter()
    for elder_id, hours in ActivityElder.objects.values_list("elder_id").annotate(h=Sum("hours")):
        totals[elder_id] = hours
    for pk, hours in Elder.objects.values_list("pk", "service_hours"):
        if hours != totals.get(pk, Decimal(0)):
            wrong.append(("hours", pk, hours, totals.get(pk, Decimal(0))))
    return sorted(wrong, key=repr)


@transaction.atomic
def rebuild() -> tuple[int, int]:
    """Recompute the counters, the sets and the elders' totals from the ledger."""
    counts, sets, day_counts, day_sets = computed()
    for model in (ActivityMonth, ActivityYear, ActivityDay, EngagedElders, EngagedEldersDay):
        model.objects.all().delete()
    for model, period, rows in (
        (ActivityMonth, "month", counts),
        (ActivityYear, "year", by_year(counts)),
        (ActivityDay, "date", day_counts),
    ):
        model.objects.bulk_create(
            [
                model(
                    organization_id=pk,
                    type_id=type_id,
                    **{period: when},
                    **dict(zip(COUNTS, values, strict=True)),
                )
                for (pk, when, type_id), values in rows.items()
            ],
            batch_size=5000,
        )
    for model, found in ((EngagedElders, sets), (EngagedEldersDay, day_sets)):
        model.objects.bulk_create(
            [
                model(organization_id=pk, bits=bitset.encode_ids(ids), **{model.period_field: when})
                for (pk, when), ids in found.items()
            ],
            batch_size=2000,
        )
    totals = dict(ActivityElder.objects.values_list("elder_id").annotate(h=Sum("hours")).order_by())
    Elder.objects.exclude(pk__in=totals).exclude(service_hours=0).update(service_hours=0)
    for elder_id, hours in totals.items():
        Elder.objects.filter(pk=elder_id).update(service_hours=hours)
    return len(counts), len(sets)
