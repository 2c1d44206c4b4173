"""The quick-entry form on a phone, in a real browser.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS (default
<tmp>/guangong).
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from guangong.activities import rollup
from guangong.activities.models import Activity
from guangong.core.tests.browser import PHONE, assert_fits, log_in

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


def test_quick_entry_on_a_phone(
    new_page, seeded_activity_types, people, a_clerk, screenshots: Path
):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, a_clerk)
    page.goto("/activities/quick/")
    assert_fits(page, "the quick form")
    expect(page.locator("#id_organization option:checked")).to_contain_text("伊宁市")
    expect(page.locator("#id_date")).not_to_have_value("")

    page.locator("#id_type").select_option(label="主题宣讲")
    page.locator("#id_title").fill("社区禁毒宣讲")
    page.locator("#id_place").fill("社区广场")
    page.locator("#id_participants").fill("56")
    elder = people["county_a"].elder
    search = page.locator(".gg-person-choice", has=page.locator("#id_elders"))
    search.get_by_test_id("person-choice-search").fill(elder.name)
    option = page.locator("#id_elders option", has_text=elder.name)
    expect(option).to_have_count(1)
    page.locator("#id_elders").select_option(str(elder.pk))
    page.locator("#id_hours").fill("1.5")
    page.screenshot(path=screenshots / "activities-quick-phone.png", full_page=True)
    page.get_by_test_id("quick-save").click()

    expect(page.get_by_test_id("quick-saved")).to_contain_text("社区禁毒宣讲")
    assert_fits(page, "the quick form, saved")
    activity = Activity.objects.get(title="社区禁毒宣讲")
    assert activity.participants == 56 and activity.place == "社区广场"
    assert list(activity.elders.all()) == [elder]
    assert rollup.mismatches() == []

    # A figure out of the plausible range: the doubt, and “确认无误” to tick, on the phone.
    page.locator("#id_type").select_option(label="主题宣讲")
    page.locator("#id_title").fill("全镇大会")
    page.locator("#id_participants").fill("850000")
    page.get_by_test_id("quick-save").click()
    expect(page.get_by_test_id("plausibility-doubts")).to_contain_text("850,000")
    assert_fits(page, "the quick form, asking to confirm")
    page.screenshot(path=screenshots / "activities-quick-confirm-phone.png", full_page=True)
    page.get_by_test_id("confirm-figures").check()
    page.get_by_test_id("quick-save").click()
    expect(page.get_by_test_id("quick-saved")).to_contain_text("全镇大会")
    assert Activity.objects.get(title="全镇大会").participants == 850000
    # the form that asks to confirm answers 400 on purpose; nothing else may go wrong
    assert [p for p in page.problems if "status of 400" not in p] == []
    assert len(page.problems) == 1


def test_the_ledger_pages_fit_a_phone(new_page, seeded_activity_types, people, a_clerk):
    from guangong.activities import services

    activity = services.save_activity(
        a_clerk,
        Activity(
            organization=people["county_a"].elder.organization,
            type=Activity._meta.get_field("type").related_model.objects.get(
                kind="activity_type", label="主题宣讲"
            ),
            title="红色家书诵读会",
            date=people["county_a"].mentorship.start_date,
            participants=12,
        ),
        elders={people["county_a"].elder: 2},
    )
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, a_clerk)
    for url in ("/activities/", activity.get_absolute_url(), f"/activities/{activity.pk}/edit/"):
        page.goto(url)
        assert_fits(page, url)
    assert page.problems == []
