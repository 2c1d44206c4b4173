"""The to-do centre (待办): each kind of item reaches the user it waits for, and nobody else
(another county, a viewer); the page, the header's badge and the API agree."""

import datetime
import re

import pytest
from django.utils import timezone

from guangong.accounts.roles import Role
from guangong.care.services import transitions
from guangong.care.tests.conftest import assess, open_case
from guangong.helpdesk import services as helpdesk_services
from guangong.helpdesk.models import HelpRequest
from guangong.helpdesk.tests.conftest import make_request
from guangong.home import todo
from guangong.jobs.models import Job
from guangong.jobs.models import Status as JobStatus
from guangong.people.models import Elder
from guangong.people.services.persons import save_person
from guangong.reporting.services import filing
from guangong.reporting.tests.conftest import Q1

Q2 = datetime.date(2026, 4, 1)


def items(user, kind=None):
    found = todo.Todo(user).items()
    return [i for i in found if kind is None or i.kind == kind]


def titles(user, kind):
    return [i.title for i in items(user, kind)]


# --- Reports ----------------------------------------------------------------------------------


def test_a_draft_is_on_its_organisations_list_with_its_due_date(
    form, tree, t_clerk, t_viewer, a_admin, b_admin
):
    report = filing.open_report(t_clerk, form, tree.township, Q1)

    [item] = items(t_clerk, "report_fill")
    assert item.url == report.get_absolute_url()
    assert item.due == datetime.date(2026, 4, 10)  # ten days after the quarter
    assert item.overdue  # today is past it
    assert item.organization == tree.township.name
    for other in (t_viewer, a_admin, b_admin):  # may not write it, or not their organisation's
        assert items(other, "report_fill") == []


def test_a_returned_report_says_why_first(returned, t_clerk, t_viewer, b_admin):
    [item] = items(t_clerk, "report_fill")

    assert item.url == returned.get_absolute_url()
    assert "请补充走访慰问户数的说明" in item.note
    assert items(t_viewer, "report_fill") == items(b_admin, "report_fill") == []


def test_a_submitted_report_waits_for_the_organisation_that_collects_it(
    submitted, tree, a_admin, a_viewer, b_admin, city_admin, t_clerk
):
    [item] = items(a_admin, "report_approve")
    assert item.url == submitted.get_absolute_url()
    assert item.organization == tree.township.name
    # The city collects county A's report, not the township's; a viewer approves nothing.
    for other in (city_admin, a_viewer, b_admin, t_clerk):
        assert items(other, "report_approve") == []


def test_next_report_to_approve_goes_from_one_to_the_next(
    client_for, form, tree, t_clerk, a_admin, a_viewer
):
    reports = []
    for start in (Q1, Q2):
        report = filing.open_report(t_clerk, form, tree.township, start)
        filing.save_values(t_clerk, report, {"B1": "3"})
        reports.append(filing.submit(t_clerk, report))
    client = client_for(a_admin)

    first = client.get("/todo/next-report/")
    second = client.get("/todo/next-report/", {"after": reports[0].pk})
    last = client.get("/todo/next-report/", {"after": reports[1].pk})
    page = client.get(reports[0].get_absolute_url()).content.decode()
    none_left = client_for(t_clerk).get("/todo/next-report/")
    viewer = client_for(a_viewer).get("/todo/next-report/")

    assert first["Location"] == reports[0].get_absolute_url()
    assert second["Location"] == reports[1].get_absolute_url()
    assert last["Location"] == reports[0].get_absolute_url()  # round to the start
    assert f'href="/todo/next-report/?after={reports[0].pk}"' in page  # on the report's page
    assert none_left["Location"] == "/todo/"  # the township collects nothing: back to the list
    assert viewer.status_code == 403


# --- Care cases -------------------------------------------------------------------------------


