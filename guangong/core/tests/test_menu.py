"""The main menu comes from the apps' declarations and shows each user what they may open."""

import pytest
from django.urls import reverse

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.core.menu import _items, items_for
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
    assert viewer[0] == "orgs:organization_list" and viewer[-1] == "swagger-ui"
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
    for label in ("组织", "统计", "活动台账"):
        assert label in body
    assert 'data-testid="nav-activities"' in client_for(a_viewer).get("/orgs/").content.decode()
