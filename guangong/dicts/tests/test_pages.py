"""The dictionary pages: everyone reads the lists, only ``manage_system`` changes them."""

import pytest

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import field_errors, text, xlsx_rows, zh
from guangong.dicts.models import DictItem, DictKind

NON_MANAGERS = pytest.mark.parametrize("who", ["unit_admin", "a_admin", "clerk", "viewer"])


def labels(response) -> list[str]:
    return [row.record.label for row in response.context["table"].page.object_list]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Reading --------------------------------------------------------------------------------


@NON_MANAGERS
def test_every_reader_sees_the_lists_without_the_means_to_change_them(
    client_for, non_managers, who, seeded_item
):
    response = client_for(non_managers[who]).get("/dicts/", {"kind": DictKind.YOUTH_CATEGORY})

    assert response.status_code == 200
    assert "留守儿童" in labels(response)
    body = text(response)
    assert "/dicts/new/" not in body
    assert f"/dicts/{seeded_item.pk}/edit/" not in body
    assert "actions" not in response.context["table"].columns.names()


def test_a_manager_gets_the_actions_and_the_menu_entry(client_for, sys_admin, seeded_item, fresh):
    response = client_for(sys_admin).get("/dicts/", {"kind": DictKind.TEAM_KIND})

    body = text(response)
    assert 'href="/dicts/" aria-current="page"' in body
    assert 'href="/dicts/new/?kind=team_kind"' in body
    assert f"/dicts/{fresh.pk}/edit/" in body
    assert f"/dicts/{fresh.pk}/delete/" in body
    # Built-in items offer no delete.
    builtin = DictItem.objects.get(kind=DictKind.TEAM_KIND, label="宣讲团")
    assert f"/dicts/{builtin.pk}/edit/" in body
    assert f"/dicts/{builtin.pk}/delete/" not in body


def test_the_menu_entry_is_for_managers_only(client_for, city_admin):
    assert 'href="/dicts/"' not in text(client_for(city_admin).get("/"))


def test_a_tab_shows_one_dictionary_in_its_order(client_for, a_viewer):
    response = client_for(a_viewer).get("/dicts/", {"kind": DictKind.MENTORSHIP_OUTCOME})

    assert labels(response) == ["技能证书", "入党", "就业", "升学", "评优评先"]
    # The tab names the dictionary; the column is left to the "All" tab.
    assert "kind" not in response.context["table"].columns.names()
    assert "kind" in client_for(a_viewer).get("/dicts/").context["table"].columns.names()
    assert 'aria-current="page">' + zh("Mentorship outcome") in text(response)


def test_search_matches_labels_and_pinyin_initials(client_for, a_viewer):
    client = client_for(a_viewer)

    assert set(labels(client.get("/dicts/", {"q": "xjt"}))) == {"宣讲团", "法治宣讲团"}
    assert set(labels(client.get("/dicts/", {"q": "留守"}))) == {"留守儿童", "留守儿童关爱"}
    assert labels(client.get("/dicts/", {"q": "ll", "kind": DictKind.TEAM_KIND})) == []


def test_the_active_filter(client_for, sys_admin, seeded_item):
    from guangong.dicts import services

    services.update_item(sys_admin, seeded_item, active=False)
    client = client_for(sys_admin)

    assert labels(client.get("/dicts/", {"active": "false"})) == ["留守儿童"]
    assert "留守儿童" not in labels(client.get("/dicts/", {"active": "true"}))


def test_export_holds_the_filtered_rows_and_is_audited(client_for, a_viewer):
    response = client_for(a_viewer).get(
        "/dicts/", {"kind": DictKind.ELDER_CATEGORY, "export": "xlsx"}
    )

    rows = xlsx_rows(response)
    assert rows[0][:5] == tuple(
        zh(h) for h in ("Dictionary", "Label", "Order", "Active", "Built in")
    )
    assert zh("Actions") not in rows[0]
    assert [r[1] for r in rows[1:]] == ["老干部", "老战士", "老专家", "老教师", "老模范"]
    assert rows[1][:5] == (zh("Five-elders category"), "老干部", 10, zh("Yes"), zh("Yes"))
    record = AuditLog.objects.get(action=Action.EXPORT)
    assert (record.user, record.org_path) == (a_viewer, a_viewer.organization.path)


# --- Changing: refused to non-managers ------------------------------------------------------


