"""``/api/activities/`` for the three personas: the pages' scope, filters and services."""

from decimal import Decimal

import pytest

from guangong.activities import rollup
from guangong.activities.models import Activity
from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import SEES
from guangong.people.models import Elder

from .conftest import LEDGER, LEDGER_EDITS, LEDGER_SEEN, api_body

MATRIX = pytest.mark.parametrize(
    ("persona", "key"), [(persona, key) for persona in SEES for key in LEDGER]
)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("persona", list(SEES))
def test_list_holds_what_the_persona_sees(api_for, ledger, personas, persona):
    rows = results(api_for(personas[persona]).get("/api/activities/"))
    assert {row["title"] for row in rows} == {LEDGER[k][0] for k in LEDGER_SEEN[persona]}


@MATRIX
def test_detail_and_writes_are_seen_or_404(api_for, ledger, personas, persona, key):
    api = api_for(personas[persona])
    activity = ledger[key]
    url = f"/api/activities/{activity.pk}/"

    assert api.get(url).status_code == (200 if key in LEDGER_SEEN[persona] else 404)
    patch = api.patch(url, {"participants": 7}, format="json")
    assert patch.status_code == (200 if key in LEDGER_EDITS[persona] else 404), patch.content
    if key not in LEDGER_EDITS[persona]:
        assert api.delete(url).status_code == 404
        activity.refresh_from_db()
        assert activity.participants != 7
    assert rollup.mismatches() == []


def test_the_fields_of_an_activity(api_for, ledger, people, a_admin):
    row = api_for(a_admin).get(f"/api/activities/{ledger['joint'].pk}/").json()
    assert row["type_label"] == "主题宣讲" and row["stat_group"] == "ideology"
    assert row["joint"] is True
    assert row["elders"] == [{"elder": people["county_b"].elder.pk, "hours": "2.0"}]
    assert row["youths"] == []  # county B's young person is not county A's to see
    own = api_for(a_admin).get(f"/api/activities/{ledger['county_a'].pk}/").json()
    assert own["youths"] == [people["county_a"].youth.pk] and own["joint"] is False


def test_create_update_delete_through_the_api(api_for, tree, people, types, a_admin):
    api = api_for(a_admin)
    elder = people["county_a"].elder
    body = api_body(
        tree,
        types,
        elders=[{"elder": elder.pk, "hours": "3"}],
        co_organizers=[tree.township.pk],
    )

    created = api.post("/api/activities/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["joint"] is True
    assert Elder.objects.get(pk=elder.pk).service_hours == Decimal("3")

    changed = api.patch(f"/api/activities/{pk}/", {"elders": []}, format="json")
    assert changed.status_code == 200
    assert Elder.objects.get(pk=elder.pk).service_hours == 0

    assert api.delete(f"/api/activities/{pk}/").status_code == 204
    actions = AuditLog.objects.filter(object_type="activities.activity", object_id=str(pk))
    assert sorted(actions.values_list("action", flat=True)) == sorted(
        [Action.CREATE, Action.UPDATE, Action.DELETE]
    )
    assert rollup.mismatches() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "2099-05-01"}, "date"),
        ({"participants": -1}, "participants"),
        ({"organization": "county_b"}, "organization"),
        ({"elders": [{"elder": "county_b", "hours": "1"}]}, "elders"),
        ({"elders": [{"elder": "county_a", "hours": "-1"}]}, "elders"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    api_for, tree, people, types, a_admin, changes, field
):
    body = api_body(tree, types, type=types["talk"].pk, title="法治教育进校园")
    for name, value in changes.items():
        if value == "county_b":
            value = tree.county_b.pk
        elif isinstance(value, list):
            value = [{**row, "elder": people[row["elder"]].elder.pk} for row in value]
        body[name] = value

    response = api_for(a_admin).post(
        "/api/activities/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Activity.objects.exists()


def test_filters_are_the_lists(api_for, ledger, city_admin, tree):
    api = api_for(city_admin)
    rows = results(api.get("/api/activities/", {"org": tree.township.pk}))
    assert [row["title"] for row in rows] == ["街道关爱走访"]
    rows = results(api.get("/api/activities/", {"q": "yxjn"}))
    assert [row["title"] for row in rows] == ["乙县技能讲座"]


def test_the_schema_describes_the_endpoint(client_for, city_admin):
    response = client_for(city_admin).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "/api/activities/" in schema["paths"]
    fields = schema["components"]["schemas"]["Activity"]["properties"]
    for name in ("organization", "type", "title", "date", "participants", "elders", "joint"):
        assert name in fields
