"""The main menu comes from the apps' declarations and shows each user what they may open."""

import pytest
from django.urls import reverse

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.core import menu
from guangong.core.menu import MenuItem, _items, active_url, groups_for, items_for
from guangong.core.tests.support import text


def names(user) -> list[str]:
    return [item.url_name for item in items_for(user)]


def test_every_entry_opens_a_page():
    assert len(_items) >= 15
    for item in _items.values():
        assert item.url == reverse(item.url_name)


def test_each_role_sees_what_it_may_open(tree, city_admin, a_viewer):
    carer = UserFactory(username="menu_carer", organization=tree.county_a, role=Role.CARE_WORKER)
    viewer, admin, care = names(a_viewer), names(city_admin), names(carer)
    assert viewer[0] == "orgs:organization_list"
    assert "swagger-ui" not in viewer and admin[-1] == "swagger-ui"  # 接口文档: administrators
    assert "care:case_list" in viewer  # counts, for everyone who reads records
    for hidden in ("accounts:user_list", "dicts:dictitem_list", "audit:auditlog_list"):
        assert hidden not in viewer
    assert "helpdesk:request_list" not in viewer and "helpdesk:request_list" in care
    assert {"accounts:user_list", "audit:auditlog_list"} <= set(admin)


@pytest.mark.django_db
def test_a_visitor_has_no_menu(client):
    from django.contrib.auth.models import AnonymousUser

    assert items_for(AnonymousUser()) == []


def test_the_shell_renders_the_menu_in_chinese(client_for, a_viewer):
    body = text(client_for(a_viewer).get(reverse("orgs:organization_list")))
    for label in ("组织建设", "组织", "统计", "活动台账"):
        assert label in body
    html = client_for(a_viewer).get("/orgs/").content.decode()
    assert 'data-testid="nav-activities"' in html
    assert "<summary>组织建设</summary>" in html
    assert 'class="gg-menu-link active" href="/orgs/" aria-current="page"' in html
    assert "/api/docs/" not in html  # 接口文档 is for administrators


def labels(groups) -> list[str]:
    return [str(group.label) for group in groups]


def test_the_side_menu_stands_in_groups(tree, city_admin, a_viewer):
    admin = groups_for(city_admin)
    assert labels(admin) == [
        "",
        "组织建设",
        "队伍建设",
        "活动台账",
        "关爱帮扶",
        "统计报表",
        "简报总结",
        "系统管理",
    ]
    by_key = {group.key: [item.url_name for item in group.items] for group in admin}
    assert by_key["top"] == ["home:todo"]
    assert by_key["orgs"] == [
        "orgs:organization_list",
        "orgs:coverage",
        "orggroups:groupset_list",
        "meetings:meeting_list",
        "workplans:workplan_list",
    ]
    assert {"stats:pivot", "stats:distribution"} <= set(by_key["stats"])
    assert {"people:youth_list", "care:case_list"} <= set(by_key["care"])
    assert by_key["system"][-1] == "swagger-ui" and "accounts:user_list" in by_key["system"]
    for name in ("notifications:delivery_list", "activities:activityrange_list"):
        assert _items[name].group_key == "system"
    # A viewer's menu leaves out the groups they hold nothing in.
    assert "系统管理" not in labels(groups_for(a_viewer))


def test_an_entry_without_a_group_still_shows(monkeypatch, tree, a_viewer):
    monkeypatch.setitem(_items, "home:home", MenuItem("home:home", "新应用", order=5))
    monkeypatch.setitem(_items, "help:form", MenuItem("help:form", "其他应用", order=6))
    groups = {group.key: [item.label for item in group.items] for group in groups_for(a_viewer)}
    assert "新应用" in groups["top"]  # its app's usual group
    assert groups["other"] == ["其他应用"]  # no usual group: under 其他, still shown


def test_an_unknown_group_is_refused():
    with pytest.raises(ValueError):
        menu.register(MenuItem("home:home", "x", order=1, group="nowhere"))


def test_the_page_marks_its_entry_and_group(tree, a_viewer):
    groups = groups_for(a_viewer)
    assert active_url(groups, "/activities/12/") == "/activities/"
    assert active_url(groups, "/orgs/coverage/") == "/orgs/coverage/"
    assert active_url(groups, "/") == ""
