"""The case workflow: every stage in order, 退回 and 重新开启, and what each stage needs."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guangong.audit.models import AuditLog
from guangong.care.models import Case, FollowUp, Status
from guangong.care.services import cases, entries, transitions

from .conftest import ADDRESS, FAMILY


def consent(actor, case):
    return cases.record_consent(
        actor, case, by="程母", relation="母亲", on=datetime.date(2026, 3, 1)
    )


def to_approval(actor, case):
    transitions.transition(actor, case, "submit")
    case.refresh_from_db()
    case.assessment, case.plan = "情况属实", "资助学费2000元"
    cases.save_case(actor, case)
    consent(actor, case)
    return transitions.transition(actor, case, "assess")


def test_the_whole_way_with_who_when_and_comments(case, a_care, city_approver):
    to_approval(a_care, case)
    transitions.transition(city_approver, case, "approve", "同意", amount_approved="1800")
    transitions.transition(a_care, case, "disburse", amount_disbursed="1800")
    entries.add_follow_up(
        a_care, case, FollowUp(date=datetime.date(2026, 4, 1), content="已返校上课")
    )
    transitions.transition(a_care, case, "close", "帮扶完成")

    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert (case.amount_approved, case.amount_disbursed) == (Decimal("1800"), Decimal("1800"))
    steps = list(case.transitions.values_list("action", "to_status", "actor_name", "comment"))
    assert [s[0] for s in steps] == ["register", "submit", "assess", "approve", "disburse", "close"]
    assert steps[3][1:] == (Status.IMPLEMENTATION, str(city_approver), "同意")
    assert all(t.at for t in case.transitions.all())


def test_a_step_out_of_order_is_refused_and_nothing_changes(case, a_care, city_approver):
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError) as error:
        transitions.transition(city_approver, case, "approve")
    assert "登记" in error.value.messages[0] or "Registration" in error.value.messages[0]
    with pytest.raises(ValidationError):
        transitions.transition(a_care, case, "close")
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    assert case.transitions.count() == 1
    assert AuditLog.objects.count() == audits


def test_a_minor_needs_guardian_consent_to_pass_assessment(case, a_care):
    transitions.transition(a_care, case, "submit")
    case.refresh_from_db()
    case.assessment, case.plan = "情况属实", "资助"
    cases.save_case(a_care, case)
    with pytest.raises(ValidationError) as error:
        transitions.transition(a_care, case, "assess")
    assert "consent_by" in error.value.message_dict
    assert Case.objects.get(pk=case.pk).status == Status.ASSESSMENT

    consent(a_care, case)
    transitions.transition(a_care, case, "assess")
    assert Case.objects.get(pk=case.pk).status == Status.APPROVAL


def test_approval_by_the_organisation_or_its_parent_only(case, a_care, a_approver, city_approver):
    to_approval(a_care, case)
    with pytest.raises(PermissionDenied):  # a care worker does not approve
        transitions.transition(a_care, case, "approve")
    transitions.transition(a_approver, case, "approve")  # the case's own organisation
    assert Case.objects.get(pk=case.pk).status == Status.IMPLEMENTATION


def test_the_province_is_not_the_parent_of_a_county(case, a_care, tree, people, city_approver):
    from guangong.accounts.roles import Role
    from guangong.accounts.tests.factories import UserFactory

    province = UserFactory(organization=tree.province, role=Role.UNIT_ADMIN, can_handle_cases=True)
    to_approval(a_care, case)
    with pytest.raises(PermissionDenied):
        transitions.transition(province, case, "approve")


def test_return_needs_a_comment_and_goes_one_stage_back(case, a_care, city_approver):
    to_approval(a_care, case)
    with pytest.raises(ValidationError):
        transitions.transition(city_approver, case, "return")
    transitions.transition(city_approver, case, "return", "材料不全，请补充收入证明")
    case.refresh_from_db()
    assert case.status == Status.ASSESSMENT
    assert case.transitions.last().comment == "材料不全，请补充收入证明"


def test_amounts_cannot_exceed_what_came_before(case, a_care, city_approver):
    to_approval(a_care, case)
    with pytest.raises(ValidationError) as error:
        transitions.transition(city_approver, case, "approve", amount_approved="5000")
    assert "amount_approved" in error.value.message_dict
    transitions.transition(city_approver, case, "approve", amount_approved="1500")
    with pytest.raises(ValidationError) as error:
        transitions.transition(a_care, case, "disburse", amount_disbursed="1500.01")
    assert "amount_disbursed" in error.value.message_dict
    assert Case.objects.get(pk=case.pk).amount_disbursed is None


def test_closing_needs_a_follow_up_and_reopening_a_reason(case, a_care, city_approver):
    to_approval(a_care, case)
    transitions.transition(city_approver, case, "approve")
    transitions.transition(a_care, case, "disburse", amount_disbursed="100")
    with pytest.raises(ValidationError):
        transitions.transition(a_care, case, "close")
    entries.add_follow_up(a_care, case, FollowUp(date=datetime.date(2026, 4, 2), content="良好"))
    transitions.transition(a_care, case, "close")
    with pytest.raises(ValidationError):
        cases.save_case(a_care, Case.objects.get(pk=case.pk))  # closed: no edits
    with pytest.raises(ValidationError):
        transitions.transition(a_care, case, "reopen")
    transitions.transition(a_care, case, "reopen", "家庭情况再次变化")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (Status.FOLLOW_UP, None)


def test_the_audit_log_never_holds_the_childs_details(case, a_care):
    texts = " ".join(
        str(a.before) + str(a.after) + a.message
        for a in AuditLog.objects.filter(object_type="care.case")
    )
    assert ADDRESS not in texts and FAMILY not in texts
    assert "家庭困难" not in texts  # the situation, too
    assert AuditLog.objects.filter(object_type="care.case", action="create").count() == 1
