"""The statistics page in a real browser: ECharts draws from the embedded JSON under the strict
Content-Security-Policy, in Chinese, and fits a 360 px phone.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS (default
<tmp>/guangong).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from guangong.activities.tests.conftest import activity_type
from guangong.core.tests.browser import PHONE, assert_fits, log_in

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser

CHARTS = ("chart-groups", "chart-types", "chart-months")


@pytest.fixture
def types(seeded_activity_types):
    """The built-in activity types, by the keys the ledger uses."""
    return {
        "talk": activity_type("主题宣讲"),
        "training": activity_type("技能培训/讲座"),
        "care": activity_type("关爱帮扶"),
    }


def assert_charts_drawn(page: Page) -> None:
    for chart in CHARTS:
        canvas = page.get_by_test_id(chart).locator("canvas").first
        expect(canvas).to_be_visible()
        box = canvas.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, (chart, box)


def test_charts_render_in_chinese_without_csp_errors(
    page: Page, ledger, city_admin, screenshots: Path
):
    log_in(page, city_admin)
    page.get_by_test_id("nav-statistics").click()
    expect(page).to_have_url(re.compile(r"/stats/$"))
    page.goto(f"/stats/?org={ledger.city.pk}&from=2025-01-01&to=2025-12-31")
    expect(page.get_by_test_id("total-sessions")).to_have_text("5")
    assert_charts_drawn(page)
    names = page.evaluate(
        """() => {
          const option = (id) => echarts.getInstanceByDom(document.getElementById(id)).getOption();
          return {
            months: option("chart-months").series.map((s) => s.name),
            groups: option("chart-groups").series[0].data.map((d) => d.name),
            types: option("chart-types").yAxis[0].data,
          };
        }"""
    )
    assert names["months"] == ["活动场次", "参与人次"]
    assert set(names["groups"]) == {"思想引领", "关爱帮扶", "成长成才"}
    assert "主题宣讲" in names["types"]
    page.screenshot(path=screenshots / "stats-desktop.png", full_page=True)

    # A child's own statistics, from the breakdown.
    page.get_by_test_id("by-child").get_by_role("link", name="伊宁市").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("伊宁市")
    expect(page.get_by_test_id("total-sessions")).to_have_text("3")
    assert_charts_drawn(page)
    assert page.problems == []


def test_phone_layout(new_page, ledger, a_admin, screenshots: Path):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, a_admin)
    page.goto("/stats/?from=2025-01-01&to=2025-12-31")
    assert_charts_drawn(page)
    assert_fits(page, "the statistics page")
    for chart in CHARTS:
        box = page.get_by_test_id(chart).locator("canvas").first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, (chart, box)
    page.screenshot(path=screenshots / "stats-phone.png", full_page=True)

    page.goto("/stats/completeness/?window=quarter")
    expect(page.get_by_test_id("silent-table")).to_be_visible()
    assert_fits(page, "the completeness view")
    page.screenshot(path=screenshots / "stats-completeness-phone.png", full_page=True)
    assert page.problems == []


def test_bad_dates_show_a_chinese_message(page: Page, ledger, city_admin):
    log_in(page, city_admin)
    page.goto("/stats/")
    page.locator("#id_from").fill("2025-06-01")
    page.locator("#id_to").fill("2025-01-01")
    page.get_by_test_id("range-form").get_by_role("button").click()
    expect(page.get_by_test_id("error-to")).to_have_text("结束日期不能早于开始日期。")
    assert page.problems == [] or all("400" in p for p in page.problems), page.problems
