"""The dictionary pages in a real browser (headless Chromium against the live server).

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS (default
<tmp>/guangong).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.core.tests.browser import PHONE, assert_fits, log_in, seed
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Kind
from guangong.orgs.tests.factories import OrganizationFactory

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


@pytest.fixture
def manager(transactional_db):
    """A system administrator, and the built-in items (an earlier transactional test may
    have flushed the rows the migration seeded)."""
    seed()
    city = OrganizationFactory(name="伊犁哈萨克自治州", kind=Kind.CITY, division_code="654000")
    return UserFactory(
        username="dict_admin", full_name="字典管理员", organization=city, role=Role.SYSTEM_ADMIN
    )


def rows(page: Page):
    return page.get_by_test_id("dict-table").locator("tbody tr")


def test_add_and_deactivate_an_item(page: Page, manager, screenshots: Path):
    log_in(page, manager)
    page.locator("nav a[href='/dicts/']").click()
    expect(page).to_have_url(re.compile(r"/dicts/$"))
    page.get_by_test_id("dict-tabs").locator("a[href='/dicts/?kind=team_kind']").click()
    expect(rows(page)).to_have_count(5)

    page.get_by_test_id("dict-add").click()
    expect(page).to_have_url(re.compile(r"/dicts/new/\?kind=team_kind$"))
    expect(page.locator("#id_kind")).to_have_value("team_kind")
    expect(page.locator("#id_order")).to_have_value("60")
    page.locator("#id_label").fill("合唱团")
    page.locator("form.gg-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/dicts/\?kind=team_kind$"))
    expect(page.get_by_role("alert")).to_contain_text("合唱团")
    expect(rows(page)).to_have_count(6)
    expect(rows(page).last).to_contain_text("合唱团")
    page.screenshot(path=screenshots / "dicts-list.png", full_page=True)

    item = DictItem.objects.get(kind=DictKind.TEAM_KIND, label="合唱团")
    rows(page).last.locator(f"a[href='/dicts/{item.pk}/edit/']").click()
    page.locator("#id_active").uncheck()
    page.locator("form.gg-form button[type=submit]").click()
    expect(rows(page).last).to_have_class(re.compile(r"\btext-muted\b"))
    item.refresh_from_db()
    assert not item.active
    assert page.problems == []


def test_phone_layout(new_page, manager, screenshots: Path):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, manager)
    item = DictItem.objects.get(kind=DictKind.YOUTH_CATEGORY, label="外来务工青年及子女")
    for url in ("/dicts/", "/dicts/?kind=youth_category", f"/dicts/{item.pk}/delete/"):
        page.goto(url)
        assert_fits(page, url)
    page.goto("/dicts/?kind=youth_category")
    page.screenshot(path=screenshots / "dicts-phone.png", full_page=True)
    assert page.problems == []
