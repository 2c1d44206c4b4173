"""Every people endpoint of the API for the three personas: seen or 404, same services.

Requests carry a token from POST /api/auth/token/. Lists hold exactly the caller's subtree;
objects outside it answer 404, and named in a request body they answer like a missing id.
"""

import pytest

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import PERSONAS, SEES, assert_no_leak
from guangong.people.models import Elder, Mentorship, Team, Youth

from .conftest import PLACE_KEYS, assert_no_people_leak, seen_places, sees

PLACE_MATRIX = pytest.mark.parametrize(
    ("persona", "place"), [(persona, place) for persona in SEES for place in PLACE_KEYS]
)

ENDPOINTS = {
    "elders": ("elder", lambda row: row["name"]),
    "youth": ("youth", lambda row: row["name"]),
    "teams": ("team", lambda row: row["name"]),
    "mentorships": ("mentorship", lambda row: row["id"]),
}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def key_of(place, what: str):
    obj = getattr(place, what)
    return obj.pk if what == "mentorship" else obj.name


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@PERSONAS
def test_list_holds_exactly_the_callers_subtree(api_for, tree, people, personas, persona, endpoint):
    what, key = ENDPOINTS[endpoint]

    response = api_for(personas[persona]).get(f"/api/{endpoint}/")

    assert {key(row) for row in results(response)} == {
        key_of(people[k], what) for k in seen_places(persona)
    }
    assert_no_people_leak(response.content.decode(), people, persona)
    assert_no_leak(response.content.decode(), tree, persona)


@PLACE_MATRIX
def test_writes_are_seen_or_404(api_for, tree, people, personas, persona, place):
    api = api_for(personas[persona])
    p = people[place]
    seen = sees(persona, place)
    audit_count = AuditLog.objects.count()

    patch = api.patch(f"/api/elders/{p.elder.pk}/", {"former_unit": "新单位"}, format="json")
    visit = api.post(
        f"/api/mentorships/{p.mentorship.pk}/visits/",
        {"date": "2025-01-10", "content": "家访", "duration_minutes": 30},
        format="json",
    )
    delete = api.delete(f"/api/teams/{p.team.pk}/")

    p.elder.refresh_from_db()
    if seen:
        assert [patch.status_code, visit.status_code, delete.status_code] == [200, 201, 204]
        assert p.elder.former_unit == "新单位"
        assert not Team.objects.filter(pk=p.team.pk).exists()
        assert AuditLog.objects.count() == audit_count + 3
    else:
        assert [patch.status_code, visit.status_code, delete.status_code] == [404] * 3
        assert p.elder.former_unit == ""
        assert Team.objects.filter(pk=p.team.pk).exists()
        assert AuditLog.objects.count() == audit_count


@PLACE_MATRIX
def test_references_outside_the_subtree_read_as_missing(
    api_for, tree, people, personas, persona, place, categories
):
    """A mentorship naming an elder, a young person or an organisation outside the caller's
    subtree is refused exactly as one naming an id that does not exist."""
    api = api_for(personas[persona])
    p = people[place]
    count = Mentorship.objects.count()
    body = {
        "organization": tree[place].pk,
        "elder": p.elder.pk,
        "youth": p.youth.pk,
        "start_date": "2025-03-01",
    }

    response = api.post("/api/mentorships/", body, format="json")

    if sees(persona, place):
        # The pair already has an active mentorship: refused by the service, on "youth".
        assert response.status_code == 400
        assert set(response.json()) == {"youth"}
    else:
        assert response.status_code == 400
        missing = api.post(
            "/api/mentorships/",
            {**body, "elder": 987654, "youth": 987655, "organization": 987656},
            format="json",
        )
        assert set(response.json()) == {"organization", "elder", "youth"}
        assert str(response.json()).replace(str(p.elder.pk), "<pk>").replace(
            str(p.youth.pk), "<pk>"
        ).replace(str(tree[place].pk), "<pk>") == str(missing.json()).replace(
            "987654", "<pk>"
        ).replace("987655", "<pk>").replace("987656", "<pk>")
    assert Mentorship.objects.count() == count
    assert_no_people_leak(response.content.decode(), people, persona)


@PERSONAS
def test_team_members_outside_the_subtree_read_as_missing(
    api_for, tree, people, personas, persona, categories
):
    api = api_for(personas[persona])
    members = [people[k].elder.pk for k in PLACE_KEYS]

    response = api.post(
        "/api/teams/",
        {
            "organization": personas[persona].organization_id,
            "name": "新团队",
            "kind": categories["care"].pk,
            "members": members,
        },
        format="json",
    )

    if persona == "city":
        assert response.status_code == 201, response.content
        assert set(response.json()["members"]) == set(members)
    else:
        assert response.status_code == 400
        assert set(response.json()) == {"members"}
        assert not Team.objects.filter(name="新团队").exists()
    assert_no_people_leak(response.content.decode(), people, persona)


@PERSONAS
def test_api_search_and_filters_stay_in_scope(api_for, tree, people, personas, persona):
    api = api_for(personas[persona])

    found = {r["name"] for r in results(api.get("/api/elders/", {"q": "bte"}))}
    assert found == ({"巴图尔"} if "county_b" in seen_places(persona) else set())
    subtree = {r["name"] for r in results(api.get("/api/youth/", {"org": tree.county_a.pk}))}
    assert subtree == {
        people[k].youth.name for k in {"county_a", "township"} & seen_places(persona)
    }


def test_a_viewer_reads_but_cannot_write(api_for, people, a_viewer):
    api = api_for(a_viewer)
    p = people["county_a"]

    assert api.get(f"/api/elders/{p.elder.pk}/").status_code == 200
    assert (
        api.patch(f"/api/elders/{p.elder.pk}/", {"name": "改名"}, format="json").status_code == 403
    )
    assert api.delete(f"/api/youth/{p.youth.pk}/").status_code == 403
    assert Elder.objects.get(pk=p.elder.pk).name == p.elder.name
    assert Youth.objects.filter(pk=p.youth.pk).exists()


def test_anonymous_calls_are_unauthorised(client, people):
    p = people["county_a"]
    for url in ("/api/elders/", f"/api/elders/{p.elder.pk}/", "/api/mentorships/"):
        response = client.get(url)
        assert response.status_code == 401
        assert p.elder.name not in response.content.decode()
    assert client.post(f"/api/elders/{p.elder.pk}/reveal/", {"reason": "x"}).status_code == 401


def test_history_blocks_deleting_a_person(api_for, people, a_admin):
    """An elder with mentorships (history) is kept: 400 with the reason, nothing removed."""
    api = api_for(a_admin)
    p = people["county_a"]
    audit_count = AuditLog.objects.count()

    response = api.delete(f"/api/elders/{p.elder.pk}/")

    assert response.status_code == 400
    assert Elder.objects.filter(pk=p.elder.pk).exists()
    assert AuditLog.objects.filter(action=Action.DELETE).count() == 0
    assert AuditLog.objects.count() == audit_count
