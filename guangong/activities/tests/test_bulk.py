"""Counters maintained in bulk equal the ledger, exactly as activity-by-activity upkeep does.

Random batches of activities (organisation, type, month, participants, elders and hours) are
written straight to the ledger, then counted with ``bulk.add``; some were recorded through the
services first, so the batch adds to counters that already exist. Then a random part of the
ledger is taken out with ``bulk.remove``. After each step ``rollup.mismatches()`` is empty.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from guangong.activities import bulk, rollup
from guangong.activities.models import Activity, ActivityElder, ActivityMonth, EngagedElders
from guangong.core.actions import batch
from guangong.core.scope import ancestor_paths
from guangong.core.tests.support import examples
from guangong.orgs import services as org_services
from guangong.orgs.models import Kind, Organization
from guangong.people.models import Elder

from .test_rollup_property import MONTHS, drawn, record

index = st.integers(min_value=0, max_value=40)
ACTIVITY = st.tuples(
    index,  # organisation
    index,  # type
    st.sampled_from(MONTHS),
    st.integers(min_value=0, max_value=400),
    st.dictionaries(
        st.integers(min_value=0, max_value=4),
        st.sampled_from(["0.5", "1", "2.5", "4"]),
        max_size=3,
    ),
)
BATCHES = st.tuples(
    st.lists(ACTIVITY, max_size=4),  # through the services first
    st.lists(ACTIVITY, min_size=1, max_size=15),  # then written in bulk
    st.lists(st.booleans(), max_size=20),  # which of all to remove in bulk
)


def write(batch, rows, elders, types) -> None:
    """Ledger rows as an import or the demo writes them: bulk inserts, no counters."""
    orgs = list(Organization.objects.order_by("pk"))
    activities = [
        drawn(orgs, types, org, type_, day, participants, import_batch=batch)
        for org, type_, day, participants, _hours in rows
    ]
    Activity.objects.bulk_create(activities)
    if any(a.pk is None for a in activities):  # pragma: no cover - backends without RETURNING
        pks = Activity.objects.filter(import_batch=batch).order_by("pk").values_list("pk")
        for activity, (pk,) in zip(activities, pks, strict=True):
            activity.pk = pk
    ActivityElder.objects.bulk_create(
        ActivityElder(activity=activity, elder=elders[e], hours=Decimal(h))
        for activity, row in zip(activities, rows, strict=True)
        for e, h in row[4].items()
    )


@examples(30)
@given(batches=BATCHES)
def test_bulk_add_and_remove_keep_the_counters_equal_to_the_ledger(world, batches):
    actor, elders, types = world
    before, rows, removals = batches
    with batch("example"):  # the actions join it; each example is rolled back
        record(actor, elders, types, before)
        write("batch-1", rows, elders, types)

        result = bulk.add(Activity.objects.filter(import_batch="batch-1"))

        assert result.activities == len(rows)
        assert rollup.mismatches() == []

        everything = list(Activity.objects.order_by("pk").values_list("pk", flat=True))
        chosen = [pk for pk, drop in zip(everything, removals, strict=False) if drop]
        removed = bulk.remove(Activity.objects.filter(pk__in=chosen))

        assert removed.activities == len(chosen)
        assert not Activity.objects.filter(pk__in=chosen).exists()
        assert not ActivityElder.objects.filter(activity_id__in=chosen).exists()
        assert rollup.mismatches() == []
        transaction.set_rollback(True)


def test_bulk_add_spans_separate_trees(world):
    """Activities under two root organisations (no common ancestor) are counted in both."""
    actor, elders, types = world
    other = org_services.create_organization(actor, None, name="兵团", kind=Kind.PROVINCE)
    org_services.create_organization(actor, other, name="兵团一师", kind=Kind.CITY)
    orgs = list(Organization.objects.order_by("pk"))
    rows = [
        (orgs.index(o), 0, MONTHS[0], 20, {0: "1", 1: "2"})
        for o in Organization.objects.filter(depth__gte=2)
    ]
    write("two", rows, elders, types)

    bulk.add(Activity.objects.filter(import_batch="two"))

    assert rollup.mismatches() == []
    root_sets = EngagedElders.objects.filter(organization__depth=1)
    assert root_sets.count() == 2


def test_a_batch_counts_at_every_ancestor(world):
    actor, elders, types = world
    deepest = Organization.objects.order_by("-depth", "pk").first()
    orgs = list(Organization.objects.order_by("pk"))
    write("one", [(orgs.index(deepest), 0, MONTHS[1], 35, {2: "3"})], elders, types)

    bulk.add(Activity.objects.filter(import_batch="one"))

    ancestors = Organization.objects.filter(path__in=ancestor_paths(deepest.path))
    rows = ActivityMonth.objects.filter(organization__in=ancestors)
    assert rows.count() == deepest.depth
    assert {(r.sessions, r.participants, r.elder_times, r.hours) for r in rows} == {
        (1, 35, 1, Decimal("3.0"))
    }
    assert Elder.objects.get(pk=elders[2].pk).service_hours == Decimal("3.0")


@pytest.mark.parametrize("damage", ["counts", "sets", "hours"])
def test_rebuild_in_sql_repairs_damaged_counters(world, damage):
    actor, elders, types = world
    first = [(3, 0, MONTHS[0], 30, {0: "2", 1: "1"}), (5, 1, MONTHS[3], 9, {})]
    record(actor, elders, types, first)
    write("more", [(i, i, MONTHS[i % 4], 10 * i, {i % 5: "1.5"}) for i in range(8)], elders, types)
    if damage == "counts":
        ActivityMonth.objects.update(sessions=99)
    elif damage == "sets":
        EngagedElders.objects.all().delete()
    else:
        Elder.objects.update(service_hours=7)
    assert rollup.mismatches() != []

    counters, sets = bulk.rebuild()

    assert rollup.mismatches() == []
    assert counters == ActivityMonth.objects.count()
    assert sets == EngagedElders.objects.count()


def test_empty_batch_changes_nothing(world):
    assert bulk.add(Activity.objects.none()).activities == 0
    assert bulk.remove(Activity.objects.none()).activities == 0
    assert rollup.mismatches() == []
    assert set(Elder.objects.values_list("service_hours", flat=True)) == {Decimal(0)}
