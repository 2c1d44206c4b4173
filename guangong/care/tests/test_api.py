"""/api/cases/: the pages' rules through the API."""

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.care.models import Access, Case, Status
from guangong.people.tests.conftest import assert_chinese

from .conftest import ADDRESS, FAMILY, HEALTH, kind


def assert_nothing_hidden(body: str, people) -> None:
    for value in (ADDRESS, FAMILY, HEALTH, people["county_a"].youth_id):
        assert value not in body


def test_care_workers_list_and_read_with_masked_fields(case, people, api_for, a_care):
    api = api_for(a_care)
    response = api.get("/api/cases/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1 and data["results"][0]["number"] == case.number
    assert data["results"][0]["address"] == "已隐藏"
    assert_nothing_hidden(response.content.decode(), people)
    assert not Access.objects.exists()  # a list is not an opening

    response = api.get(f"/api/cases/{case.pk}/")
    assert response.status_code == 200
    assert response.json()["id_number_masked"] == people["county_a"].youth.id_number_masked
    assert_nothing_hidden(response.content.decode(), people)
    assert Access.objects.filter(kind="open", case=case, user=a_care).count() == 1


def test_without_the_capability_counts_only(case, people, api_for, a_admin, b_admin):
    response = api_for(a_admin).get("/api/cases/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "by_kind", "by_status"}
    assert data["count"] == 1
    assert data["by_kind"] == [{"label": "助学", "count": 1}]
    assert {r["status"]: r["count"] for r in data["by_status"]}["registered"] == 1
    body = response.content.decode()
    assert case.number not in body and people["county_a"].youth.name not in body
    assert api_for(a_admin).get(f"/api/cases/{case.pk}/").status_code == 404
    assert api_for(b_admin).get("/api/cases/").json()["count"] == 0


@pytest.mark.parametrize("who", ["a_admin", "b_revealer"])
def test_a_case_out_of_reach_answers_404(case, people, api_for, request, who):
    api = api_for(request.getfixturevalue(who))
    assert api.get(f"/api/cases/{case.pk}/").status_code == 404
    for path, data in (
        ("transition", {"action": "submit"}),
        ("follow-ups", {"date": "2026-01-01", "content": "x"}),
        ("consent", {"by": "x", "relation": "y", "on": "2026-01-01"}),
    ):
        response = api.post(f"/api/cases/{case.pk}/{path}/", data, format="json")
        assert response.status_code == 404, path
    response = api.patch(f"/api/cases/{case.pk}/", {"situation": "x"}, format="json")
    assert response.status_code in (403, 404)
    assert Case.objects.get(pk=case.pk).situation != "x"
    assert not Access.objects.exists()


def test_reveal_through_the_api(case, people, api_for, a_care, a_approver, b_revealer):
    url = f"/api/cases/{case.pk}/reveal/"
    response = api_for(a_approver).post(url, {"field": "address", "reason": "想看"}, format="json")
    assert response.status_code == 403
    assert_nothing_hidden(response.content.decode(), people)
    response = api_for(b_revealer).post(url, {"field": "address", "reason": "想看"}, format="json")
    assert response.status_code == 404
    assert_nothing_hidden(response.content.decode(), people)
    response = api_for(a_care).post(url, {"field": "address", "reason": ""}, format="json")
    assert response.status_code == 400

    response = api_for(a_care).post(url, {"field": "family_situation", "reason": "评估"})
    assert response.status_code == 200 and response.json() == {
        "field": "family_situation",
        "value": FAMILY,
    }
    assert response["Cache-Control"] == "no-store"
    assert Access.objects.filter(kind="reveal", reason="评估").count() == 1


def test_a_transition_out_of_order_is_refused_in_chinese(case, api_for, city_approver):
    response = api_for(city_approver).post(
        f"/api/cases/{case.pk}/transition/",
        {"action": "approve", "amount_approved": "100"},
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["non_field_errors"][0]
    assert "登记" in message or "Registration" in message
    assert_chinese(
        message, "The case is at the stage “%(stage)s”; “%(action)s” is not possible now."
    )
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.amount_approved is None
    assert case.transitions.count() == 1


def test_register_update_and_work_a_case_through_the_api(people, api_for, a_care, a_approver):
    api = api_for(a_care)
    youth = people["county_a"].youth
    response = api.post(
        "/api/cases/",
        {
            "organization": youth.organization_id,
            "youth": youth.pk,
            "kind": kind("助困").pk,
            "situation": "父母双亡",
            "address": ADDRESS,
            "health": HEALTH,
            "amount_requested": "3000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert_nothing_hidden(response.content.decode(), people)
    case_id = response.json()["id"]
    case = Case.objects.get(pk=case_id)
    assert case.has_sensitive("address") and not case.has_sensitive("family_situation")

    response = api.patch(
        f"/api/cases/{case_id}/", {"assessment": "属实", "plan": "资助"}, format="json"
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=case_id).has_sensitive("address")  # left out: kept
    assert api.post(f"/api/cases/{case_id}/transition/", {"action": "submit"}).status_code == 200
    response = api.post(
        f"/api/cases/{case_id}/consent/",
        {"by": "程叔", "relation": "叔叔", "on": "2026-02-01"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["consent_by"] == "程叔"
    assert api.post(f"/api/cases/{case_id}/transition/", {"action": "assess"}).status_code == 200
    response = api_for(a_approver).post(
        f"/api/cases/{case_id}/transition/",
        {"action": "approve", "amount_approved": "2500", "comment": "同意"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "implementation"
    api.post(
        f"/api/cases/{case_id}/transition/",
        {"action": "disburse", "amount_disbursed": "2500"},
        format="json",
    )
    response = api.post(
        f"/api/cases/{case_id}/follow-ups/",
        {"date": "2026-03-01", "content": "生活改善"},
        format="json",
    )
    assert response.status_code == 201
    assert Case.objects.get(pk=case_id).follow_ups.count() == 1


def test_the_schema_documents_the_endpoints(api_for, a_care):
    response = api_for(a_care).get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    for path in (
        "/api/cases/",
        "/api/cases/{id}/",
        "/api/cases/{id}/transition/",
        "/api/cases/{id}/reveal/",
        "/api/cases/{id}/follow-ups/",
        "/api/cases/{id}/consent/",
    ):
        assert path in paths
    assert "CaseCounts" in response.json()["components"]["schemas"]


@pytest.fixture
def b_care_worker(tree):
    return UserFactory(username="b_care", organization=tree.county_b, role=Role.CARE_WORKER)


def test_an_id_out_of_scope_answers_like_a_missing_one(people, api_for, a_care, b_care_worker):
    """The person helped and the care worker: a record of another county reads as absent."""
    api = api_for(a_care)
    case = {
        "organization": people["county_a"].youth.organization_id,
        "youth": people["county_a"].youth.pk,
        "kind": kind().pk,
        "situation": "x",
    }
    for name, outside in (
        ("youth", people["county_b"].youth.pk),
        ("care_worker", b_care_worker.pk),
    ):
        out = api.post("/api/cases/", {**case, name: outside}, format="json")
        missing = api.post("/api/cases/", {**case, name: 99999999}, format="json")
        assert out.status_code == missing.status_code == 400, name
        [out_message], [missing_message] = out.json()[name], missing.json()[name]
        assert out_message == missing_message.replace("99999999", str(outside)), name
    assert not Case.objects.exists()
