"""The case pages: who sees what, masked fields and reveals, the workflow, forms, the log."""

import io

from django.utils import timezone
from openpyxl import load_workbook

from guangong.care.models import Access, Case, Status
from guangong.people.tests.conftest import assert_chinese

from .conftest import ADDRESS, FAMILY, HEALTH, open_case


def hidden_values(people) -> list[str]:
    return [ADDRESS, FAMILY, HEALTH, people["county_a"].youth_id]


def assert_nothing_hidden(body: str, people) -> None:
    leaked = [v for v in hidden_values(people) if v in body]
    assert not leaked, f"hidden values in the response: {leaked}"


# --- Who sees what ----------------------------------------------------------------------------


def test_the_list_for_care_workers_and_counts_for_everyone_else(
    case, people, client_for, a_care, a_admin, b_revealer
):
    name = people["county_a"].youth.name
    body = client_for(a_care).get("/care/").content.decode()
    assert case.number in body and name in body

    response = client_for(a_admin).get("/care/")  # an admin without the capability
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="case-counts"' in body
    assert case.number not in body and name not in body
    assert 'data-testid="case-total">1<' in body

    body = client_for(b_revealer).get("/care/").content.decode()
    assert case.number not in body and name not in body


def test_the_list_filters_and_searches(case, people, client_for, a_care, tree):
    other = open_case(a_care, people["township"], "助医")
    client = client_for(a_care)
    body = client.get("/care/", {"q": "cxy"}).content.decode()  # pinyin of 程小雨
    assert case.number in body and other.number not in body
    body = client.get("/care/", {"q": other.number}).content.decode()
    assert other.number in body and case.number not in body
    body = client.get("/care/", {"kind": other.kind_id}).content.decode()
    assert other.number in body and case.number not in body
    body = client.get("/care/", {"org": tree.township.pk}).content.decode()
    assert other.number in body and case.number not in body
    body = client.get("/care/", {"status": "closed"}).content.decode()
    assert case.number not in body
    body = client.get("/care/", {"opened_from": "2000-01-01", "care_worker": a_care.pk})
    assert case.number not in body.content.decode()  # nobody is the responsible worker yet


def test_a_plain_xlsx_export_of_cases_is_refused(case, client_for, a_care):
    response = client_for(a_care).get("/care/", {"export": "xlsx"})
    assert response.status_code == 403
    assert case.number.encode() not in response.content


