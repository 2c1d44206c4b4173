"""The pages for the phone, in a real browser at 360 px: a clerk's daily work from the home
page in a few taps, no main page scrolling sideways, and axe-core (vendored) finding no
serious or critical accessibility violation on the home, a list, a form and a detail page.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from guangong.activities.models import Activity
from guangong.core.tests.browser import PHONE, assert_fits, log_in

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser

# Not served by the platform: evaluated in the page (which the page's CSP does not apply to).
AXE = (
    Path(__file__).resolve().parents[2] / "core/tests/vendor/axe-core-4.14.1/axe.min.js"
).read_text()
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.html).join(" | ")}`);
}"""


def phone(new_page):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)


class Taps:
    """Counts the taps a user makes (clicks and picks from a list); typing is not a tap."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def pick(self, select, label):
        self.count += 1
        select.select_option(label=label)


def test_a_clerk_records_an_activity_from_home_in_eight_taps(
    new_page, seeded_activity_types, people, a_clerk, screenshots: Path
):
    page = phone(new_page)
    log_in(page, a_clerk)
    page.goto("/")
    assert_fits(page, "the home page")
    page.screenshot(path=screenshots / "phone-home-clerk.png", full_page=True)
    first, second = people["county_a"].elder, people["township"].elder
    taps = Taps()

    taps.click(page.get_by_test_id("home-record"))
    taps.pick(page.locator("#id_type"), "主题宣讲")
    page.locator("#id_title").fill("重阳节敬老宣讲")
    page.locator("#id_participants").fill("48")
    search = page.locator(".gg-person-choice", has=page.locator("#id_elders"))
    for elder in (first, second):
        search.get_by_test_id("person-choice-search").fill(elder.name)
        chip = search.locator(".gg-chips-offered .gg-chip", has_text=elder.name)
        taps.click(chip)
        expect(search.locator(".gg-chips-chosen .gg-chip", has_text=elder.name)).to_be_visible()
    expect(search.locator(".gg-chips-chosen .gg-chip")).to_have_count(2)
    page.locator("#id_hours").fill("2")  # each elder's hours (elders without hours are refused)
    assert_fits(page, "the quick form")
    page.screenshot(path=screenshots / "phone-quick-chips.png", full_page=True)
    taps.click(page.get_by_test_id("quick-save"))

    expect(page.get_by_test_id("quick-saved")).to_contain_text("重阳节敬老宣讲")
    assert taps.count <= 8, f"{taps.count} taps"
    activity = Activity.objects.get(title="重阳节敬老宣讲")
    assert activity.participants == 48 and activity.created_by == a_clerk
    assert set(activity.elders.all()) == {first, second}
    assert {link.hours for link in activity.elder_links.all()} == {Decimal(2)}
    # One message says it was saved: no second banner from the shell.
    expect(page.locator(".gg-messages .alert")).to_have_count(0)
    assert page.problems == []


def test_main_pages_fit_a_phone_and_pass_axe(
    new_page, seeded_activity_types, people, a_clerk, screenshots: Path
):
    from guangong.activities import services
    from guangong.dicts.models import DictItem

    talk = DictItem.objects.get(kind="activity_type", label="主题宣讲")
    activity = services.save_activity(
        a_clerk,
        Activity(
            organization=people["county_a"].elder.organization,
            type=talk,
            title="红色家书诵读会",
            date=people["county_a"].mentorship.start_date,
            participants=12,
        ),
        elders={people["county_a"].elder: 2},
    )
    page = phone(new_page)
    log_in(page, a_clerk)
    checked = {
        "/": "home",
        "/activities/": "list",
        "/activities/new/": "form",
        activity.get_absolute_url(): "detail",
    }
    others = ["/todo/", "/activities/quick/", "/orgs/", "/people/elders/", "/reports/", "/stats/"]
    for url in [*checked, *others]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert_fits(page, url)
        if url in checked:
            page.evaluate(AXE)
            violations = page.evaluate(AXE_RUN)
            assert violations == [], f"{url}: {violations}"
            page.screenshot(path=screenshots / f"phone-{checked[url]}.png", full_page=True)

    # The drawer holds the grouped menu; 大字 makes the text larger and is remembered.
    page.goto("/")
    page.get_by_test_id("menu-toggle").click()
    expect(page.get_by_test_id("side-menu")).to_be_visible()
    expect(page.get_by_text("活动台账").first).to_be_visible()
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_test_id("large-text").click()
    page.goto("/activities/")
    larger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert larger > size
    assert_fits(page, "the list in large text")
    page.evaluate(AXE)
    assert page.evaluate(AXE_RUN) == []
    assert page.problems == []
