"""The quick-entry form on a phone, in a real browser.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS (default
<tmp>/guangong).
"""

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from playwright.sync_api import Page, expect

from guangong.accounts.tests.factories import PASSWORD
from guangong.activities import rollup
from guangong.activities.models import Activity

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


class Editor:
    connection = connection


@pytest.fixture
def seeded_types(transactional_db):
    """The built-in activity types (an earlier transactional test may have flushed them)."""
    import_module("guangong.dicts.migrations.0001_squashed_0004_care_items").seed(apps, Editor)


def log_in(page: Page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("用户名|Username")).fill(user.username)
    page.get_by_label(re.compile("密码|Password")).fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-user")).to_be_attached()


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_quick_entry_on_a_phone(new_page, seeded_types, people, a_clerk, screenshots: Path):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, a_clerk)
    page.goto("/activities/quick/")
    assert scroll_width(page) <= PHONE["width"] + 1, "the quick form scrolls sideways"
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
    assert scroll_width(page) <= PHONE["width"] + 1
    activity = Activity.objects.get(title="社区禁毒宣讲")
    assert activity.participants == 56 and activity.place == "社区广场"
    assert list(activity.elders.all()) == [elder]
    assert rollup.mismatches() == []
    assert page.problems == []


def test_the_ledger_pages_fit_a_phone(new_page, seeded_types, people, a_clerk):
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
        width = scroll_width(page)
        assert width <= PHONE["width"] + 1, f"{url} scrolls sideways: {width}px wide"
    assert page.problems == []
