"""/api/help-requests/: the pages' scope and services, counts for users without ``care``."""

from guangong.audit.models import Action, AuditLog
from guangong.helpdesk.models import HelpRequest, Status
from guangong.people.models import Youth

from .conftest import PHONE_A


def test_list_and_detail_are_scoped(api_for, request_a, request_b, a_care, b_care, city_care):
    codes = {r["code"] for r in api_for(a_care).get("/api/help-requests/").json()["results"]}
    assert codes == {request_a.code}
    codes = {r["code"] for r in api_for(city_care).get("/api/help-requests/").json()["results"]}
    assert codes == {request_a.code, request_b.code}
    assert api_for(a_care).get(f"/api/help-requests/{request_b.pk}/").status_code == 404
    assert (
        api_for(b_care)
        .post(f"/api/help-requests/{request_a.pk}/reply/", {"text": "越权"}, format="json")
        .status_code
        == 404
    )


def test_the_phone_reads_masked(api_for, request_a, a_care):
    data = api_for(a_care).get(f"/api/help-requests/{request_a.pk}/").json()
    assert PHONE_A not in str(data) and data["phone_masked"] == request_a.phone_masked
    assert "phone_enc" not in data and "phone_hash" not in data


def test_without_care_counts_only(api_for, request_a, request_b, a_admin):
    api = api_for(a_admin)
    assert api.get("/api/help-requests/").json()["results"] == []
    assert api.get(f"/api/help-requests/{request_a.pk}/").status_code == 404
    counts = api.get("/api/help-requests/counts/").json()
    assert counts["total"] == 1 and counts["by_status"]["new"] == 1  # county A only


def test_actions_go_through_the_services(api_for, request_a, a_care, b_care, people):
    api = api_for(a_care)
    url = f"/api/help-requests/{request_a.pk}/"
    data = api.post(url + "reply/", {"text": "已收到", "public": True}, format="json").json()
    assert data["status"] == Status.REPLIED and data["replies"][0]["text"] == "已收到"
    revealed = api.post(url + "reveal-phone/", {"reason": "回访"}, format="json")
    assert revealed.json() == {"phone": PHONE_A}
    assert AuditLog.objects.filter(action=Action.REVEAL, user=a_care).count() == 1
    youth = people["county_a"].youth
    before = Youth.objects.count()
    made = api.post(url + "convert/", {"youth": youth.pk}, format="json")
    assert made.status_code == 201, made.content
    assert Youth.objects.count() == before
    req = HelpRequest.objects.get(pk=request_a.pk)
    assert req.status == Status.CONVERTED and req.case.number == made.json()["number"]
    refused = api.post(url + "close/", {}, format="json")
    assert refused.status_code == 400 and "不能再办理" in str(refused.json())


def test_refer_and_close(api_for, request_a, a_care, b_care):
    url = f"/api/help-requests/{request_a.pk}/"
    moved = api_for(a_care).post(url + "refer/", {"to_org": b_care.organization.pk}, format="json")
    assert moved.status_code == 200 and moved.json()["organization"] == b_care.organization.pk
    # The referrer still reads it, and may no longer act on it.
    assert api_for(a_care).get(url).status_code == 200
    assert api_for(a_care).post(url + "close/", {}, format="json").status_code == 403
    closed = api_for(b_care).post(url + "close/", {"note": "已解决"}, format="json")
    assert closed.json()["status"] == Status.CLOSED


def test_no_create_through_the_api(api_for, a_care, places):
    response = api_for(a_care).post("/api/help-requests/", {"description": "x"}, format="json")
    assert response.status_code == 405


def test_in_the_schema(api_for, a_care):
    schema = api_for(a_care).get("/api/schema/").content.decode()
    assert "/api/help-requests/{id}/convert/" in schema
    assert "/api/help-requests/counts/" in schema


def test_converting_for_a_young_person_out_of_scope_answers_like_a_missing_one(
    api_for, request_a, a_care, people
):
    url = f"/api/help-requests/{request_a.pk}/convert/"
    outside = people["county_b"].youth.pk
    out = api_for(a_care).post(url, {"youth": outside}, format="json")
    missing = api_for(a_care).post(url, {"youth": 99999999}, format="json")
    assert out.status_code == missing.status_code == 400
    assert out.json()["youth"] == [
        m.replace("99999999", str(outside)) for m in missing.json()["youth"]
    ]
    assert HelpRequest.objects.get(pk=request_a.pk).status == Status.NEW
