"""Who opens cases, masked fields, reveals with a reason, the access log, anonymisation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guangong.audit.models import AuditLog
from guangong.care import retention
from guangong.care.models import Access, Case, Status
from guangong.care.services import access, cases, transitions
from guangong.core.services import OutOfScope

from .conftest import ADDRESS, FAMILY, HEALTH, close, open_case


def test_only_care_workers_open_cases_others_count_them(
    case, a_care, a_admin, a_viewer, b_revealer
):
    assert list(Case.objects.visible_to(a_care)) == [case]
    assert not Case.objects.visible_to(a_admin).exists()  # an admin without the capability
    assert not Case.objects.visible_to(a_viewer).exists()
    assert Case.objects.countable_by(a_admin).count() == 1
    assert not Case.objects.visible_to(b_revealer).exists()  # another county's care worker


def test_stored_encrypted_and_revealed_with_a_reason(case, a_care):
    stored = Case.objects.get(pk=case.pk)
    assert ADDRESS not in stored.address_enc and stored.address_enc
    with pytest.raises(ValidationError):
        access.reveal(a_care, case, "address", "")
    assert not Access.objects.filter(kind="reveal").exists()

    assert access.reveal(a_care, case, "address", "上门走访需要地址") == ADDRESS
    assert access.reveal(a_care, case, "family_situation", "评估") == FAMILY
    assert access.reveal(a_care, case, "health", "评估") == HEALTH

    log = Access.objects.filter(kind="reveal").order_by("id")
    assert log.count() == 3
    assert log.first().reason == "上门走访需要地址"
    assert AuditLog.objects.filter(action="reveal", object_type="care.case").count() == 3


def test_a_reveal_without_the_capability_is_refused(case, a_admin, b_revealer, a_care):
    with pytest.raises(PermissionDenied):
        access.reveal(a_admin, case, "address", "想看")
    with pytest.raises(OutOfScope):
        access.reveal(b_revealer, case, "address", "想看")
    assert not Access.objects.exists()


def test_every_opening_is_logged(case, a_care):
    access.open_case(a_care, case)
    access.open_case(a_care, case)
    assert Access.objects.filter(kind="open", case=case, user=a_care).count() == 2


def test_the_access_log_is_read_by_auditors_in_scope(case, a_care, a_admin, b_admin, city_admin):
    access.open_case(a_care, case)
    assert Access.objects.visible_to(a_admin).count() == 1
    assert Access.objects.visible_to(city_admin).count() == 1
    assert Access.objects.visible_to(b_admin).count() == 0
    assert Access.objects.visible_to(a_care).count() == 0  # no audit verb


def test_closed_cases_are_anonymised_after_the_retention_period(
    case, a_care, city_approver, settings
):
    settings.CARE_RETENTION_DAYS = 30
    close(case, a_care, city_approver, datetime.date(2026, 1, 1), disbursed="2000")

    assert retention.anonymise_due(datetime.date(2026, 1, 20)) == 0  # not yet
    assert retention.anonymise_due(datetime.date(2026, 2, 1)) == 1

    case.refresh_from_db()
    assert case.anonymised_at and case.youth is None
    assert (case.address_enc, case.situation, case.consent_by) == ("", "", "")
    assert case.amount_disbursed == 2000 and case.kind.label == "助学"  # statistics stay
    assert case.follow_ups.get().content != "好"
    log = AuditLog.objects.filter(object_type="care.case", username="system").get()
    assert log.user is None
    with pytest.raises(ValidationError):
        transitions.transition(a_care, case, "reopen", "再开")


def test_cases_are_registered_only_for_people_in_scope(people, tree, b_revealer, a_care):
    with pytest.raises(OutOfScope):
        open_case(b_revealer, people["county_a"])
    case = Case(
        organization=tree.county_a,
        youth=people["county_b"].youth,
        kind=Case.objects.model._meta.get_field("kind").related_model.objects.get(label="助困"),
        situation="x",
    )
    with pytest.raises(ValidationError) as error:
        cases.save_case(a_care, case)
    assert "youth" in error.value.message_dict
    assert not Case.objects.exists()
    assert Status.REGISTERED == "registered"


def test_cases_follow_a_merged_young_person(case, people, tree, city_admin):
    from guangong.people.merging import merge_people
    from guangong.people.services.persons import save_person
    from guangong.people.tests.conftest import youth_of

    first = people["county_a"].youth
    keep = save_person(
        city_admin, youth_of(tree.county_a, "程小雨", first.category), allow_same_name=True
    )
    merge_people(city_admin, keep, people["county_a"].youth)

    assert Case.objects.get(pk=case.pk).youth_id == keep.pk
    log = AuditLog.objects.filter(object_type="people.youth", object_id=str(keep.pk))
    log = log.order_by("pk").last()
    assert log.after["care_cases"] == [case.pk]
