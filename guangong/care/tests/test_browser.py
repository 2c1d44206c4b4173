"""The case page on a phone: a hidden field is revealed with a reason, swapped in place.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from guangong.care.models import Access
from guangong.core.tests.browser import PHONE, assert_fits, log_in

from .conftest import ADDRESS, FAMILY

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


def test_reveal_with_a_reason_on_a_phone(new_page, case, a_care, screenshots: Path):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, a_care)
    page.goto(case.get_absolute_url())
    address = page.get_by_test_id("reveal-address")
    expect(address).to_contain_text("已隐藏")
    expect(page.locator("body")).not_to_contain_text(ADDRESS)

    address.get_by_test_id("reveal-toggle-address").click()
    form = page.get_by_test_id("reveal-form-address")
    form.get_by_role("button").click()  # no reason yet: the browser keeps the form
    expect(page.get_by_test_id("revealed-address")).to_have_count(0)

    form.get_by_role("textbox").fill("上门走访需要地址")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("revealed-address")).to_have_text(ADDRESS)
    assert page.url.endswith(case.get_absolute_url())  # swapped in, not navigated
    expect(page.get_by_test_id("reveal-family_situation")).not_to_contain_text(FAMILY)
    assert_fits(page, "the case page", slack=0)
    page.screenshot(path=screenshots / "care-reveal-phone.png", full_page=True)

    reveal = Access.objects.get(kind="reveal")
    assert (reveal.user, reveal.reason) == (a_care, "上门走访需要地址")
    page.reload()
    expect(page.locator("body")).not_to_contain_text(ADDRESS)
    assert page.problems == []
