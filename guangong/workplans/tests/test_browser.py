"""County A adopts the city's work points and reports progress on a task, on a 360 px phone;
the city's task then shows county A's progress.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from guangong.core.tests.browser import PHONE, assert_fits, log_in

from ..models import TaskStatus, WorkPlan

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


def test_adopt_the_citys_plan_and_report_progress_on_a_phone(
    seeded_activity_types, new_page, tree, a_admin, city_admin, city_plan, screenshots: Path
):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, a_admin)
    page.goto("/workplans/")
    page.get_by_role("link", name=city_plan.title).click()
    expect(page.get_by_test_id("plan-sections")).to_contain_text("一、加强思想建设")
    assert_fits(page, "the city's plan")
    page.screenshot(path=screenshots / "workplan-city-360.png", full_page=True)

    page.get_by_test_id("adopt").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("草稿")
    expect(page.get_by_test_id("plan-sections")).to_contain_text("组织五老宣讲不少于60场次")
    assert_fits(page, "the adopted plan")
    page.screenshot(path=screenshots / "workplan-adopted-360.png", full_page=True)

    page.get_by_role("link", name="1. 组织五老宣讲不少于60场次").click()
    form = page.get_by_test_id("progress-form")
    form.get_by_label("状态").select_option(label="推进中")
    form.get_by_label("完成百分比").fill("40")
    form.get_by_label("进度", exact=True).fill("已组织“五老”进校园宣讲12场")
    form.get_by_role("button", name="报告进展").click()
    expect(page.get_by_test_id("reports")).to_contain_text("已组织“五老”进校园宣讲12场")
    expect(page.get_by_test_id("task-status")).to_contain_text("推进中 40%")
    assert_fits(page, "the task page")
    page.screenshot(path=screenshots / "workplan-task-360.png", full_page=True)

    mine = WorkPlan.objects.get(organization=tree.county_a)
    task = mine.tasks.get(section=1, number=1)
    assert (task.status, task.percent) == (TaskStatus.IN_PROGRESS, 40)

    city = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(city, city_admin)
    city.goto(task.source.get_absolute_url())
    expect(city.get_by_test_id("rollup")).to_contain_text(tree.county_a.name)
    expect(city.get_by_test_id("rollup")).to_contain_text("推进中 40%")
    assert_fits(city, "the city's task with the roll-up")
    city.screenshot(path=screenshots / "workplan-rollup-360.png", full_page=True)
    # The overview of the year's tasks, on a desktop.
    desk = new_page()
    log_in(desk, city_admin)
    desk.goto(f"/workplans/{city_plan.pk}/overview/")
    expect(desk.get_by_test_id("overview-total")).to_contain_text("4")
    desk.screenshot(path=screenshots / "workplan-overview-1280.png", full_page=True)
    desk.goto(city_plan.get_absolute_url())
    desk.screenshot(path=screenshots / "workplan-city-1280.png", full_page=True)
    assert page.problems == [] and city.problems == [] and desk.problems == []
