"""The report pages in a real browser: filling and submitting a report on a 360 px phone, and
the form editor's parameter list following the metric (htmx, no inline script)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from guangong.core.tests.browser import PHONE, log_in
from guangong.dicts.models import DictItem, DictKind
from guangong.reporting.models import Report, ReportStatus, ReportValue

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


def log_in_on_phone(page: Page, user) -> None:
    """Log in where the navigation (and the current user in it) is folded behind 菜单."""
    log_in(page, user)
    expect(page.get_by_role("button", name="菜单")).to_be_visible()


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_clerk_fills_and_submits_a_report_on_a_phone(
    new_page, form, tree, t_clerk, screenshots: Path
):
    page = new_page(viewport=PHONE)
    log_in_on_phone(page, t_clerk)
    notice = page.get_by_test_id("report-notice").first
    expect(notice).to_contain_text("关工委工作季报")
    notice.click()
    page.get_by_test_id("open-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("草稿")
    assert no_sideways_scroll(page)

    page.get_by_label(re.compile("走访慰问户数")).fill("abc")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("error-B1")).to_contain_text("请输入数字")
    assert not ReportValue.objects.filter(item__code="B1", value__isnull=False).exists()

    page.get_by_label(re.compile("走访慰问户数")).fill("12")
    page.get_by_label(re.compile("发放慰问金")).fill("3600.5")
    page.get_by_label(re.compile("典型经验")).fill("五老进校园宣讲")
    page.screenshot(path=screenshots / "reporting-report-phone.png", full_page=True)
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("report-status")).to_have_text("已提交")
    expect(page.get_by_test_id("value-B1")).to_have_text("12")
    expect(page.get_by_test_id("history")).to_contain_text("提交")
    assert no_sideways_scroll(page)
    report = Report.objects.get(organization=tree.township)
    assert report.status == ReportStatus.SUBMITTED
    assert ReportValue.objects.get(report=report, item__code="B2").value == 3600.5
    page.goto("/reports/")
    assert no_sideways_scroll(page)
    # the refused save answers 400 on purpose; nothing else may go wrong
    assert [p for p in page.problems if "status of 400" not in p] == []
    assert len(page.problems) == 1


def test_the_county_approves_on_a_phone(new_page, form, tree, t_clerk, a_admin, screenshots: Path):
    from guangong.reporting.services import filing

    from .conftest import Q1

    report = filing.open_report(t_clerk, form, tree.township, Q1)
    filing.save_values(t_clerk, report, {"B1": "9"})
    filing.submit(t_clerk, report)
    page = new_page(viewport=PHONE)
    log_in_on_phone(page, a_admin)
    page.goto(f"/reports/forms/{form.pk}/collect/?org={tree.county_a.pk}&period={Q1}")
    child = page.get_by_test_id(f"child-{tree.township.pk}")
    expect(child.get_by_test_id("child-status")).to_have_text("已提交")
    expect(page.get_by_test_id("approve-ticked")).to_have_text("批量审核通过")
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshots / "reporting-collect-phone.png", full_page=True)
    child.get_by_test_id("approve").click()
    expect(child.get_by_test_id("child-status")).to_have_text("已审核")
    expect(page.get_by_test_id("total-B1")).to_contain_text("9")
    assert no_sideways_scroll(page)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    assert page.problems == []


def test_the_parameter_list_follows_the_metric(page: Page, form, city_admin):
    kind = DictItem.objects.get_or_create(kind=DictKind.CASE_KIND, label="助学")[0]
    log_in(page, city_admin)
    section = form.sections.get()
    page.goto(f"/reports/forms/{form.pk}/items/new/?section={section.pk}")
    page.get_by_test_id("metric").select_option("cases")
    expect(page.get_by_test_id("metric-param").locator("option")).to_contain_text(
        [kind.label], timeout=5000
    )
    page.get_by_test_id("metric").select_option("committees")
    expect(page.get_by_test_id("metric-param")).to_contain_text("已建立（含巩固提升）")
    assert page.problems == []
