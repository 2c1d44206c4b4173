"""The people services on their own: storage of ID numbers, refusals, and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guangong.audit.models import Action, AuditLog
from guangong.core import crypto
from guangong.core.services import OutOfScope
from guangong.core.tests.support import zh
from guangong.people.merging import merge_people
from guangong.people.models import Elder, MentorshipVisit, Team, Youth
from guangong.people.services.mentorships import (
    add_visit,
    delete_mentorship,
    end_mentorship,
)
from guangong.people.services.persons import delete_person, reveal_id_number, save_person
from guangong.people.services.teams import save_team

from .conftest import elder_of, make_id, new_mentorship, twin_elders, youth_of

HISTORY_KEPT = (
    "This person has mentorship records, which are kept as history; the record cannot be deleted."
)


def test_an_id_number_is_stored_encrypted_indexed_and_masked(tree, a_admin):
    raw = make_id("654002", "19550307", "123")

    elder = save_person(a_admin, Elder(organization=tree.county_a, name="张三"), id_number=raw)

    elder.refresh_from_db()
    assert raw not in elder.id_number_enc and crypto.decrypt(elder.id_number_enc) == raw
    assert elder.id_number_masked == raw[:6] + "*" * 8 + raw[-4:]
    assert (elder.birth_date, elder.sex) == (datetime.date(1955, 3, 7), "M")
    assert Elder.objects.with_id_number(raw.lower()).get() == elder
    entry = AuditLog.objects.get(action=Action.CREATE, object_type="people.elder")
    assert entry.after["id_number_masked"] == elder.id_number_masked
    assert raw not in str(entry.after)


def test_looking_up_an_empty_id_number_finds_nobody(tree, a_admin):
    save_person(a_admin, elder_of(tree.county_a, "无证人"))

    assert not Elder.objects.with_id_number("").exists()
    assert not Elder.objects.with_id_number("   ").exists()


def test_duplicate_errors_keep_their_codes(tree, a_admin, b_admin):
    raw = make_id()
    save_person(
        a_admin,
        Elder(organization=tree.county_a, name="张三", birth_date=datetime.date(1955, 3, 7)),
        id_number=raw,
    )

    with pytest.raises(ValidationError) as same_id:
        save_person(b_admin, Elder(organization=tree.county_b, name="李四"), id_number=raw)
    with pytest.raises(ValidationError) as same_name:
        save_person(b_admin, elder_of(tree.county_b, "张三", datetime.date(1955, 3, 7)))

    assert same_id.value.error_dict["id_number"][0].code == "duplicate_id"
    assert same_name.value.error_dict["name"][0].code == "duplicate_name"
    # County A is outside county B's scope: it is not named.
    assert tree.county_a.name not in same_id.value.error_dict["id_number"][0].messages[0]


def test_a_person_is_saved_only_within_scope_and_with_the_verb(tree, a_admin, a_viewer):
    with pytest.raises(OutOfScope):
        save_person(a_admin, elder_of(tree.county_b, "越界"))
    with pytest.raises(PermissionDenied):
        save_person(a_viewer, elder_of(tree.county_a, "只读"))
    assert not Elder.objects.exists()
    assert not AuditLog.objects.exists()


def test_items_of_another_dictionary_are_refused(tree, a_admin, categories):
    with pytest.raises(ValidationError) as refused:
        save_person(
            a_admin,
            elder_of(tree.county_a, "张三"),
            m2m={"categories": [categories["left_behind"]]},
        )

    assert set(refused.value.error_dict) == {"categories"}
    assert not Elder.objects.exists()


def test_a_person_with_history_is_kept(tree, people, a_admin):
    p = people["county_a"]
    end_mentorship(a_admin, p.mentorship, end_date=datetime.date(2024, 6, 1))
    save_team(a_admin, p.team, members=[])
    p.team.leader = None
    save_team(a_admin, p.team)

    for person in (p.elder, p.youth):
        with pytest.raises(ValidationError) as refused:
            delete_person(a_admin, person)
        assert refused.value.messages == [zh(HISTORY_KEPT)]

    delete_mentorship(a_admin, p.mentorship)
    delete_person(a_admin, p.youth)
    delete_person(a_admin, p.elder)
    assert not Youth.objects.filter(pk=p.youth.pk).exists()
    assert AuditLog.objects.filter(action=Action.DELETE, object_type="people.elder").count() == 1


def test_a_team_leader_is_kept_until_replaced(people, a_admin):
    p = people["county_a"]
    delete_mentorship(a_admin, p.mentorship)

    with pytest.raises(ValidationError):
        delete_person(a_admin, p.elder)

    assert Elder.objects.filter(pk=p.elder.pk).exists()


def test_a_survivor_of_a_merge_is_kept(tree, a_admin, city_admin):
    survivor, duplicate = twin_elders(a_admin, tree.county_a, tree.township)
    merge_people(a_admin, survivor, duplicate)

    with pytest.raises(ValidationError):
        delete_person(a_admin, survivor)

    assert Elder.objects.filter(pk=survivor.pk).exists()


def test_a_merge_moves_service_hours_once(tree, a_admin):
    survivor, duplicate = twin_elders(a_admin, tree.county_a, tree.township)
    Elder.objects.filter(pk=duplicate.pk).update(service_hours=12)  # as activities would add
    duplicate.refresh_from_db()

    merge_people(a_admin, survivor, duplicate)

    assert Elder.objects.get(pk=survivor.pk).service_hours == 12
    assert Elder.objects.get(pk=duplicate.pk).service_hours == 0


def test_a_merge_needs_two_records_of_one_kind(people, a_admin):
    p = people["county_a"]
    with pytest.raises(ValidationError):
        merge_people(a_admin, p.elder, p.elder)
    with pytest.raises(ValidationError):
        merge_people(a_admin, p.elder, p.youth)


def test_a_merged_record_is_not_paired_or_made_a_member(tree, people, a_admin, categories):
    survivor, duplicate = twin_elders(a_admin, tree.county_a, tree.county_a)
    merge_people(a_admin, survivor, duplicate)
    duplicate.refresh_from_db()
    youth = save_person(a_admin, youth_of(tree.county_a, "新少年", categories["student"]))

    with pytest.raises(ValidationError) as paired:
        new_mentorship(a_admin, tree.county_a, duplicate, youth, datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as member:
        save_team(
            a_admin,
            Team(organization=tree.county_a, name="新队", kind=categories["care"]),
            members=[duplicate],
        )

    assert set(paired.value.error_dict) == {"elder"}
    assert set(member.value.error_dict) == {"members"}


def test_a_reveal_needs_the_verb_the_scope_and_a_reason(people, a_revealer, b_revealer, a_admin):
    elder = people["county_a"].elder

    with pytest.raises(PermissionDenied):
        reveal_id_number(a_admin, elder, "核对")
    with pytest.raises(OutOfScope):
        reveal_id_number(b_revealer, elder, "核对")
    with pytest.raises(ValidationError):
        reveal_id_number(a_revealer, elder, " ")
    assert not AuditLog.objects.filter(action=Action.REVEAL).exists()

    assert reveal_id_number(a_revealer, elder, "核对") == people["county_a"].elder_id
    assert AuditLog.objects.filter(action=Action.REVEAL).count() == 1


def test_a_visit_is_audited_under_its_mentorship(people, a_admin):
    m = people["county_a"].mentorship

    visit = add_visit(
        a_admin,
        MentorshipVisit(mentorship=m, date=datetime.date(2025, 1, 2), content="家访"),
    )

    entry = AuditLog.objects.get(object_type="people.mentorshipvisit")
    assert (entry.object_id, entry.parent_id, entry.after["content"]) == (
        str(visit.pk),
        str(m.pk),
        "家访",
    )
