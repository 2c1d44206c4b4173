"""The document pages in a real browser: editing a summary on a phone, the activity picker.

Run with ``pytest -m browser``; screenshots land in $GUANGONG_SCREENSHOTS (default
<tmp>/guangong).
"""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from guangong.activities.tests.conftest import record as record_activity
from guangong.core.periods import Period
from guangong.core.tests.browser import PHONE, assert_fits, log_in
from guangong.documents import services
from guangong.documents.models import Bulletin, WorkSummary

pytest_plugins = ["guangong.core.tests.browser"]
pytestmark = pytest.mark.browser


def test_editing_a_summary_paragraph_on_a_phone(new_page, tree, a_admin, screenshots: Path):
    summary = services.create_summary(a_admin, tree.county_a, Period.year(2025))
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, a_admin)
    page.goto(f"/documents/summaries/{summary.pk}/edit/")
    assert_fits(page, "the summary editor")

    first = page.get_by_test_id("paragraph").first
    first.fill("经过一年努力，全市关工委组织建设取得新成效。")
    page.get_by_test_id("add-paragraph").first.click()  # the page comes back with the edit kept
    expect(page.get_by_test_id("paragraph").first).to_have_value(
        "经过一年努力，全市关工委组织建设取得新成效。"
    )
    assert_fits(page, "the summary editor after adding a paragraph")
    page.screenshot(path=screenshots / "documents-summary-phone.png", full_page=True)
    page.get_by_test_id("save").click()

    expect(page).to_have_url(re.compile(rf"/documents/summaries/{summary.pk}/$"))
    expect(page.get_by_test_id("summary-text")).to_contain_text("组织建设取得新成效")
    assert_fits(page, "the summary page")
    summary = WorkSummary.objects.get(pk=summary.pk)
    assert summary.sections[0]["paragraphs"][0] == "经过一年努力，全市关工委组织建设取得新成效。"
    assert page.problems == []


def test_choosing_an_activity_for_a_bulletin(
    page: Page, seeded_activity_types, tree, a_admin, b_admin, types, screenshots: Path
):
    mine = record_activity(
        a_admin, tree.township, types["talk"], day=datetime.date(2025, 5, 4), title="青年宣讲会"
    )
    record_activity(b_admin, tree.county_b, types["talk"], title="奎屯市宣讲会")
    log_in(page, a_admin)
    page.get_by_test_id("nav-documents").click()
    page.get_by_test_id("bulletin-add").click()
    page.get_by_label("标题", exact=True).fill("五四青年节专题简报")
    section = page.get_by_test_id("section").first
    section.get_by_test_id("paragraph").first.fill("各地开展五四主题活动。")
    section.get_by_test_id("activity-search").fill("宣讲")
    options = section.get_by_test_id("activity-select").locator("option")
    expect(options).to_have_text(["2025-05-04 青年宣讲会"])
    section.get_by_test_id("activity-select").select_option(str(mine.pk))
    page.screenshot(path=screenshots / "documents-bulletin-form.png", full_page=True)
    page.get_by_test_id("save").first.click()

    expect(page.get_by_test_id("bulletin-text")).to_contain_text("青年宣讲会")
    bulletin = Bulletin.objects.get()
    assert bulletin.sections[0]["activities"] == [mine.pk]
    page.screenshot(path=screenshots / "documents-bulletin.png", full_page=True)
    # Issuing asks once more, then locks the bulletin.
    expect(page.get_by_test_id("bulletin-issue")).to_be_hidden()
    page.get_by_test_id("bulletin-issue-ask").click()
    page.get_by_test_id("bulletin-issue").click()
    expect(page.get_by_test_id("status")).to_have_text("已签发")
    expect(page.get_by_test_id("bulletin-edit")).to_have_count(0)
    # Word in the background: the job's page ends with the download.
    page.get_by_test_id("generate-docx").click()
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-status", "succeeded")
    with page.expect_download() as download:
        page.get_by_test_id("document-download").click()
    assert download.value.suggested_filename.endswith(".docx")
    page.screenshot(path=screenshots / "documents-job.png", full_page=True)
    for url in ("/documents/", "/documents/summaries/", "/documents/files/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert page.problems == []
