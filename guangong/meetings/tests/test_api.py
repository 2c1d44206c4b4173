import pytest

from guangong.audit.models import AuditLog
from guangong.dicts.models import DictKind

from ..models import ActionItem, Meeting
from .conftest import kind

pytestmark = pytest.mark.django_db


def meeting_body(tree, **fields) -> dict:
    return {
        "organization": tree.county_a.pk,
        "kind": kind(DictKind.MEETING_KIND, "推进会").pk,
        "title": "推进会",
        "date": "2026-03-10",
        "head_count": 45,
        **fields,
    }


def test_create_and_list_meetings(api_for, tree, a_admin, b_admin, joint):
    api = api_for(a_admin)
    response = api.post("/api/meetings/", meeting_body(tree, units=[joint.unit.pk]), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "planned"
    assert AuditLog.objects.filter(action="create", object_type__contains="meeting").exists()
    ids = {m["id"] for m in api.get("/api/meetings/").json()["results"]}
    assert ids == set(Meeting.objects.values_list("pk", flat=True))
    assert api_for(b_admin).get("/api/meetings/").json()["results"] == []
    assert api_for(b_admin).get(f"/api/meetings/{joint.meeting.pk}/").status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"date": "1899-01-01"},
        {"date": "不是日期"},
        {"title": "题" * 201},
        {"agenda": "议" * 5001},
        {"head_count": -1},
        {"kind": 99999999999999999999},
        {"organization": "x"},
    ],
)
def test_bad_meetings_are_refused_with_400(api_for, tree, a_admin, fields):
    response = api_for(a_admin).post("/api/meetings/", meeting_body(tree, **fields), format="json")
    assert response.status_code == 400, response.content
    assert not Meeting.objects.exists()


def test_another_county_cannot_create_here(api_for, tree, b_admin):
    response = api_for(b_admin).post("/api/meetings/", meeting_body(tree), format="json")
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_action_items_api(api_for, tree, a_admin, b_admin, joint):
    api = api_for(a_admin)
    body = {
        "decision": joint.decision.pk,
        "task": "报送方案",
        "owner_org": tree.township.pk,
        "due_date": "2026-04-30",
    }
    response = api.post("/api/action-items/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["state"] in ("not_started", "overdue")
    early = api.post("/api/action-items/", {**body, "due_date": "2026-03-01"}, format="json")
    assert early.status_code == 400 and "due_date" in early.json()
    both = {**body, "owner_unit": joint.unit.pk}
    assert api.post("/api/action-items/", both, format="json").status_code == 400
    other = api_for(b_admin).post("/api/action-items/", body, format="json")
    assert other.status_code == 400
    assert api_for(b_admin).get("/api/action-items/").json()["results"] == []
    assert ActionItem.objects.count() == 2


def test_member_unit_phone_reads_masked(api_for, a_admin, joint):
    data = api_for(a_admin).get(f"/api/member-units/{joint.unit.pk}/").json()
    assert data["phone"] == "139****5678"


def test_owner_reports_and_organiser_closes_through_the_api(api_for, tree, a_admin, city_admin):
    from .conftest import make_decision, make_item, make_meeting

    meeting = make_meeting(city_admin, tree.city)
    item = make_item(city_admin, make_decision(city_admin, meeting), owner_org=tree.county_a)
    owner = api_for(a_admin)
    url = f"/api/action-items/{item.pk}/"
    assert owner.post(url + "report/", {"text": ""}, format="json").status_code == 400
    assert owner.post(url + "report/", {"text": "已部署"}, format="json").status_code == 200
    assert owner.post(url + "finish/", {}, format="json").json()["closure_requested_at"]
    assert owner.post(url + "approve/", {}, format="json").status_code == 404
    closed = api_for(city_admin).post(url + "approve/", {}, format="json")
    assert closed.json()["state"] == "done"
    assert owner.post(url + "report/", {"text": "再报"}, format="json").status_code == 400


def test_meeting_held_and_minuted_through_the_api(api_for, tree, a_admin):
    from .conftest import make_meeting

    meeting = make_meeting(a_admin, tree.county_a, held=False)
    api = api_for(a_admin)
    url = f"/api/meetings/{meeting.pk}/"
    assert api.post(url + "minute/", {"minutes": "纪要"}, format="json").status_code == 400
    assert api.post(url + "hold/", {"head_count": 45}, format="json").json()["status"] == "held"
    done = api.post(url + "minute/", {"minutes": "会议研究部署"}, format="json")
    assert done.json()["status"] == "minuted"


def test_unit_named_co_organiser_through_the_api(api_for, tree, a_admin, b_admin, joint, types):
    from guangong.activities.tests.conftest import record

    activity = record(a_admin, tree.township, types["talk"])
    url = f"/api/member-units/{joint.unit.pk}/activities/"
    assert api_for(b_admin).post(url, {"activity": activity.pk}, format="json").status_code == 404
    response = api_for(a_admin).post(url, {"activity": activity.pk}, format="json")
    assert response.json() == {"activities": [activity.pk]}
    bad = api_for(a_admin).post(url, {"activity": 10**30}, format="json")
    assert bad.status_code == 400