def test_a_case_waits_for_its_care_worker_then_for_the_approver(people, user_at, a_viewer):
    a_care = user_at("county_a", Role.CARE_WORKER)
    b_care = user_at("county_b", Role.CARE_WORKER)
    approver = user_at("county_a", Role.UNIT_ADMIN, can_handle_cases=True)
    case = open_case(a_care, people["county_a"], care_worker=a_care)

    assert [i.url for i in items(a_care, "care")] == [case.get_absolute_url()]
    for other in (b_care, a_viewer):
        assert items(other, "care") == []

    assess(a_care, case)

    assert items(a_care, "care") == []  # the approver's step now
    [item] = items(approver, "care")
    assert item.url == case.get_absolute_url()
    assert items(user_at("county_b", Role.UNIT_ADMIN, can_handle_cases=True), "care") == []
    transitions.transition(approver, case, "approve")
    assert items(approver, "care") == []
    assert [i.url for i in items(a_care, "care")] == [case.get_absolute_url()]


def test_a_case_of_another_care_worker_is_not_on_my_list(people, user_at):
    mine = user_at("county_a", Role.CARE_WORKER)
    other = user_at("county_a", Role.CARE_WORKER, can_reveal=True)
    open_case(mine, people["county_a"], care_worker=other)

    assert items(mine, "care") == []
    assert len(items(other, "care")) == 1


# --- Help requests ----------------------------------------------------------------------------


def age(request, hours):
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def test_a_request_unanswered_past_the_set_time_is_on_the_handlers_list(
    places, user_at, a_viewer, settings
):
    settings.HELPDESK_TODO_HOURS = 24
    a_care = user_at("county_a", Role.CARE_WORKER)
    b_care = user_at("county_b", Role.CARE_WORKER)
    old = make_request(places.county_a)
    fresh = make_request(places.county_a, phone="13900000001")
    answered = make_request(places.county_a, phone="13900000002")
    for request in (old, answered):
        age(request, 25)
    age(fresh, 2)
    helpdesk_services.reply(a_care, answered, "已收到，我们会尽快联系您。")

    assert [i.url for i in items(a_care, "help")] == [old.get_absolute_url()]
    assert items(b_care, "help") == items(a_viewer, "help") == []
    settings.HELPDESK_TODO_HOURS = 1
    assert len(items(a_care, "help")) == 2


# --- Duplicates -------------------------------------------------------------------------------


def test_possible_duplicates_wait_for_who_may_merge_them(
    tree, people, a_admin, a_clerk, b_admin, city_admin
):
    first = people["county_a"].elder
    save_person(
        city_admin,
        Elder(organization=tree.township, name=first.name, birth_date=first.birth_date, sex="M"),
        allow_same_name=True,
    )

    [item] = items(a_admin, "duplicates")
    assert item.url == "/people/duplicates/?kind=elder"
    assert len(items(city_admin, "duplicates")) == 1
    assert items(a_clerk, "duplicates") == items(b_admin, "duplicates") == []


# --- Jobs -------------------------------------------------------------------------------------


