"""Notices and information items in a real browser: issuing a notice and seeing who has not
read it; adopting a township's item and putting it into a bulletin, on a phone.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS.
"""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from guangong.core.tests.browser import PHONE, assert_fits, log_in
from guangong.documents.models import Bulletin
from guangong.documents.services import save_bulletin
from guangong.notices.models import Notice, Receipt
from guangong.notices.services import notices as notice_services

from .conftest import make_item

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


def test_issue_a_notice_and_see_who_has_not_read_it(
    new_page, tree, city_admin, a_admin, screenshots: Path
):
    page = new_page()
    log_in(page, city_admin)
    page.goto(f"/notices/new/?org={tree.city.pk}")
    page.get_by_label("发文字号前缀").fill("鸡关联字")
    page.get_by_label("标题").fill("关于加强关工委建设的通知")
    page.locator("#id_body").fill("各县市关工委：请按九个方面要求加强建设。")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("issue").click()
    notice = Notice.objects.get()
    year = notice.year
    expect(page.get_by_test_id("tally")).to_contain_text("2")
    assert notice.doc_number == f"鸡关联字〔{year}〕1号"

    # County A opens it; county B does not.
    notice_services.read_on_open(a_admin, notice)
    assert Receipt.objects.get(organization=tree.county_a).read_at is not None
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, city_admin)
    phone.goto(f"/notices/{notice.pk}/receipts/?state=unread")
    rows = phone.get_by_test_id("receipt-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(tree.county_b.name)
    assert_fits(phone, "the receipts page")
    phone.screenshot(path=screenshots / "notice-receipts-360.png", full_page=True)
    phone.get_by_test_id("remind-open").click()
    phone.get_by_test_id("remind").click()
    expect(phone.locator("body")).to_contain_text("已催办1个组织")
    assert Receipt.objects.get(organization=tree.county_b).reminders_sent == 1
    assert page.problems == [] and phone.problems == []


def test_adopt_a_township_item_into_a_bulletin_on_a_phone(
    new_page, tree, city_admin, a_admin, screenshots: Path
):
    item = make_item(city_admin, tree.township)
    bulletin = save_bulletin(
        a_admin,
        Bulletin(organization=tree.county_a, date=datetime.date(2026, 6, 30), title="伊宁简讯"),
    )
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, a_admin)
    page.goto(item.get_absolute_url())
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("status")).to_have_text("已采用")
    page.get_by_test_id("to-bulletin-button").click()
    expect(page.get_by_test_id("bulletin")).to_contain_text("伊宁")
    assert_fits(page, "the item page")
    page.screenshot(path=screenshots / "item-bulletin-360.png", full_page=True)
    bulletin.refresh_from_db()
    assert any(item.title in p for s in bulletin.sections for p in s["paragraphs"])
    assert page.problems == []
