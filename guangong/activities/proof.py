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
from .models import Activity, ActivityElder, ActivityMonth, ActivityYear, EngagedElders
from .rollup import COUNTER_ROW, COUNTS, month_of


def computed() -> tuple[dict, dict]:
    """The counters and sets as the ledger says they should be."""
    ids = dict(Organization.objects.values_list("path", "pk"))
    counts: dict = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    sets: dict = defaultdict(set)
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
        for prefix in ancestor_paths(path):
            row = counts[(ids[prefix], month, type_id)]
            row[0] += 1
            row[1] += participants
            row[2] += len(elders)
            row[3] += sum(elders.values(), Decimal(0))
            if elders:
                sets[(ids[prefix], month)].update(elders)
    return {k: tuple(v) for k, v in counts.items()}, dict(sets)


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
    counts, sets = computed()
    stored = {
        (pk, month, type_id): (s, p, e, h)
        for pk, month, type_id, s, p, e, h in ActivityMonth.objects.values_list(*COUNTER_ROW)
        if s or p or e or h
    }
    wrong: list[tuple] = [
        ("count", key, stored.get(key), counts.get(key))
        for key in set(stored) | set(counts)
        if stored.get(key) != counts.get(key)
    ]
    years = by_year(counts)
    stored_years = {
        (pk, year, type_id): (s, p, e, h)
        for pk, year, type_id, s, p, e, h in ActivityYear.objects.values_list(
            "organization_id", "year", "type_id", *COUNTS
        )
        if s or p or e or h
    }
    wrong += [
        ("year", key, stored_years.get(key), years.get(key))
        for key in set(stored_years) | set(years)
        if stored_years.get(key) != years.get(key)
    ]
    stored_sets = {
        (pk, month): set(bitset.members(bitset.decode(bits)))
        for pk, month, bits in EngagedElders.objects.values_list("organization_id", "month", "bits")
    }
    stored_sets = {k: v for k, v in stored_sets.items() if v}
    wrong += [
        ("elders", key, stored_sets.get(key), sets.get(key))
        for key in set(stored_sets) | set(sets)
        if stored_sets.get(key) != sets.get(key)
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
    counts, sets = computed()
    ActivityMonth.objects.all().delete()
    ActivityYear.objects.all().delete()
    EngagedElders.objects.all().delete()
    ActivityMonth.objects.bulk_create(
        [
            ActivityMonth(
                organization_id=pk,
                month=month,
                type_id=type_id,
                sessions=s,
                participants=p,
                elder_times=e,
                hours=h,
            )
            for (pk, month, type_id), (s, p, e, h) in counts.items()
        ],
        batch_size=5000,
    )
    ActivityYear.objects.bulk_create(
        [
            ActivityYear(
                organization_id=pk,
                year=year,
                type_id=type_id,
                sessions=s,
                participants=p,
                elder_times=e,
                hours=h,
            )
            for (pk, year, type_id), (s, p, e, h) in by_year(counts).items()
        ],
        batch_size=5000,
    )
    EngagedElders.objects.bulk_create(
        [
            EngagedElders(organization_id=pk, month=month, bits=bitset.encode(bitset.of(ids)))
            for (pk, month), ids in sets.items()
        ],
        batch_size=2000,
    )
    totals = dict(ActivityElder.objects.values_list("elder_id").annotate(h=Sum("hours")).order_by())
    Elder.objects.exclude(pk__in=totals).exclude(service_hours=0).update(service_hours=0)
    for elder_id, hours in totals.items():
        Elder.objects.filter(pk=elder_id).update(service_hours=hours)
    return len(counts), len(sets)