def test_a_case_answers_404_to_a_care_worker_of_another_county(
    case, people, client_for, b_revealer
):
    """One who holds every care verb, outside the case's scope, posting real data. (Every
    persona without the verbs, the county's administrator and viewer among them, is the scope
    walk's: core/tests/test_scope_walk.py requests each of these URLs as each.)"""
    client = client_for(b_revealer)
    for url in (
        f"/care/{case.pk}/",
        f"/care/{case.pk}/edit/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert_nothing_hidden(response.content.decode(), people)
    for url, data in (
        (f"/care/{case.pk}/reveal/", {"field": "address", "reason": "想看"}),
        (f"/care/{case.pk}/transition/", {"action": "submit"}),
        (f"/care/{case.pk}/consent/", {"by": "x", "relation": "y", "on": "2026-01-01"}),
        (f"/care/{case.pk}/follow-ups/new/", {"date": "2026-01-01", "content": "x"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 404, url
        assert_nothing_hidden(response.content.decode(), people)
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED
    assert not Access.objects.exists()


def test_every_opening_is_logged_and_nothing_hidden_is_shown(case, people, client_for, a_care):
    client = client_for(a_care)
    for _ in range(2):
        response = client.get(f"/care/{case.pk}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert_nothing_hidden(body, people)
        assert "已隐藏" in body
        assert people["county_a"].youth.id_number_masked in body
    assert Access.objects.filter(case=case, kind="open", user=a_care).count() == 2


def test_a_minor_without_consent_is_flagged(case, client_for, a_care):
    body = client_for(a_care).get(f"/care/{case.pk}/").content.decode()
    assert 'data-testid="consent-needed"' in body and 'data-testid="consent-form"' in body


# --- Reveals ----------------------------------------------------------------------------------


def test_a_reveal_with_a_reason_shows_the_value_once(case, people, client_for, a_care):
    client = client_for(a_care)
    url = f"/care/{case.pk}/reveal/"
    response = client.post(url, {"field": "address", "reason": ""})
    assert response.status_code == 400
    assert ADDRESS not in response.content.decode()

    response = client.post(url, {"field": "address", "reason": "上门走访"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert ADDRESS in body and FAMILY not in body and HEALTH not in body

    response = client.post(
        url, {"field": "id_number", "reason": "核对身份"}, HTTP_HX_REQUEST="true"
    )
    assert people["county_a"].youth_id in response.content.decode()
    log = Access.objects.filter(kind="reveal", case=case).order_by("id")
    assert [a.reason for a in log] == ["上门走访", "核对身份"]
    # The page again: hidden again.
    assert_nothing_hidden(client.get(f"/care/{case.pk}/").content.decode(), people)


def test_a_reveal_without_the_capability_is_refused(case, people, client_for, a_approver):
    response = client_for(a_approver).post(  # works on cases, may not reveal
        f"/care/{case.pk}/reveal/", {"field": "address", "reason": "想看看"}
    )
    assert response.status_code == 403
    assert_nothing_hidden(response.content.decode(), people)
    for field in ("family_situation", "health", "id_number"):
        response = client_for(a_approver).post(
            f"/care/{case.pk}/reveal/", {"field": field, "reason": "想看看"}
        )
        assert response.status_code == 403
        assert_nothing_hidden(response.content.decode(), people)
    assert not Access.objects.filter(kind="reveal").exists()


# --- The workflow through the pages -----------------------------------------------------------


def test_a_step_out_of_order_is_refused_in_chinese_and_nothing_changes(
    case, client_for, a_care, city_approver
):
    client = client_for(city_approver)
    response = client.post(
        f"/care/{case.pk}/transition/",
        {"action": "approve", "approve-amount_approved": "100"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and "登记" in messages[0]
    assert_chinese(messages[0])
    case.refresh_from_db()
    assert (case.status, case.amount_approved) == (Status.REGISTERED, None)
    assert case.transitions.count() == 1


def test_the_whole_way_through_the_pages(case, people, client_for, a_care, a_approver):
    client = client_for(a_care)
    url = f"/care/{case.pk}/"
    body = client.get(url).content.decode()
    assert 'data-testid="action-submit"' in body and 'data-testid="action-approve"' not in body
    client.post(f"{url}transition/", {"action": "submit", "submit-comment": "材料齐全"})
    form = {
        "organization": case.organization_id,
        "youth": case.youth_id,
        "kind": case.kind_id,
        "situation": case.situation,
        "assessment": "情况属实",
        "plan": "资助学费",
        "amount_requested": "2000",
        "opened_on": case.opened_on.isoformat(),
    }
    assert client.post(f"{url}edit/", form).status_code == 302
    response = client.post(f"{url}transition/", {"action": "assess"}, follow=True)
    assert "监护人" in " ".join(str(m) for m in response.context["messages"])
    client.post(f"{url}consent/", {"by": "程母", "relation": "母亲", "on": "2026-03-01"})
    client.post(f"{url}transition/", {"action": "assess"})
    assert Case.objects.get(pk=case.pk).status == Status.APPROVAL
    body = client.get(url).content.decode()
    assert 'data-testid="action-approve"' not in body  # a care worker does not approve

    approver = client_for(a_approver)
    assert 'data-testid="action-approve"' in approver.get(url).content.decode()
    approver.post(
        f"{url}transition/",
        {"action": "approve", "approve-amount_approved": "1800", "approve-comment": "同意"},
    )
    client = client_for(a_care)
    client.post(f"{url}transition/", {"action": "disburse", "disburse-amount_disbursed": "1800"})
    response = client.post(
        f"{url}follow-ups/new/", {"date": "2026-04-01", "visitor": "王老师", "content": "已返校"}
    )
    assert response.status_code == 302
    client.post(f"{url}transition/", {"action": "close", "close-comment": "完成"})
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.amount_disbursed == 1800
    body = client.get(url).content.decode()
    assert "同意" in body and "已返校" in body
    steps = list(case.transitions.values_list("action", flat=True))
    assert steps == ["register", "submit", "assess", "approve", "disburse", "close"]


def test_the_edit_form_never_shows_a_stored_value_and_empty_keeps_it(
    case, people, client_for, a_care
):
    client = client_for(a_care)
    response = client.get(f"/care/{case.pk}/edit/")
    body = response.content.decode()
    assert_nothing_hidden(body, people)
    assert "留空则保持不变" in body or "Leave empty" in body
    form = {
        "organization": case.organization_id,
        "youth": case.youth_id,
        "kind": case.kind_id,
        "situation": "新的情况",
        "amount_requested": "2000",
        "opened_on": case.opened_on.isoformat(),
        "health": "已康复",
    }
    assert client.post(f"/care/{case.pk}/edit/", form).status_code == 302
    from guangong.care.services import access

    assert access.reveal(a_care, case, "address", "核对") == ADDRESS
    assert access.reveal(a_care, case, "health", "核对") == "已康复"


def test_registering_a_case_through_the_form(people, client_for, a_care, tree, b_revealer):
    from guangong.care.tests.conftest import kind

    client = client_for(a_care)
    youth = people["county_a"].youth
    form = {
        "organization": tree.county_a.pk,
        "youth": youth.pk,
        "kind": kind("助医").pk,
        "care_worker": a_care.pk,
        "situation": "需要手术费用",
        "address": "伊宁市某路1号",
        "amount_requested": "5000",
    }
    response = client.post("/care/new/", form)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.care_worker == a_care and case.address_enc and "某路" not in case.address_enc

    # A care worker of another county is not a choice here.
    response = client.post("/care/new/", {**form, "care_worker": b_revealer.pk})
    assert response.status_code == 400
    assert Case.objects.count() == 1


# --- The access log ---------------------------------------------------------------------------


def test_the_access_log_for_auditors_in_scope(case, client_for, a_care, a_admin, b_admin):
    client_for(a_care).get(f"/care/{case.pk}/")
    response = client_for(a_admin).get("/care/access-log/", {"case_number": case.number})
    assert response.status_code == 200 and "a_care" in response.content.decode()
    assert case.number not in client_for(b_admin).get("/care/access-log/").content.decode()
    assert client_for(a_care).get("/care/access-log/").status_code == 403  # no audit verb

    response = client_for(a_admin).get(
        "/care/access-log/", {"kind": "open", "date_from": timezone.localdate(), "export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "a_care" and rows[1][3] == case.number