def job(user, status, days_ago, kind="import:elders"):
    return Job.objects.create(
        user=user,
        organization=user.organization,
        kind=kind,
        status=status,
        message="第3行：出生日期有误" if status == JobStatus.FAILED else "",
        finished_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_my_jobs_of_the_last_week_that_ended(a_admin, a_clerk, b_admin):
    done = job(a_clerk, JobStatus.SUCCEEDED, 1)
    failed = job(a_clerk, JobStatus.FAILED, 6)
    job(a_clerk, JobStatus.FAILED, 8)  # too old
    job(a_clerk, JobStatus.RUNNING, 0)  # not ended
    job(a_clerk, JobStatus.CANCELLED, 0)  # the user stopped it themselves

    listed = items(a_clerk, "jobs")

    assert {i.url for i in listed} == {done.get_absolute_url(), failed.get_absolute_url()}
    assert any("出生日期有误" in i.note for i in listed)
    # An administrator reads the jobs of the subtree, but they are not on their list.
    assert items(a_admin, "jobs") == items(b_admin, "jobs") == []


# --- One list: the page, the badge, the API ---------------------------------------------------


@pytest.fixture
def busy(returned, form, tree, t_clerk, a_clerk):
    """Something of several kinds for the township's administrator."""
    filing.open_report(t_clerk, form, tree.township, Q2)
    job(t_clerk, JobStatus.SUCCEEDED, 1)
    return t_clerk


def badge(response) -> int:
    found = re.search(r'data-testid="todo-count">(\d+)<', response.content.decode())
    return int(found.group(1)) if found else 0


def test_the_page_the_badge_and_the_api_agree(client_for, busy):
    client = client_for(busy)

    page = client.get("/todo/")
    home = client.get("/")
    api = client.get("/api/todo/")

    assert page.status_code == home.status_code == api.status_code == 200
    groups = page.context["groups"]
    listed = [i for g in groups for i in g.items]
    assert [g.kind.key for g in groups] == ["report_fill", "jobs"]
    assert page.context["total"] == len(listed) == 3
    assert badge(page) == badge(home) == len(listed)
    data = api.json()
    assert data["count"] == len(listed)
    assert [(i["kind"], i["title"], i["url"]) for i in data["items"]] == [
        (i.kind, i.title, i.url) for i in listed
    ]
    assert "请补充走访慰问户数的说明" in page.content.decode()
    assert [i.url for i in home.context["todo_items"]] == [i.url for i in listed]


def test_reports_to_fill_come_by_due_date_the_returned_reason_first(busy):
    first, second = items(busy, "report_fill")
    assert first.due < second.due
    assert "请补充" in first.note


def test_nothing_to_do_says_so(client_for, a_viewer):
    page = client_for(a_viewer).get("/todo/")

    assert page.context["total"] == 0
    assert 'data-testid="todo-empty"' in page.content.decode()
    assert badge(page) == 0


def test_the_menu_has_the_to_do_page(client_for, a_viewer):
    assert 'data-testid="nav-todo"' in client_for(a_viewer).get("/").content.decode()


@pytest.mark.parametrize("periods", [1, 3])
def test_the_queries_do_not_grow_with_the_items(
    django_assert_max_num_queries, form, tree, t_clerk, a_admin, user_at, periods
):
    """An approver who is also a care worker: every kind is asked."""
    for n in range(periods):
        start = datetime.date(2026, 1 + 3 * n, 1)
        report = filing.open_report(t_clerk, form, tree.township, start)
        filing.save_values(t_clerk, report, {"B1": "1"})
        filing.submit(t_clerk, report)
    user = user_at("county_a", Role.UNIT_ADMIN, can_handle_cases=True)

    with django_assert_max_num_queries(20):
        found = todo.Todo(user).items()
    assert len([i for i in found if i.kind == "report_approve"]) == periods
    with django_assert_max_num_queries(20):
        assert todo.Todo(user).count == len(found)


def test_the_api_is_in_the_schema(client_for, a_viewer):
    schema = client_for(a_viewer).get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/todo/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    item = schema["components"]["schemas"]["TodoItem"]
    assert set(body["properties"]) == {"count", "items"}
    assert {"kind", "title", "url", "due", "organization", "changed_at"} <= set(item["properties"])


def test_the_api_wants_a_signed_in_user(client):
    assert client.get("/api/todo/").status_code in (401, 403)


def test_a_merge_takes_the_duplicates_off_the_list_at_once(tree, people, a_admin, city_admin):
    from guangong.people.merging import merge_people

    first = people["county_a"].elder
    twin = save_person(
        city_admin,
        Elder(organization=tree.township, name=first.name, birth_date=first.birth_date, sex="M"),
        allow_same_name=True,
    )
    assert len(items(a_admin, "duplicates")) == 1

    merge_people(a_admin, first, twin)

    assert items(a_admin, "duplicates") == []


def test_a_viewers_badge_costs_one_query(django_assert_max_num_queries, a_viewer):
    """A viewer can only have jobs of their own; the other kinds are not even asked."""
    with django_assert_max_num_queries(1):
        assert todo.Todo(a_viewer).count == 0
