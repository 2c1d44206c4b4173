"""/api/dicts/: every reader lists and reads items; only ``manage_system`` writes, through the
same services as the pages."""

from importlib import import_module

import pytest

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import zh
from guangong.dicts.models import DictItem, DictKind

#: The built-in items, as the migration seeds them.
SEEDS = import_module("guangong.dicts.migrations.0001_squashed_0004_care_items").SEEDS

NON_MANAGERS = pytest.mark.parametrize("who", ["unit_admin", "a_admin", "clerk", "viewer"])


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def dict_audit() -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_type="dicts.dictitem").order_by("pk"))


@NON_MANAGERS
def test_every_reader_lists_one_dictionary_in_order(api_for, non_managers, who):
    rows = results(api_for(non_managers[who]).get("/api/dicts/", {"kind": "youth_category"}))

    assert [r["label"] for r in rows] == SEEDS["youth_category"]  # what was seeded, in order
    assert rows[0]["kind"] == "youth_category"
    assert rows[0]["kind_display"] == zh("Youth category")
    assert rows[0]["seeded"] is True


def test_retrieve_and_filters(api_for, a_viewer, sys_admin, seeded_item):
    from guangong.dicts import services

    services.update_item(sys_admin, seeded_item, active=False)
    api = api_for(a_viewer)

    one = api.get(f"/api/dicts/{seeded_item.pk}/")
    assert one.status_code == 200
    assert (one.json()["label"], one.json()["active"]) == ("留守儿童", False)
    assert [r["label"] for r in results(api.get("/api/dicts/", {"active": "false"}))] == [
        "留守儿童"
    ]
    assert {r["label"] for r in results(api.get("/api/dicts/", {"q": "xjt"}))} == {
        "宣讲团",
        "法治宣讲团",
    }
    assert api.get("/api/dicts/", {"kind": "no_such"}).status_code == 400
    assert api.get("/api/dicts/987654/").status_code == 404


@NON_MANAGERS
def test_writes_are_403_for_non_managers(api_for, non_managers, who, seeded_item, fresh):
    api = api_for(non_managers[who])

    created = api.post("/api/dicts/", {"kind": "team_kind", "label": "合唱团"}, format="json")
    patched = api.patch(f"/api/dicts/{seeded_item.pk}/", {"active": False}, format="json")
    deleted = api.delete(f"/api/dicts/{fresh.pk}/")

    assert (created.status_code, patched.status_code, deleted.status_code) == (403, 403, 403)
    seeded_item.refresh_from_db()
    assert seeded_item.active
    assert DictItem.objects.filter(pk=fresh.pk).exists()
    assert not DictItem.objects.filter(label="合唱团").exists()
    assert dict_audit() == []


def test_a_manager_creates_updates_and_deletes(api_for, sys_admin, tree):
    api = api_for(sys_admin)

    created = api.post(
        "/api/dicts/", {"kind": "mentorship_goal", "label": "学电商", "order": 60}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["seeded"] is False

    patched = api.patch(
        f"/api/dicts/{pk}/", {"label": "学电子商务", "active": False}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["label"], patched.json()["active"]) == ("学电子商务", False)

    assert api.delete(f"/api/dicts/{pk}/").status_code == 204
    assert not DictItem.objects.filter(pk=pk).exists()
    records = dict_audit()
    assert [r.action for r in records] == [Action.CREATE, Action.UPDATE, Action.DELETE]
    assert {r.org_path for r in records} == {tree.city.path}
    assert records[1].before["label"] == "学电商"
    assert records[1].after["label"] == "学电子商务"


def test_a_duplicate_label_is_a_400_on_label_and_nothing_is_saved(api_for, sys_admin):
    before = DictItem.objects.count()

    response = api_for(sys_admin).post(
        "/api/dicts/", {"kind": "speciality", "label": "法律"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "label": [
            zh(
                "The dictionary “%(kind)s” already has an item “%(label)s”.",
                kind=zh("Speciality"),
                label="法律",
            )
        ]
    }
    assert DictItem.objects.count() == before
    assert dict_audit() == []


def test_the_dictionary_of_an_item_cannot_change(api_for, sys_admin, seeded_item):
    response = api_for(sys_admin).patch(
        f"/api/dicts/{seeded_item.pk}/", {"kind": "team_kind"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["kind"]
    seeded_item.refresh_from_db()
    assert seeded_item.kind == DictKind.YOUTH_CATEGORY


def test_a_built_in_item_cannot_be_deleted(api_for, sys_admin, seeded_item):
    response = api_for(sys_admin).delete(f"/api/dicts/{seeded_item.pk}/")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert DictItem.objects.filter(pk=seeded_item.pk).exists()


def test_seeded_is_read_only(api_for, sys_admin):
    response = api_for(sys_admin).post(
        "/api/dicts/", {"kind": "team_kind", "label": "合唱团", "seeded": True}, format="json"
    )

    assert response.status_code == 201
    assert DictItem.objects.get(label="合唱团").seeded is False
