"""The case page on a phone: a hidden field is revealed with a reason, swapped in place.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS.
"""

from pathlib import Path

import pytest
from django.utils import timezone
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


def test_a_case_goes_from_registered_to_closed_on_a_phone(new_page, case, a_care, a_approver):
    """The care worker takes every step on the case's page (the fields a step needs are in
    its form); the approver approves on theirs; nobody looks for another page."""
    worker = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(worker, a_care)
    worker.goto(case.get_absolute_url())

    def step(page, name, **fields):
        page.get_by_test_id(f"action-{name}").click()
        form = page.get_by_test_id(f"action-form-{name}")
        for label, value in fields.items():
            form.get_by_label(label).fill(value)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    step(worker, "submit")
    expect(worker.get_by_test_id("case-stage")).to_have_text("评估")
    # The child is a minor: the guardian's consent, then the assessment and plan in the step.
    consent = worker.get_by_test_id("consent-form")
    consent.get_by_label("同意人").fill("程母")
    consent.get_by_label("与孩子的关系").fill("母亲")
    consent.get_by_label("同意日期").fill("2026-01-02")
    consent.locator("button[type=submit]").click()
    worker.wait_for_load_state()
    step(worker, "assess", 评估意见="情况属实", 帮扶计划="资助学费")
    expect(worker.get_by_test_id("case-stage")).to_have_text("审批")
    # The care worker cannot approve, and is told who does.
    expect(worker.get_by_test_id("next-holder")).to_contain_text("审批")
    expect(worker.get_by_test_id("action-approve")).to_have_count(0)

    approver = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(approver, a_approver)
    approver.goto(case.get_absolute_url())
    step(approver, "approve")
    expect(approver.get_by_test_id("case-stage")).to_contain_text("实施")

    worker.reload()
    step(worker, "disburse")
    expect(worker.get_by_test_id("case-stage")).to_have_text("回访")
    # A visit first (closing before one says so), recorded on the same page.
    visit = worker.get_by_test_id("follow-up-form")
    visit.locator("input[type=date]").fill(timezone.localdate().isoformat())
    visit.locator("textarea").fill("学费已到位，孩子按时上学")
    visit.locator("button[type=submit]").click()
    worker.wait_for_load_state()
    step(worker, "close")
    expect(worker.get_by_test_id("case-stage")).to_have_text("结案")
    assert_fits(worker, "the closed case's page", slack=0)
    case.refresh_from_db()
    assert case.status == "closed" and case.amount_disbursed == case.amount_approved
    assert worker.problems == [] and approver.problems == []
