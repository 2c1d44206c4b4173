"""The organisation pages in a real browser (headless Chromium against the live server).

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS (default
<tmp>/guangong) for a human to look at.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from guangong.accounts.models import User
from guangong.accounts.roles import Role
from guangong.core.pinyin import search_key
from guangong.core.tests import browser
from guangong.core.tests.browser import PHONE, assert_fits
from guangong.orgs import services
from guangong.orgs.models import Kind, Organization, Status

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser

USERNAME = "yili_admin"
PASSWORD = "Yili-guangong-2024"
FULL_NAME = "伊犁州管理员"
NEW_ORG = "伊宁市教育局关工委"
ZH_CATALOGUE = (
    Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
)


@dataclass
class Yili:
    province: Organization
    city: Organization
    county: Organization
    township: Organization
    user: User


@pytest.fixture
def yili(transactional_db) -> Yili:
    """新疆 → 伊犁州 → 伊宁市 → one subdistrict, and a system administrator at 伊犁州.

    Its own tree rather than conftest's ``tree``: the live server answers from another thread,
    so the rows must be committed (``transactional_db``), and the issue's scenario is set in 伊犁.
    """
    root = User.objects.create_superuser("root", password=PASSWORD)
    made, parent = [], None
    for name, kind, code, extra in (
        ("新疆维吾尔自治区", Kind.PROVINCE, "650000", {"status": Status.ESTABLISHED}),
        (
            "伊犁哈萨克自治州",
            Kind.CITY,
            "654000",
            {"status": Status.ESTABLISHED, "short_name": "伊犁州"},
        ),
        ("伊宁市", Kind.COUNTY, "654002", {"status": Status.ESTABLISHED}),
        ("萨依布依街道", Kind.TOWNSHIP, "654002001000", {}),
    ):
        parent = services.create_organization(
            root, parent, name=name, kind=kind, division_code=code, **extra
        )
        made.append(parent)
    province, city, county, township = made
    user = User.objects.create_user(
        username=USERNAME,
        password=PASSWORD,
        full_name=FULL_NAME,
        organization=city,
        role=Role.SYSTEM_ADMIN,
    )
    return Yili(province, city, county, township, user)


def log_in(page: Page) -> None:
    browser.log_in(page, User.objects.get(username=USERNAME), PASSWORD)


def result_names(page: Page):
    """The name cell of every row of the organisation table."""
    return page.get_by_test_id("org-table").locator("tbody tr td:first-child")


def search(page: Page, text: str) -> None:
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill(text)
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"\?(.*&)?q={text}(&|$)"))


def test_tree_filter_create_search_and_log_out(page: Page, yili: Yili):
    log_in(page)
    page.goto("/orgs/")

    # The tree beside the list arrives by htmx: the user's own organisation, open, with its
    # children loaded; deeper levels load when a node is expanded.
    panel = page.get_by_test_id("org-tree")
    county = panel.locator(f'a[data-org="{yili.county.pk}"]')
    township = panel.locator(f'a[data-org="{yili.township.pk}"]')
    expect(panel.locator(f'a[data-org="{yili.city.pk}"]')).to_have_text("伊犁州")
    expect(county).to_have_text("伊宁市")
    expect(panel.locator(f'a[data-org="{yili.province.pk}"]')).to_have_count(0)
    expect(township).to_have_count(0)
    bullets = panel.locator("ul").first.evaluate("ul => getComputedStyle(ul).listStyleType")
    assert bullets == "none", "the tree is styled as a bulleted list"
    # Expand 伊宁市 by its disclosure triangle (the summary, beside the link).
    summary = county.locator("xpath=..")
    summary.click(position={"x": 4, "y": summary.bounding_box()["height"] / 2})
    expect(township).to_be_visible()

    # A click on a node narrows the list to that subtree.
    county.click()
    expect(page).to_have_url(re.compile(rf"/orgs/\?org={yili.county.pk}$"))
    expect(result_names(page)).to_have_text(["伊宁市", "萨依布依街道"])
    expect(county).to_have_class(re.compile(r"\bactive\b"))  # the tree marks the choice

    # New subordinate organisation from 伊宁市's detail page.
    page.get_by_test_id("org-table").get_by_role("link", name="伊宁市", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("伊宁市")
    page.get_by_test_id("org-add-child").click()
    expect(page).to_have_url(re.compile(rf"/orgs/new/\?parent={yili.county.pk}$"))
    page.locator("#id_name").fill(NEW_ORG)
    page.locator("#id_kind").select_option(Kind.AGENCY.value)
    page.locator("#id_status").select_option(Status.ESTABLISHED.value)
    page.locator("form.gg-form button[type=submit]").click()

    created = Organization.objects.get(name=NEW_ORG)
    expect(page).to_have_url(re.compile(rf"/orgs/{created.pk}/$"))
    assert Organization.objects.get_parent(created) == yili.county
    assert (created.kind, created.status) == (Kind.AGENCY, Status.ESTABLISHED)
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_ORG)
    expect(page.get_by_role("alert")).to_contain_text(NEW_ORG)
    expect(page.get_by_test_id("breadcrumb").locator("li")).to_have_text(
        ["伊犁州", "伊宁市", NEW_ORG]
    )

    # Pinyin initials find it from the list's search box; "ylz" finds 伊犁州 by its short name.
    initials = search_key(NEW_ORG).split()[0]
    assert initials.startswith("ynsjyj")
    page.goto("/orgs/")
    search(page, initials[:6])
    expect(result_names(page)).to_have_text([NEW_ORG])
    search(page, "ylz")
    expect(result_names(page)).to_have_text(["伊犁哈萨克自治州"])

    # Log out: back on the login page, and the list is closed again.
    page.locator("form[action$='/accounts/logout/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    page.goto("/orgs/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/orgs/$"))
    expect(page.get_by_test_id("login-submit")).to_be_visible()


def test_interface_is_chinese_by_default(new_page, yili: Yili):
    # A Uyghur-language browser: a language Guangong does not offer falls back to Chinese.
    page = new_page(locale="ug-CN")
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # Labels from Django's own catalogue are Chinese whatever state ours is in.
    expect(page.get_by_label("用户名")).to_be_visible()
    expect(page.get_by_label("密码")).to_be_visible()
    if ZH_CATALOGUE.exists():
        expect(page.get_by_test_id("login-submit")).to_contain_text("登录")
        expect(page.get_by_role("heading", level=1)).not_to_contain_text("Log in")

    # The language switch in the navigation bar turns the interface to English and back.
    log_in(page)
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("form[action$='/accounts/logout/'] button")).to_have_text("Log out")
    page.locator("button[name=language][value=zh-hans]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    if ZH_CATALOGUE.exists():
        expect(page.locator("form[action$='/accounts/logout/'] button")).not_to_have_text("Log out")


def test_phone_layout(new_page, yili: Yili, screenshots: Path):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page)
    page.goto("/orgs/")
    expect(page.get_by_test_id("org-table")).to_be_visible()

    assert_fits(page, "the page")
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 16, f"body text is {font}px"
    buttons = page.locator("main .btn:not(.btn-sm):visible, .navbar-toggler")
    assert buttons.count() >= 4
    for i in range(buttons.count()):
        button = buttons.nth(i)
        height = button.bounding_box()["height"]
        assert height >= 40, f"{button.inner_text()!r} is {height}px tall"
    # Chinese may break between any two characters: a name must not stand one per line.
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    name = page.get_by_test_id("org-table").get_by_role("link", name="伊犁哈萨克自治州")
    assert name.bounding_box()["height"] <= 2 * line + 2, "the name column is squeezed"
    page.screenshot(path=screenshots / "phone-list.png", full_page=True)

    # The tree is a drawer on a phone; its button opens it, and a node still filters.
    toggle = page.locator("button[aria-controls=gg-tree]")
    tree_panel = page.get_by_test_id("org-tree")
    expect(tree_panel).to_be_hidden()
    assert toggle.bounding_box()["height"] >= 40
    toggle.click()
    county = tree_panel.locator(f'a[data-org="{yili.county.pk}"]')
    expect(county).to_be_visible()
    expect(page.locator("#gg-tree")).to_have_class(re.compile(r"\bshow\b"))  # animation done
    page.screenshot(path=screenshots / "phone-tree.png", full_page=True)
    county.click()
    expect(result_names(page)).to_have_text(["伊宁市", "萨依布依街道"])

    page.goto(yili.county.get_absolute_url())
    expect(page.get_by_test_id("org-add-child")).to_be_visible()
    assert_fits(page, "the detail page")
    page.screenshot(path=screenshots / "phone-detail.png", full_page=True)

    page.goto("/orgs/coverage/")
    expect(page.get_by_test_id("coverage-table")).to_be_visible()
    assert_fits(page, "the coverage page")
    page.screenshot(path=screenshots / "phone-coverage.png", full_page=True)


def test_no_console_errors_or_csp_violations(page: Page, yili: Yili, screenshots: Path):
    log_in(page)
    pages = {
        "list": "/orgs/",
        "detail": yili.county.get_absolute_url(),
        "coverage": "/orgs/coverage/",
        "form": f"/orgs/new/?parent={yili.county.pk}",
    }
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if name == "list":
            # The tree's htmx requests have run and swapped their HTML in.
            expect(page.get_by_test_id("org-tree").locator("a[data-org]")).to_have_count(2)
            page.screenshot(path=screenshots / "desktop-list.png", full_page=True)
        elif name == "coverage":
            expect(page.get_by_test_id("total")).to_have_text("3")
            page.screenshot(path=screenshots / "desktop-coverage.png", full_page=True)
        elif name == "detail":
            page.screenshot(path=screenshots / "desktop-detail.png", full_page=True)
    assert page.problems == []
