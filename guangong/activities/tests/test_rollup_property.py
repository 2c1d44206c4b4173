"""Random edits and moves keep the statistics counters equal to the ledger (hypothesis).

A sequence of operations — record, edit (organisation, type, month, participants, elders and
hours), delete, and moving organisations in the tree — goes through the services; afterwards
every counter row, every month's set of engaged elders and every elder's service hours equal a
fresh count of the ledger (``rollup.mismatches() == []``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from guangong.activities import rollup, services
from guangong.activities.models import Activity
from guangong.core.actions import batch
from guangong.core.tests.support import examples
from guangong.orgs import services as org_services
from guangong.orgs.models import Organization
from guangong.people.models import Elder

#: Days of the drawn activities: two in one month (an edit between them moves the daily rows
#: and sets but not the monthly ones).
MONTHS = [datetime.date(2025, m, 10) for m in (1, 2, 7)] + [
    datetime.date(2026, 1, 20),
    datetime.date(2025, 1, 24),
]
index = st.integers(min_value=0, max_value=30)
elder_hours = st.dictionaries(
    st.integers(min_value=0, max_value=4), st.sampled_from(["0.5", "1.5", "3", "8"]), max_size=3
)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("record"),
            index,
            index,
            st.sampled_from(MONTHS),
            st.integers(min_value=0, max_value=500),
            elder_hours,
        ),
        st.tuples(
            st.just("edit"),
            index,
            st.sampled_from(["organization", "type", "date", "participants", "elders"]),
            index,
            elder_hours,
        ),
        st.tuples(st.just("delete"), index),
        st.tuples(st.just("move"), index, index),
    ),
    min_size=1,
    max_size=12,
)


def drawn(orgs, types, org, type_, day, participants, **fields) -> Activity:
    """An activity as a strategy draws it: organisation and type by index, modulo the rows."""
    return Activity(
        organization=orgs[org % len(orgs)],
        type=types[type_ % len(types)],
        title="活动",
        date=day,
        participants=participants,
        **fields,
    )


def record(actor, elders, types, rows) -> None:
    """Drawn activities recorded one by one through the services (their counters upkept)."""
    orgs = list(Organization.objects.order_by("pk"))
    for org, type_, day, participants, hours in rows:
        services.save_activity(
            actor,
            drawn(orgs, types, org, type_, day, participants),
            elders={elders[e]: h for e, h in hours.items()},
            confirmed=True,  # the same title on the same day: a duplicate, confirmed
        )


def run(actor, elders, types, operations) -> None:
    for op, *args in operations:
        orgs = list(Organization.objects.order_by("pk"))
        activities = list(Activity.objects.order_by("pk"))
        if op == "record":
            record(actor, elders, types, [args])
        elif op == "edit" and activities:
            which, what, value, hours = args
            activity = activities[which % len(activities)]
            relations = {}
            if what == "organization":
                activity.organization = orgs[value % len(orgs)]
            elif what == "type":
                activity.type = types[value % len(types)]
            elif what == "date":
                activity.date = MONTHS[value % len(MONTHS)]
            elif what == "participants":
                activity.participants = value * 7
            else:
                relations["elders"] = {elders[e]: h for e, h in hours.items()}
            services.save_activity(actor, activity, confirmed=True, **relations)
        elif op == "delete" and activities:
            services.delete_activity(actor, activities[args[0] % len(activities)])
        elif op == "move":
            org, target = orgs[args[0] % len(orgs)], orgs[args[1] % len(orgs)]
            try:
                org_services.move_organization(actor, org, target)
            except ValidationError:
                continue


@examples(30)
@given(operations=OPERATIONS)
def test_counters_equal_the_ledger_after_random_edits_and_moves(world, operations):
    actor, elders, types = world
    with batch("example"):  # the actions join it; each example is rolled back
        run(actor, elders, types, operations)

        assert rollup.mismatches() == []
        transaction.set_rollback(True)


def test_rebuild_repairs_damaged_counters(world):
    actor, elders, types = world
    org = Organization.objects.order_by("-depth").first()
    run(actor, elders, types, [("record", org.pk, 0, MONTHS[0], 30, {0: "2", 1: "1"})])
    from guangong.activities.models import ActivityMonth, EngagedElders

    ActivityMonth.objects.update(sessions=99)
    EngagedElders.objects.all().delete()
    Elder.objects.update(service_hours=0)
    assert len(rollup.mismatches()) > 3

    rollup.rebuild()

    assert rollup.mismatches() == []


def counter_rows() -> tuple[set, set]:
    from guangong.activities.models import ActivityMonth, ActivityYear

    fields = ("sessions", "participants", "elder_times", "hours")
    return (
        set(ActivityMonth.objects.values_list("organization_id", "month", "type_id", *fields)),
        set(ActivityYear.objects.values_list("organization_id", "year", "type_id", *fields)),
    )


@examples(15)
@given(operations=OPERATIONS)
def test_yearly_counters_kept_in_step_equal_those_rebuilt(world, operations):
    """Months and years as the edits, deletions and moves left them are, row for row, what
    ``bulk.rebuild`` and ``rollup.rebuild`` compute from the ledger; each year is its months."""
    from guangong.activities import bulk

    actor, elders, types = world
    with batch("example"):
        run(actor, elders, types, operations)
        kept = counter_rows()
        months, years = kept
        summed = {}
        for org, month, type_id, *values in months:
            row = summed.setdefault((org, month.year, type_id), [0, 0, 0, 0])
            for i, value in enumerate(values):
                row[i] += value
        assert {(*k, *v) for k, v in summed.items()} == years

        bulk.rebuild()
        assert counter_rows() == kept
        rollup.rebuild()
        assert counter_rows() == kept
        transaction.set_rollback(True)
