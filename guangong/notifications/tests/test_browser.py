"""Messages in a real browser: the header's count on a 360 px phone, one tap from the inbox to
the thing, the channels page, and the same at 1280 px; nothing scrolls sideways."""

import re
from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.core.tests.browser import DESKTOP, PHONE, assert_fits, log_in
from guangong.notifications.models import Event, Message

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


@pytest.fixture
def reader(tree):
    user = UserFactory(
        username="t_reader",
        organization=tree.township,
        role=Role.CLERK,
        email="reader@example.org",
        phone="13812345678",
    )
    for i, (event, title, body) in enumerate(
        (
            (
                Event.REPORT_RETURNED,
                "报表已退回：关工委工作季报 2026年第1季度",
                "退回原因：请补充走访慰问户数的说明。",
            ),
            (Event.CASE_STEP, "关爱帮扶案件GA2026-000001待您处理：评估", "助学，墩买里街道。"),
            (Event.JOB_FINISHED, "已完成：导出五老名册", ""),
        )
    ):
        Message.objects.create(
            recipient=user, event=event, title=title, body=body, url="/todo/", key=f"b{i}"
        )
    return user


def test_the_inbox_on_a_phone_and_a_desktop(new_page, reader, screenshots):
    page: Page = new_page(viewport=PHONE)
    log_in(page, reader)
    badge = page.get_by_test_id("messages-badge")
    expect(badge).to_be_visible()  # outside the folded menu
    expect(page.get_by_test_id("unread-count")).to_have_text("3")
    badge.click()
    expect(page.get_by_test_id("message")).to_have_count(3)
    assert_fits(page, "the inbox")
    page.screenshot(path=screenshots / "messages-inbox-phone.png", full_page=True)

    page.get_by_text("报表已退回").click()
    expect(page).to_have_url(re.compile(r"/todo/$"))
    expect(page.get_by_test_id("unread-count")).to_have_text("2")

    page.goto("/messages/preferences/")
    expect(page.get_by_test_id("pref-phone")).to_have_text("138****5678")
    page.locator(f"#{Event.REPORT_RETURNED}-sms").check()
    page.get_by_test_id("save-preferences").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.locator(f"#{Event.REPORT_RETURNED}-sms")).to_be_checked()
    assert_fits(page, "the channels page")
    page.screenshot(path=screenshots / "messages-preferences-phone.png", full_page=True)
    assert page.problems == []

    wide: Page = new_page(viewport=DESKTOP)
    log_in(wide, reader)
    wide.goto("/messages/")
    expect(wide.get_by_test_id("messages-badge")).to_be_visible()
    assert_fits(wide, "the inbox", width=DESKTOP["width"])
    wide.screenshot(path=screenshots / "messages-inbox-desktop.png", full_page=True)
    assert wide.problems == []


def test_the_help_desk_receipt_copies_the_code_with_one_tap(new_page, places, screenshots):
    from guangong.helpdesk.tests.conftest import make_request

    req = make_request(places.county_a)
    page: Page = new_page(viewport=PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    # The receipt shows the code the session holds once: put it there as the form does.
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["helpdesk_code"] = req.code
    store.save()
    page.goto("/help/")
    origin = page.url.split("/help/")[0]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": origin}]
    )
    page.goto("/help/done/")
    button = page.get_by_test_id("copy-code")
    button.click()
    expect(button).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == req.code
    expect(page.get_by_test_id("expected-reply")).to_contain_text("小时内回复")
    assert_fits(page, "the receipt")
    page.screenshot(path=screenshots / "help-receipt-phone.png", full_page=True)
    assert page.problems == []


def test_the_requester_answers_on_the_status_page_on_a_phone(new_page, places, screenshots):
    from guangong.helpdesk.tests.conftest import PHONE_A, make_request

    req = make_request(places.county_a)
    page: Page = new_page(viewport=PHONE)
    page.goto("/help/status/")
    page.get_by_label("查询码").fill(req.code)
    page.get_by_label("手机号码").fill(PHONE_A)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("expected-reply")).to_contain_text("前回复")
    page.get_by_label("您的回复").fill("孩子这两天好一些了。")
    page.get_by_role("button", name="发送回复").click()
    expect(page.get_by_test_id("answer-sent")).to_be_visible()
    expect(page.get_by_test_id("own-reply")).to_contain_text("孩子这两天好一些了。")
    assert_fits(page, "the status page")
    page.screenshot(path=screenshots / "help-status-answer-phone.png", full_page=True)
    assert page.problems == []
