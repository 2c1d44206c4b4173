"""The analysis page in a real browser: the chart draws under the strict Content-Security-
Policy, the page is Chinese and fits a 360 px phone; the distribution page likewise."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from guangong.activities.tests.conftest import activity_type
from guangong.core.tests.browser import PHONE, assert_fits, log_in

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


@pytest.fixture
def types(seeded_activity_types):
    return {
        "talk": activity_type("主题宣讲"),
        "training": activity_type("技能培训/讲座"),
        "care": activity_type("关爱帮扶"),
    }


def test_pivot_on_a_phone_and_a_desktop(new_page, ledger, city_admin, screenshots: Path):
    query = f"org={ledger.city.pk}&from=2025-01-01&to=2025-12-31&rows=child&cols=type"
    for name, options in (
        ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True}),
        ("desktop", {"viewport": {"width": 1280, "height": 900}}),
    ):
        page = new_page(**options)
        log_in(page, city_admin)
        page.goto(f"/stats/pivot/?{query}")
        expect(page.get_by_test_id("pivot-total")).to_have_text("5")
        canvas = page.get_by_test_id("pivot-chart").locator("canvas").first
        expect(canvas).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text("交叉分析")
        if name == "phone":
            assert_fits(page, "the analysis page")
        page.screenshot(path=screenshots / f"pivot-{name}.png", full_page=True)
        page.goto(f"/stats/distribution/?org={ledger.city.pk}&of=activities")
        expect(page.get_by_test_id("distribution-table")).to_be_visible()
        if name == "phone":
            assert_fits(page, "the distribution page")
        page.screenshot(path=screenshots / f"distribution-{name}.png", full_page=True)
        assert page.problems == []
