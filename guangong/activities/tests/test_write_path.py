"""Recording an activity in few statements keeps what the ledger's readers rely on.

``services.save_activity`` writes the audit record's "after" from what it has just written,
and ``rollup`` moves the counters and engaged-elder sets with one upsert per table: the audit
row must still equal the stored state, and the counters a fresh count of the ledger, whichever
of the relations an edit gives or keeps.
"""

import datetime
from unittest import mock

from guangong.activities import counter_writes, rollup, services
from guangong.activities.models import Activity, EngagedElders
from guangong.audit.models import AuditLog

from .conftest import record


def stored_state(activity: Activity) -> dict:
    """The audited state as read afresh from the database."""
    return services._state(Activity.objects.get(pk=activity.pk))


def audit_rows(activity: Activity):
    return AuditLog.objects.filter(object_type="activities.activity", object_id=str(activity.pk))


def last_after(activity: Activity) -> dict:
    return audit_rows(activity).order_by("pk").last().after


def test_the_audit_row_holds_the_stored_state_through_edits(tree, city_admin, people, types):
    township, county = people["township"], people["county_a"]
    activity = record(
        city_admin,
        tree.township,
        types["talk"],
        elders={township.elder: "2", county.elder.pk: "1.25"},
        teams=[township.team, township.team],
        youths=[township.youth],
        co_organizers=[tree.county_b],
    )
    assert last_after(activity) == stored_state(activity)
    assert last_after(activity)["elders"] == {
        str(township.elder.pk): "2.0",
        str(county.elder.pk): "1.2",
    }

    # Relations kept (None), one elder's hours changed, one dropped, one added.
    activity.participants = 55
    services.save_activity(
        city_admin, activity, elders={township.elder: "3", people["county_b"].elder: "1"}
    )
    assert last_after(activity) == stored_state(activity)
    assert last_after(activity)["teams"] == [township.team.pk]

    # Relations emptied, elders kept.
    activity.title = "改过的题目"
    services.save_activity(city_admin, activity, teams=[], youths=[], co_organizers=[])
    after = last_after(activity)
    assert after == stored_state(activity)
    assert (after["teams"], after["youths"], after["co_organizers"]) == ([], [], [])
    assert set(after["elders"]) == {str(township.elder.pk), str(people["county_b"].elder.pk)}
    assert rollup.mismatches() == []


def test_sets_are_kept_exact_without_an_upsert_that_returns_rows(tree, city_admin, people, types):
    """SQLite before 3.35 cannot return the rows of an upsert: the sets are then created and
    locked in two statements, with the same result."""
    elder, other = people["township"].elder, people["county_a"].elder
    with mock.patch.object(counter_writes, "upsert_returns_rows", lambda: False):
        first = record(city_admin, tree.township, types["talk"], elders={elder: 2})
        second = record(
            city_admin, tree.county_a, types["care"], elders={elder: 1, other: 1}, title="走访"
        )
        assert rollup.mismatches() == []
        second.date = datetime.date(2026, 4, 9)
        services.save_activity(city_admin, second, elders={other: 2})
        assert rollup.mismatches() == []
        services.delete_activity(city_admin, first)
        assert rollup.mismatches() == []
    march = EngagedElders.objects.filter(month=datetime.date(2026, 3, 1))
    assert not march.exists()  # nobody served in March any more: no empty sets left behind


def test_an_unchanged_save_writes_nothing_to_the_counters(tree, city_admin, people, types):
    elder = people["township"].elder
    activity = record(city_admin, tree.township, types["talk"], elders={elder: 2})
    counters = rollup.computed()

    services.save_activity(city_admin, Activity.objects.get(pk=activity.pk), elders={elder: 2})

    assert rollup.computed() == counters
    assert rollup.mismatches() == []
    assert audit_rows(activity).count() == 1  # nothing changed: no update row
