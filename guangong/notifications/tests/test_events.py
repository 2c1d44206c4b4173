"""Each event makes the right messages for the right users, and none for another county."""

import datetime

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.care.services import transitions
from guangong.care.tests.conftest import assess, open_case
from guangong.helpdesk import services as helpdesk_services
from guangong.helpdesk.tests.conftest import make_request
from guangong.jobs.models import Job
from guangong.notifications import deadlines
from guangong.notifications.models import Event, Message
from guangong.notifications.sending import make_messages
from guangong.reporting.services import approval, filing
from guangong.reporting.tests.conftest import Q1

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(Message.objects.filter(recipient=user).values_list("event", "title"))


def submitted(form, tree, t_clerk):
    report = filing.open_report(t_clerk, form, tree.township, Q1)
    filing.save_values(t_clerk, report, {"B1": "12", "B2": "3600.50"})
    return filing.submit(t_clerk, report)


def test_a_returned_report_tells_its_organisation_with_the_reason(
    form, tree, t_clerk, t_writer, b_clerk, a_admin, committed
):
    report = submitted(form, tree, t_clerk)
    with committed():
        approval.return_report(a_admin, report, "慰问户数有误")
    for user in (t_clerk, t_writer):
        (message,) = Message.objects.filter(recipient=user)
        assert message.event == Event.REPORT_RETURNED
        assert message.title.startswith("报表已退回") and "关工委工作季报" in message.title
        assert "慰问户数有误" in message.body
        assert message.url == report.get_absolute_url()
    assert inbox(b_clerk) == [] and inbox(a_admin) == []


def test_an_approved_report_tells_its_writers(form, tree, t_clerk, a_admin, b_clerk, committed):
    report = submitted(form, tree, t_clerk)
    with committed():
        approval.approve(a_admin, report, "很好")
    assert [e for e, _t in inbox(t_clerk)] == [Event.REPORT_APPROVED]
    assert inbox(b_clerk) == []


def test_returned_twice_is_two_messages_but_one_event_is_one(
    form, tree, t_clerk, a_admin, committed
):
    report = submitted(form, tree, t_clerk)
    with committed():
        approval.return_report(a_admin, report, "第一次")
    make_messages(Event.REPORT_RETURNED, {"report": report.pk})  # the same event again
    assert len(inbox(t_clerk)) == 1
    filing.submit(t_clerk, report)
    with committed():
        approval.return_report(a_admin, report, "第二次")
    assert len(inbox(t_clerk)) == 2


def test_a_case_waiting_for_approval_tells_the_approvers_not_the_other_county(
    people, a_care, a_approver, city_approver, b_admin, tree, committed
):
    b_approver = UserFactory(
        username="b_approver",
        organization=tree.county_b,
        role=Role.UNIT_ADMIN,
        can_handle_cases=True,
    )
    case = open_case(a_care, people["county_a"])
    with committed():
        assess(a_care, case)
    for approver in (a_approver, city_approver):
        approval = [t for e, t in inbox(approver) if "审批" in t]
        assert len(approval) == 1 and case.number in approval[0]
    assert [t for e, t in inbox(city_approver)] == approval  # the city has no other step
    assert inbox(b_approver) == [] and inbox(b_admin) == []
    assert inbox(a_care) == []  # the one who acted is not told of their own step


def test_a_case_given_to_a_care_worker_tells_them(people, a_care, tree, committed):
    other = UserFactory(username="a_care2", organization=tree.county_a, role=Role.CARE_WORKER)
    with committed():
        case = open_case(a_care, people["county_a"], care_worker=other)
    (message,) = Message.objects.filter(recipient=other)
    assert message.event == Event.CASE_STEP and case.number in message.title
    assert inbox(a_care) == []


def test_an_approved_case_goes_back_to_its_care_worker(
    people, a_care, city_approver, tree, committed
):
    case = open_case(a_care, people["county_a"], care_worker=a_care)
    assess(a_care, case)
    with committed():
        transitions.transition(city_approver, case, "approve")
    titles = [t for e, t in inbox(a_care)]
    assert any("实施" in t or "发放" in t for t in titles), titles


def test_a_referred_help_request_tells_the_receiving_care_workers(places, committed):
    tree = places
    b_care = UserFactory(username="b_care", organization=tree.county_b, role=Role.CARE_WORKER)
    a_care = UserFactory(username="a_care", organization=tree.county_a, role=Role.CARE_WORKER)
    other_b = UserFactory(username="b_care2", organization=tree.county_b, role=Role.CARE_WORKER)
    req = make_request(tree.county_b)
    with committed():
        helpdesk_services.refer(b_care, req, tree.county_a, note="属伊宁市")
    (message,) = Message.objects.filter(recipient=a_care)
    assert message.event == Event.HELP_REFERRED and req.code in message.title
    assert "奎屯市" in message.body and "属伊宁市" in message.body
    assert inbox(b_care) == [] and inbox(other_b) == []


def test_a_finished_job_tells_its_owner_only(tree, a_admin, city_admin, committed):
    job = Job.objects.create(
        user=a_admin, organization=tree.county_a, kind="export:people.elder", status="succeeded"
    )
    with committed():
        make_messages(Event.JOB_FINISHED, {"job": str(job.pk)})
    (message,) = Message.objects.filter(recipient=a_admin)
    assert message.title.startswith("已完成")
    assert inbox(city_admin) == []


def test_a_running_job_tells_nobody(tree, a_admin):
    job = Job.objects.create(
        user=a_admin, organization=tree.county_a, kind="export:people.elder", status="running"
    )
    assert make_messages(Event.JOB_FINISHED, {"job": str(job.pk)}) == []


def test_a_report_due_in_three_days_is_reminded_once(form, tree, t_clerk, b_clerk):
    report = filing.open_report(t_clerk, form, tree.township, Q1)  # Q1, due 10 days after
    due = datetime.date(2026, 4, 10)
    assert deadlines.remind(due - datetime.timedelta(days=4)) == 0
    assert deadlines.remind(due - datetime.timedelta(days=3)) == 1
    assert deadlines.remind(due - datetime.timedelta(days=3)) == 1  # the same message again
    (message,) = Message.objects.filter(recipient=t_clerk)
    assert message.event == Event.REPORT_DUE and "4月10日" in message.title
    assert message.url == report.get_absolute_url()
    assert inbox(b_clerk) == []