@NON_MANAGERS
def test_non_managers_get_403_on_every_change_page(
    client_for, non_managers, who, seeded_item, fresh
):
    client = client_for(non_managers[who])
    pages = ["/dicts/new/", f"/dicts/{seeded_item.pk}/edit/", f"/dicts/{fresh.pk}/delete/"]

    for url in pages:
        assert client.get(url).status_code == 403, url
    posts = {
        "/dicts/new/": {"kind": "team_kind", "label": "合唱团", "order": 10, "active": "on"},
        f"/dicts/{seeded_item.pk}/edit/": {"label": "改名", "order": 1},
        f"/dicts/{fresh.pk}/delete/": {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url

    seeded_item.refresh_from_db()
    assert (seeded_item.label, seeded_item.active) == ("留守儿童", True)
    assert DictItem.objects.filter(pk=fresh.pk).exists()
    assert not DictItem.objects.filter(label="合唱团").exists()
    assert not AuditLog.objects.filter(object_type="dicts.dictitem").exists()


# --- Changing: a manager ---------------------------------------------------------------------


def test_create_page_preselects_the_tab_and_saves_with_an_audit_record(client_for, sys_admin):
    client = client_for(sys_admin)

    form = client.get("/dicts/new/", {"kind": DictKind.SPECIALITY}).context["form"]
    assert form["kind"].value() == "speciality"
    assert form["order"].value() == 90  # after the eighth built-in speciality

    response = client.post(
        "/dicts/new/", {"kind": "speciality", "label": "摄影", "order": 90, "active": "on"}
    )

    item = DictItem.objects.get(kind="speciality", label="摄影")
    assert response.status_code == 302
    assert response["Location"] == "/dicts/?kind=speciality"
    assert (item.order, item.active, item.seeded) == (90, True, False)
    record = AuditLog.objects.get(object_type="dicts.dictitem")
    assert (record.action, record.object_id, record.user) == (
        Action.CREATE,
        str(item.pk),
        sys_admin,
    )


def test_a_duplicate_label_is_shown_on_the_form_and_nothing_is_saved(client_for, sys_admin):
    before = DictItem.objects.count()

    response = client_for(sys_admin).post(
        "/dicts/new/", {"kind": "youth_category", "label": "在校学生", "order": 5}
    )

    assert response.status_code == 400
    assert field_errors(response, "label") == [
        zh(
            "The dictionary “%(kind)s” already has an item “%(label)s”.",
            kind=zh("Youth category"),
            label="在校学生",
        )
    ]
    assert DictItem.objects.count() == before
    assert not AuditLog.objects.filter(object_type="dicts.dictitem").exists()


def test_edit_page_renames_reorders_and_deactivates_but_keeps_the_dictionary(
    client_for, sys_admin, seeded_item
):
    client = client_for(sys_admin)
    assert client.get(f"/dicts/{seeded_item.pk}/edit/").context["form"].fields["kind"].disabled

    response = client.post(
        f"/dicts/{seeded_item.pk}/edit/",
        {"kind": "team_kind", "label": "农村留守儿童", "order": 35},  # unchecked: inactive
    )

    assert response.status_code == 302
    seeded_item.refresh_from_db()
    assert (seeded_item.kind, seeded_item.label, seeded_item.order, seeded_item.active) == (
        "youth_category",
        "农村留守儿童",
        35,
        False,
    )
    record = AuditLog.objects.get(object_type="dicts.dictitem")
    assert record.action == Action.UPDATE


def test_a_rename_to_a_taken_label_is_refused(client_for, sys_admin, seeded_item):
    response = client_for(sys_admin).post(
        f"/dicts/{seeded_item.pk}/edit/", {"label": "困境儿童", "order": 30, "active": "on"}
    )

    assert response.status_code == 400
    assert len(field_errors(response, "label")) == 1
    seeded_item.refresh_from_db()
    assert seeded_item.label == "留守儿童"


def test_delete_page_deletes_an_unused_item(client_for, sys_admin, fresh):
    client = client_for(sys_admin)
    assert client.get(f"/dicts/{fresh.pk}/delete/").status_code == 200

    response = client.post(f"/dicts/{fresh.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/dicts/?kind=team_kind"
    assert not DictItem.objects.filter(pk=fresh.pk).exists()
    assert AuditLog.objects.get(object_type="dicts.dictitem").action == Action.DELETE


def test_delete_page_says_up_front_why_a_built_in_item_cannot_go(
    client_for, sys_admin, seeded_item
):
    response = client_for(sys_admin).get(f"/dicts/{seeded_item.pk}/delete/")

    assert response.status_code == 200
    assert response.context["refusal"] == zh(
        "“%(label)s” is a built-in item and cannot be deleted. Rename or deactivate it instead.",
        label="留守儿童",
    )
    body = text(response)
    assert f'href="/dicts/{seeded_item.pk}/edit/"' in body
    assert 'method="post"' not in body.split("<main", 1)[1].split("</main>")[0]


def test_delete_page_refuses_a_built_in_item_with_a_message(client_for, sys_admin, seeded_item):
    response = client_for(sys_admin).post(f"/dicts/{seeded_item.pk}/delete/", follow=True)

    assert response.redirect_chain[-1][0] == "/dicts/?kind=youth_category"
    assert messages_of(response) == [
        zh(
            "“%(label)s” is a built-in item and cannot be deleted. Rename or deactivate it "
            "instead.",
            label="留守儿童",
        )
    ]
    assert DictItem.objects.filter(pk=seeded_item.pk).exists()


def test_unknown_items_answer_404(client_for, sys_admin):
    client = client_for(sys_admin)

    assert client.get("/dicts/987654/edit/").status_code == 404
    assert client.post("/dicts/987654/delete/").status_code == 404
