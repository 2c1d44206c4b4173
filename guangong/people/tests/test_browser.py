"""The people pages in a real browser: the htmx reveal and the member picker.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS (default
<tmp>/guangong).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from guangong.audit.models import Action, AuditLog
from guangong.core.tests import browser
from guangong.people.models import Elder, Team
from guangong.people.services.persons import save_person

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


def log_in(page: Page, user) -> None:
    """Log in on a desktop, where the current user stands in the open navigation."""
    browser.log_in(page, user)
    expect(page.get_by_test_id("current-user")).to_be_visible()


def test_reveal_swaps_the_number_in_and_is_audited(
    page: Page, people, a_revealer, screenshots: Path
):
    place = people["county_a"]
    log_in(page, a_revealer)
    page.goto(place.elder.get_absolute_url())
    number = page.get_by_test_id("id-number")
    expect(number).to_contain_text(place.elder.id_number_masked)

    page.get_by_test_id("reveal-toggle").click()
    page.get_by_test_id("reveal-form").get_by_role("textbox").fill("核对补贴发放")
    page.get_by_test_id("reveal-form").get_by_role("button").click()

    expect(page.get_by_test_id("id-number-clear")).to_have_text(place.elder_id)
    assert page.url.endswith(place.elder.get_absolute_url())  # swapped in, not navigated
    assert place.elder_id not in page.url
    page.screenshot(path=screenshots / "people-reveal.png", full_page=True)
    assert AuditLog.objects.filter(action=Action.REVEAL, user=a_revealer).count() == 1
    page.reload()
    expect(page.get_by_test_id("id-number")).not_to_contain_text(place.elder_id)
    assert page.problems == []


def test_member_picker_searches_and_keeps_the_choice(page: Page, people, a_admin, categories):
    a, township = people["county_a"], people["township"]
    log_in(page, a_admin)
    page.goto(f"/people/teams/{a.team.pk}/edit/")
    members = page.locator("#id_members")
    expect(members.locator("option:checked")).to_have_text([f"{a.elder.name}（伊宁市）"])

    search = page.locator(".gg-person-choice", has=members).get_by_test_id("person-choice-search")
    search.fill("aek")  # pinyin initials of 艾尔肯, at the township
    expect(members.locator("option")).to_have_count(2)
    members.select_option([str(a.elder.pk), str(township.elder.pk)])
    page.locator("form.gg-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/people/teams/{a.team.pk}/$"))
    assert set(Team.objects.get(pk=a.team.pk).members.all()) == {a.elder, township.elder}
    expect(page.get_by_test_id("by-category")).to_contain_text("2")
    assert page.problems == []


def test_no_console_errors_or_csp_violations(
    page: Page, tree, people, city_admin, screenshots: Path
):
    a = people["county_a"]
    save_person(  # a possible duplicate for the duplicates page
        city_admin,
        Elder(
            organization=tree.county_b, name=a.elder.name, birth_date=a.elder.birth_date, sex="M"
        ),
        allow_same_name=True,
    )
    log_in(page, city_admin)
    for name, url in {
        "elders": "/people/elders/",
        "elder": a.elder.get_absolute_url(),
        "youth": a.youth.get_absolute_url(),
        "team": a.team.get_absolute_url(),
        "mentorship": a.mentorship.get_absolute_url(),
        "mentorship-form": f"/people/mentorships/new/?elder={a.elder.pk}",
        "duplicates": "/people/duplicates/",
    }.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=screenshots / f"people-{name}.png", full_page=True)
    expect(page.get_by_test_id("pair")).to_have_count(1)
    assert page.problems == []
