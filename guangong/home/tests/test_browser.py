"""The to-do centre in a real browser, on a 360 px phone: the report the county returned is
on the township's list, its reason first, and one tap opens it."""

import re

import pytest
from playwright.sync_api import Page, expect

from guangong.reporting.tests.test_browser import PHONE, log_in_on_phone, no_sideways_scroll

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


def test_a_returned_report_is_one_tap_from_the_township_to_do(
    new_page, returned, t_clerk, screenshots
):
    page: Page = new_page(viewport=PHONE)
    log_in_on_phone(page, t_clerk)

    badge = page.get_by_test_id("todo-badge")
    expect(badge).to_be_visible()  # outside the folded menu
    expect(page.get_by_test_id("todo-count")).to_have_text("1")
    badge.click()

    group = page.get_by_test_id("todo-group")
    expect(group).to_have_attribute("data-kind", "report_fill")
    item = group.get_by_test_id("todo-item")
    expect(item.get_by_test_id("todo-note")).to_contain_text("请补充走访慰问户数的说明")
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshots / "home-todo-phone.png", full_page=True)

    item.click()
    expect(page).to_have_url(re.compile(re.escape(returned.get_absolute_url()) + "$"))
    expect(page.get_by_test_id("report-status")).to_have_text("已退回")
    assert no_sideways_scroll(page)
    assert page.problems == []
