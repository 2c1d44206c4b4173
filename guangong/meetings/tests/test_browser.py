"""Holding a 联席会议 and assigning an action item to a member unit, on a 360 px phone.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS.
"""

from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from playwright.sync_api import expect

from guangong.core.tests.browser import PHONE, assert_fits, log_in, seed

from ..models import ActionItem, Meeting, MeetingStatus
from .conftest import make_unit

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


def test_hold_a_joint_meeting_and_assign_an_item_to_a_member_unit(
    new_page, tree, a_admin, screenshots: Path
):
    seed()
    editor = SimpleNamespace(connection=connection)
    import_module("guangong.dicts.migrations.0003_member_unit_and_meeting_kinds").seed(apps, editor)
    unit = make_unit(a_admin, tree.county_a, label="国资委", name="伊宁市国资委")
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, a_admin)

    page.goto("/meetings/new/")
    page.get_by_label("会议类型").select_option(label="联席会议")
    page.get_by_label("标题").fill("企业关工委建设联席会议")
    page.get_by_label("日期").fill("2026-03-10")
    page.get_by_label("地点").fill("市委党校")
    page.get_by_label("参会成员单位").select_option(label=unit.name)
    assert_fits(page, "the meeting form")
    page.screenshot(path=screenshots / "meeting-form-360.png", full_page=True)
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("meeting-status")).to_have_text("计划召开")
    page.get_by_test_id("hold-form").get_by_label("参会人数").fill("45")
    page.get_by_test_id("hold-form").get_by_role("button").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("已召开")
    expect(page.get_by_test_id("attending-units")).to_have_text(unit.name)

    page.get_by_test_id("decision-add").click()
    page.get_by_label("议定事项").fill("建立联席会议制度，共同研究企业关工委建设中的重大问题")
    page.get_by_role("button", name="保存").click()

    page.get_by_test_id("item-add").click()
    page.get_by_label("督办事项").fill("牵头制定国有企业关工委组建方案")
    page.get_by_label("责任成员单位").select_option(label=unit.name)
    page.get_by_label("责任人").fill("王建国")
    page.get_by_label("完成时限").fill("2026-02-01")  # before the meeting: refused
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("须晚于")
    page.get_by_label("完成时限").fill("2026-05-31")
    assert_fits(page, "the action item form")
    page.screenshot(path=screenshots / "action-item-form-360.png", full_page=True)
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("decisions")).to_contain_text("牵头制定国有企业关工委组建方案")
    assert_fits(page, "the meeting page")
    page.screenshot(path=screenshots / "meeting-detail-360.png", full_page=True)
    meeting = Meeting.objects.get()
    item = ActionItem.objects.get()
    assert meeting.status == MeetingStatus.HELD and meeting.head_count == 45
    assert (item.owner_unit, item.meeting, item.responsible) == (unit, meeting, "王建国")
    # The refused due date answered 400, as a refused form does; nothing else went wrong.
    assert [p for p in page.problems if "status of 400" not in p] == []
