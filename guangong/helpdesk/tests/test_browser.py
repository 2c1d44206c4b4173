"""The public help form in a real browser on a 360 px phone: search a committee, answer the
question, send, and see the tracking code.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from guangong.helpdesk.models import HelpRequest, Status

from .conftest import PHONE_A, kind

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_the_form_on_a_phone_sends_a_request_and_shows_the_code(
    new_page, places, settings, screenshots: Path
):
    settings.HELPDESK_MIN_FILL_SECONDS = 0  # the robot here is the test itself
    kind("心理疏导")  # the seeded item (made again where a transactional test flushed it)
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/help/")
    assert no_sideways_scroll(page)
    page.get_by_label("需要哪方面的帮助").select_option(label="心理疏导")
    page.get_by_test_id("place-search").fill("yns")  # pinyin initials of 伊宁市
    organization = page.locator("#id_organization")
    expect(organization.locator("option", has_text="伊宁市")).to_have_count(1)
    organization.select_option(label="伊宁市")
    page.get_by_label("遇到了什么情况，需要什么帮助").fill(
        "孩子最近不愿意上学，<b>希望</b>有老师能和他聊聊。"
    )
    page.get_by_label("手机号码").fill(PHONE_A)
    page.get_by_label("我同意以上内容").check()
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = re.search(r"：(.+)加(.+)等于几", question).groups()
    page.locator("#id_answer").fill(str(chinese(a) + chinese(b)))
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshots / "help-form-360.png", full_page=True)
    page.get_by_test_id("help-submit").click()

    code = page.get_by_test_id("tracking-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{10}$"))
    req = HelpRequest.objects.get()
    expect(code).to_have_text(req.code)
    assert req.status == Status.NEW and req.organization == places.county_a
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshots / "help-done-360.png", full_page=True)

    # The status page with the code and the phone.
    page.get_by_role("link", name="查询求助").first.click()
    page.get_by_label("查询码").fill(req.code)
    page.get_by_label("手机号码").fill(PHONE_A)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("status")).to_have_text("新提交")
    assert no_sideways_scroll(page)
    assert page.problems == []


def chinese(word: str) -> int:
    digits = "零一二三四五六七八九"
    if word == "十":
        return 10
    return digits.index(word)
