"""A merge and the mentorships of the two records: the active-mentee limit holds for the
surviving elder, and a pairing repeated by the merge (the same elder and young person twice)
becomes one, stated in the audit log."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import text
from guangong.people.merging import merge_people
from guangong.people.models import Elder, Mentorship, Youth
from guangong.people.services.mentorships import save_mentorship
from guangong.people.services.persons import save_person

from .conftest import assert_chinese, new_mentorship

START = datetime.date(2024, 5, 1)


def youth_at(city_admin, org, name, category):
    return save_person(
        city_admin,
        Youth(
            organization=org,
            name=name,
            category=category,
            sex="M",
            birth_date=datetime.date(2000, 6, 1),
        ),
    )


def pair(city_admin, org, elder, youth, start=START):
    return save_mentorship(
        city_admin, Mentorship(organization=org, elder=elder, youth=youth, start_date=start)
    )


def state():
    """Everything a refused merge must leave as it was."""
    return (
        sorted(Mentorship.objects.values_list("pk", "elder_id", "youth_id", "end_date", "notes")),
        sorted(Elder.objects.values_list("pk", "merged_into_id", "id_number_hash")),
        AuditLog.objects.count(),
    )


def test_a_merge_over_the_mentee_limit_is_refused_and_changes_nothing(
    client_for, tree, people, twin, city_admin
):
    survivor = people["county_a"].elder  # one active pairing already
    category = people["county_a"].youth.category
    for name in ("甲一", "甲二", "甲三"):
        pair(city_admin, tree.county_b, twin, youth_at(city_admin, tree.county_b, name, category))
    before = state()

    with pytest.raises(ValidationError) as caught:
        merge_people(city_admin, survivor, twin)

    message = caught.value.messages[0]
    assert_chinese(message.replace(survivor.name, ""))
    assert "4" in message and "3" in message  # the count after the merge, and the limit
    assert survivor.name in message
    assert state() == before

    # Through the page: the message is shown, nothing changes.
    client = client_for(city_admin)
    before = state()  # (logging in is audited)
    response = client.post(
        "/people/duplicates/merge/",
        {"kind": "elder", "first": survivor.pk, "second": twin.pk, "keep": "first"},
        follow=True,
    )
    assert message in text(response)
    assert state() == before


def test_ended_pairings_do_not_count_and_the_limit_is_a_setting(tree, people, twin, city_admin):
    survivor = people["county_a"].elder
    category = people["county_a"].youth.category
    for name in ("乙一", "乙二"):
        pair(city_admin, tree.county_b, twin, youth_at(city_admin, tree.county_b, name, category))
    ended = new_mentorship(
        city_admin,
        tree.county_b,
        twin,
        youth_at(city_admin, tree.county_b, "乙三", category),
        datetime.date(2020, 1, 1),
        datetime.date(2021, 1, 1),
    )

    with override_settings(MAX_ACTIVE_MENTEES=2), pytest.raises(ValidationError):
        merge_people(city_admin, survivor, twin)

    merge_people(city_admin, survivor, twin)  # 1 + 2 active = 3: allowed

    assert Mentorship.objects.active().filter(elder=survivor).count() == 3
    assert Mentorship.objects.get(pk=ended.pk).elder == survivor


def test_the_same_young_person_mentored_by_both_records_becomes_one_pairing(
    tree, people, twin, city_admin
):
    survivor = people["county_a"].elder
    kept = people["county_a"].mentorship  # 阿依古丽 (county A) → 程小雨, active
    youth = people["county_a"].youth
    category = youth.category
    repeated = pair(city_admin, tree.city, twin, youth, start=datetime.date(2023, 9, 1))
    other = pair(
        city_admin, tree.county_b, twin, youth_at(city_admin, tree.county_b, "丙一", category)
    )
    # 1 + 2 pairings, but only 2 young people: within a limit of 2.
    since = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first()

    with override_settings(MAX_ACTIVE_MENTEES=2):
        merge_people(city_admin, survivor, twin)

    repeated.refresh_from_db()
    kept.refresh_from_db()
    assert kept.is_active and kept.end_date is None
    assert repeated.elder == survivor and not repeated.is_active
    assert repeated.end_date == timezone.localdate() - datetime.timedelta(days=1)
    assert str(kept.pk) in repeated.notes
    assert Mentorship.objects.get(pk=other.pk).is_active
    assert Mentorship.objects.active().filter(elder=survivor, youth=youth).count() == 1

    records = AuditLog.objects.filter(pk__gt=since, action=Action.UPDATE)
    ended_log = records.get(object_type="people.mentorship", object_id=str(repeated.pk))
    assert ended_log.before["end_date"] is None
    assert ended_log.after["end_date"] == repeated.end_date.isoformat()
    assert_chinese(ended_log.message.replace(survivor.name, ""))
    survivor_log = records.get(object_type="people.elder", object_id=str(survivor.pk))
    assert survivor_log.after["mentorships_ended_as_repeated"] == [repeated.pk]


def test_merging_two_records_of_a_young_person_mentored_by_the_same_elder(tree, people, city_admin):
    elder = people["county_a"].elder
    survivor = people["county_a"].youth
    kept = people["county_a"].mentorship
    twin = save_person(
        city_admin,
        Youth(
            organization=tree.county_b,
            name=survivor.name,
            birth_date=survivor.birth_date,
            category=survivor.category,
            sex="M",
        ),
        allow_same_name=True,
    )
    repeated = pair(city_admin, tree.city, elder, twin, start=datetime.date(2025, 1, 1))

    merge_people(city_admin, survivor, twin)

    repeated.refresh_from_db()
    assert repeated.youth == survivor and not repeated.is_active
    assert Mentorship.objects.get(pk=kept.pk).is_active
    assert Mentorship.objects.active().filter(elder=elder).count() == 1
