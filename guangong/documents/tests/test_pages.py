"""The bulletin and summary pages: scope, the editor, issuing, drafting, generation (templates:
``test_templates``)."""

import datetime
import io
import re
import subprocess

import pytest

from guangong.activities.models import Activity
from guangong.activities.tests.conftest import record as record_activity
from guangong.audit.models import AuditLog
from guangong.core.tests.support import require_programs
from guangong.documents import services
from guangong.documents.models import (
    Bulletin,
    DocumentStatus,
    GeneratedDocument,
    WorkSummary,
)
from guangong.jobs.models import Job, Status

from .conftest import body, docx_text, new_bulletin


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode())


@pytest.fixture
def a_bulletin(tree, a_admin):
    return new_bulletin(
        a_admin,
        tree.county_a,
        datetime.date(2025, 6, 30),
        "伊宁市关工委夏季工作简讯",
        sections=[{"heading": "【工作动态】", "paragraphs": ["伊宁市开展暑期关爱活动。"]}],
    )


def draft_summary(client, org, start, end):
    """Post the new-summary page for a range of dates."""
    return client.post(
        "/documents/summaries/new/",
        {"organization": org.pk, "period": "range", "start": start, "end": end},
    )


def editor_post(bulletin_fields: dict, sections: list[dict], op="save", **extra) -> dict:
    data = {"op": op, "sections": str(len(sections)), **bulletin_fields, **extra}
    for i, section in enumerate(sections):
        data[f"s{i}-heading"] = section.get("heading", "")
        data[f"s{i}-p"] = section.get("paragraphs", [])
        data[f"s{i}-act"] = [str(a) for a in section.get("activities", [])]
    return data


# --- Scope ----------------------------------------------------------------------------------


def test_out_of_scope_generation_starts_no_job(client_for, a_bulletin, a_summary, b_admin):
    """The scope walk (core/tests/test_scope_walk.py) covers every page; a job is not a row
    it compares."""
    client = client_for(b_admin)
    for url in (
        f"/documents/bulletin/{a_bulletin.pk}/generate/pdf/",
        f"/documents/summary/{a_summary.pk}/generate/docx/",
    ):
        assert client.post(url).status_code == 404, url
    assert not Job.objects.filter(user=b_admin).exists()


# --- Bulletins ------------------------------------------------------------------------------


FIELDS = {
    "organization": "",
    "name": "",
    "issue_no": "",
    "cumulative_no": "",
    "date": "2025-12-30",
    "title": "伊宁市关工委扎实推进“五老”宣讲进企业",
    "report_to": "州关工委",
    "send_to": "市委、市政府领导",
    "issue_to": "各乡镇（街道）关工委",
}


def test_create_edit_reorder_and_issue_a_bulletin_through_the_pages(
    client_for, tree, a_admin, a_bulletin
):
    client = client_for(a_admin)
    page = client.get(f"/documents/bulletins/new/?org={tree.county_a.pk}").content.decode()
    # Proposed: the first issue of this year, one after the last cumulative number.
    assert 'name="issue_no" value="1"' in page and 'name="cumulative_no" value="2"' in page
    assert "【基层经验】" in page

    fields = {**FIELDS, "organization": tree.county_a.pk, "issue_no": 2, "cumulative_no": 2}
    sections = [
        {"heading": "【工作动态】", "paragraphs": ["第一段。", "第二段。"]},
        {"heading": "【基层经验】", "paragraphs": ["墩买里街道的做法。"]},
    ]
    # A structural edit shows the page again, unsaved.
    response = client.post("/documents/bulletins/new/", editor_post(fields, sections, "up:1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("墩买里街道的做法。") < page.index("第一段。")
    assert Bulletin.objects.count() == 1

    response = client.post("/documents/bulletins/new/", editor_post(fields, sections))
    bulletin = Bulletin.objects.exclude(pk=a_bulletin.pk).get()
    assert response.status_code == 302 and response.url == bulletin.get_absolute_url()
    assert (bulletin.issue_no, bulletin.cumulative_no, bulletin.year) == (2, 2, 2025)
    assert bulletin.name == "伊宁市关心下一代工作简报"
    assert [s["heading"] for s in bulletin.sections] == ["【工作动态】", "【基层经验】"]
    assert bulletin.sections[0]["paragraphs"] == ["第一段。", "第二段。"]
    assert AuditLog.objects.filter(action="create", object_id=str(bulletin.pk)).exists()

    # Edit: a paragraph changed, the sections swapped, one paragraph removed.
    edited = [
        {"heading": "【基层经验】", "paragraphs": ["墩买里街道的新做法。"]},
        {"heading": "【工作动态】", "paragraphs": ["第一段。"]},
    ]
    edit_url = f"/documents/bulletins/{bulletin.pk}/edit/"
    response = client.post(edit_url, editor_post({**fields, "title": "新标题"}, edited))
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.title == "新标题"
    assert bulletin.sections[0]["paragraphs"] == ["墩买里街道的新做法。"]
    assert bulletin.issue_no == 2  # the numbers of a saved bulletin stay
    assert AuditLog.objects.filter(action="update", object_id=str(bulletin.pk)).count() == 1

    response = client.post(f"/documents/bulletins/{bulletin.pk}/issue/")
    bulletin.refresh_from_db()
    assert bulletin.status == DocumentStatus.ISSUED
    assert AuditLog.objects.filter(action="update", object_id=str(bulletin.pk)).count() == 2

    # Issued: locked against editing and deleting.
    assert client.get(edit_url).status_code == 302
    client.post(edit_url, editor_post({**fields, "title": "再改"}, edited))
    client.post(f"/documents/bulletins/{bulletin.pk}/delete/")
    bulletin.refresh_from_db()
    assert bulletin.title == "新标题"
    detail = client.get(bulletin.get_absolute_url()).content.decode()
    assert "已签发" in detail and f"/documents/bulletins/{bulletin.pk}/edit/" not in detail

    # A draft can be deleted.
    client.post(f"/documents/bulletins/{a_bulletin.pk}/delete/")
    assert not Bulletin.objects.filter(pk=a_bulletin.pk).exists()
    assert AuditLog.objects.filter(action="delete", object_id=str(a_bulletin.pk)).exists()


def test_bad_bulletins_are_refused_in_chinese_and_nothing_saved(
    client_for,
    tree,
    a_admin,
    b_admin,
    a_bulletin,
    types,
):
    client = client_for(a_admin)
    fields = {**FIELDS, "organization": tree.county_a.pk}
    sections = [{"heading": "【工作动态】", "paragraphs": ["一段。"]}]
    cases = [
        ({**fields, "title": ""}, sections, "该字段是必填项"),
        ({**fields, "issue_no": 1, "cumulative_no": 5}, sections, "期号 的 工作简报 已经存在"),
        ({**fields, "issue_no": 3}, sections, "期号和总期号"),
        ({**fields, "organization": tree.county_b.pk}, sections, "请选择您权限范围内的组织"),
    ]
    elsewhere = record_activity(b_admin, tree.county_b, types["talk"], title="奎屯宣讲")
    outside = [{**sections[0], "activities": [elsewhere.pk]}]
    cases.append((fields, outside, "请在您的范围内选择活动"))
    for data, secs, message in cases:
        response = client.post("/documents/bulletins/new/", editor_post(data, secs))
        assert response.status_code == 400
        assert message in response.content.decode(), message
    assert list(Bulletin.objects.all()) == [a_bulletin]


def test_the_activity_picker_offers_activities_in_scope(client_for, tree, a_admin, b_admin, types):
    mine = record_activity(a_admin, tree.township, types["talk"], title="街道宣讲会")
    record_activity(b_admin, tree.county_b, types["talk"], title="奎屯宣讲会")
    client = client_for(a_admin)
    page = client.get("/documents/activities/choices/", {"q": "宣讲"}).content.decode()
    assert "街道宣讲会" in page and "奎屯宣讲会" not in page
    kept = client.get(
        "/documents/activities/choices/", {"q": "无此活动", "keep": "s0-act", "s0-act": mine.pk}
    ).content.decode()
    assert f'value="{mine.pk}" selected' in kept


def test_statistics_paragraphs_are_inserted_into_a_section(client_for, year_of_work, city_admin):
    tree = year_of_work
    chosen = Activity.objects.get(title="技术讲座0")
    fields = {**FIELDS, "organization": tree.county_a.pk}
    sections = [
        {"heading": "【工作动态】", "paragraphs": ["已写的一段。"], "activities": [chosen.pk]},
        {"heading": "", "paragraphs": [""]},
    ]
    data = editor_post(
        fields,
        sections,
        "stats:1",
        **{"stats-period": "range", "stats-start": "2025-01-01", "stats-end": "2025-12-31"},
    )
    client = client_for(city_admin)
    page = client.post("/documents/bulletins/new/", data).content.decode()
    assert "共开展各类活动87场次" in page
    assert 'value="【关工信息】"' in page
    assert f'<option value="{chosen.pk}" selected>2025-03-10 技术讲座0</option>' in page
    assert not Bulletin.objects.exists()

    # The section keeps what its figures counted; saved, the bulletin links them to the list
    # of those activities, which counts the same 87.
    source = re.search(r'name="s1-source" value="([^"]+)"', page).group(1)
    assert source == f"{tree.county_a.pk},2025-01-01,2025-12-31"
    saved = editor_post(fields, sections, "save", **{"s1-source": source})
    saved["s1-p"] = re.findall(r'name="s1-p"[^>]*>([^<]*)<', page)
    client.post("/documents/bulletins/new/", saved)
    bulletin = Bulletin.objects.get()
    assert bulletin.sections[1]["source"] == {
        "org": tree.county_a.pk,
        "from": "2025-01-01",
        "to": "2025-12-31",
    }
    shown = client.get(bulletin.get_absolute_url()).content.decode()
    url = re.search(r'href="([^"]+)" data-testid="section-records"', shown).group(1)
    assert client.get(url.replace("&amp;", "&")).context["totals"]["sessions"] == 87
    bulletin.delete()

    data["stats-end"] = "2024-01-01"  # before the start
    page = client.post("/documents/bulletins/new/", data).content.decode()
    assert "结束日期不能早于开始日期" in page


# --- Summaries ------------------------------------------------------------------------------


def test_draft_a_summary_through_the_page_and_edit_it(client_for, year_of_work, a_admin):
    tree = year_of_work
    client = client_for(a_admin)
    response = draft_summary(client, tree.county_a, "2025-01-01", "2025-12-31")
    summary = WorkSummary.objects.get()
    assert response.status_code == 302
    assert response.url == f"/documents/summaries/{summary.pk}/edit/"
    page = client.get(response.url).content.decode()
    assert "6200余人次" in page  # the draft's words
    assert 'data-testid="figures"' in page and "87" in page  # the figures beside it
    # ... each opening the records behind it, which add up to the same number.
    links = dict(re.findall(r'<th scope="row"[^>]*>([^<]+)</th><td[^>]*><a href="([^"]+)"', page))
    ledger = client.get(links["活动场次"].replace("&amp;", "&"))
    totals = ledger.context["totals"]
    assert str(totals["sessions"]) == summary.figures["sessions"] == "87"
    assert str(totals["participants"]) == str(summary.figures["participants"])

    sections = summary.sections
    posted = {"title": "伊宁市关工委2025年工作总结（修改稿）", "sections": str(len(sections))}
    for i, section in enumerate(sections):
        posted[f"s{i}-heading"] = section["heading"]
        posted[f"s{i}-p"] = section["paragraphs"]
    posted["s0-p"] = [*sections[0]["paragraphs"], "新增一段：组织建设再上台阶。"]
    # "Add a paragraph" shows one more empty box, unsaved.
    page = client.post(summary.get_absolute_url() + "edit/", {**posted, "op": "add-paragraph:1"})
    assert page.content.decode().count('name="s1-p"') == len(sections[1]["paragraphs"]) + 1
    assert WorkSummary.objects.get().title == summary.title

    response = client.post(summary.get_absolute_url() + "edit/", {**posted, "op": "save"})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.title == "伊宁市关工委2025年工作总结（修改稿）"
    assert summary.sections[0]["paragraphs"][-1] == "新增一段：组织建设再上台阶。"
    assert AuditLog.objects.filter(action="update", object_id=str(summary.pk)).exists()

    # Removing a paragraph.
    posted["s0-p"] = sections[0]["paragraphs"][1:]
    client.post(summary.get_absolute_url() + "edit/", {**posted, "op": "save"})
    summary.refresh_from_db()
    assert summary.sections[0]["paragraphs"] == sections[0]["paragraphs"][1:]


def test_bad_summaries_are_refused_in_chinese(client_for, tree, a_admin, a_summary):
    client = client_for(a_admin)
    response = draft_summary(client, tree.county_a, "2025-12-01", "2025-01-01")
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    response = client.post(
        "/documents/summaries/new/", {"organization": tree.county_b.pk, "period": "year"}
    )
    assert "请选择您权限范围内的组织" in response.content.decode()
    assert WorkSummary.objects.count() == 1

    url = f"/documents/summaries/{a_summary.pk}/edit/"
    response = client.post(url, {"op": "save", "title": " ", "sections": "0"})
    assert response.status_code == 400
    assert "请为总结填写标题" in response.content.decode()
    a_summary.refresh_from_db()
    assert a_summary.title and a_summary.sections


# --- Generation -----------------------------------------------------------------------------


def test_generation_jobs_produce_word_and_pdf_with_the_edited_text(
    client_for, a_summary, a_admin, tmp_path
):
    require_programs("pdftotext", package="poppler-utils")
    client = client_for(a_admin)
    sections = [
        {"heading": "一、总体情况", "paragraphs": ["今年关工委工作取得新进展，编辑后的段落。"]}
    ]
    services.save_summary(a_admin, a_summary, title="伊宁市关工委工作总结", sections=sections)

    texts = {}
    for fmt in ("docx", "pdf"):
        response = client.post(f"/documents/summary/{a_summary.pk}/generate/{fmt}/")
        job = Job.objects.filter(kind="document:summary").latest("created_at")
        assert response.url == job.get_absolute_url()
        assert job.status == Status.SUCCEEDED, job.message
        page = client.get(job.get_absolute_url()).content.decode()
        doc = GeneratedDocument.objects.get(summary=a_summary, format=fmt)
        download = f"/documents/files/{doc.pk}/download/"
        assert download in page and "生成" in page
        response = client.get(download)
        assert response.status_code == 200
        content = body(response)
        texts[fmt] = docx_text(content) if fmt == "docx" else pdf_text(content, tmp_path)

    for text in texts.values():
        assert "今年关工委工作取得新进展，编辑后的段落。" in text
        assert "伊宁市关工委工作总结" in text
    exports = AuditLog.objects.filter(action="export", object_id=str(a_summary.pk))
    assert exports.count() == 4  # two generated, two downloaded
    detail = client.get(a_summary.get_absolute_url()).content.decode()
    assert detail.count("/download/") == 2  # the history of files
    listing = client.get("/documents/files/").content.decode()
    assert "伊宁市关工委工作总结" in listing


def test_a_bulletin_job_fails_plainly_when_the_bulletin_is_gone(client_for, a_bulletin, a_admin):
    client = client_for(a_admin)
    from guangong.documents.jobs import start_generation

    Bulletin.objects.filter(pk=a_bulletin.pk).delete()
    job = start_generation(a_admin, "bulletin", a_bulletin, "docx")
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "不存在" in client.get(job.get_absolute_url()).content.decode()
    assert not GeneratedDocument.objects.exists()


def test_the_section_editor_moves_and_removes_only_what_exists():
    from guangong.documents import editor

    sections = [
        {"heading": "甲", "paragraphs": ["一", "二"], "activities": []},
        {"heading": "乙", "paragraphs": ["三"], "activities": []},
    ]
    editor.apply(editor.parse_op("up:0"), sections)  # the first cannot move up
    editor.apply(editor.parse_op("down:1"), sections)  # the last cannot move down
    editor.apply(editor.parse_op("remove-paragraph:0:9"), sections)
    editor.apply(editor.parse_op("remove-section:7"), sections)
    assert [s["heading"] for s in sections] == ["甲", "乙"]
    assert sections[0]["paragraphs"] == ["一", "二"]
    editor.apply(editor.parse_op("remove-paragraph:0:0"), sections)
    editor.apply(editor.parse_op("down:0"), sections)
    assert [s["heading"] for s in sections] == ["乙", "甲"]
    assert sections[1]["paragraphs"] == ["二"]
    for _ in range(30):
        editor.apply(editor.parse_op("add-section"), sections)
    assert len(sections) == services.MAX_SECTIONS


def test_a_viewer_reads_but_does_not_edit(client_for, a_viewer, a_bulletin):
    client = client_for(a_viewer)
    page = client.get(a_bulletin.get_absolute_url()).content.decode()
    assert "伊宁市开展暑期关爱活动。" in page and "bulletin-edit" not in page
    assert client.get(f"/documents/bulletins/{a_bulletin.pk}/edit/").status_code == 403
    assert client.post(f"/documents/bulletins/{a_bulletin.pk}/issue/").status_code == 403
    assert client.get("/documents/summaries/new/").status_code == 403
    a_bulletin.refresh_from_db()
    assert a_bulletin.status == DocumentStatus.DRAFT


def test_the_lists_export_what_they_show(client_for, city_admin, a_admin, a_bulletin, a_summary):
    from openpyxl import load_workbook

    services.generate(a_admin, "bulletin", a_bulletin, "docx")
    client = client_for(city_admin)
    expected = {
        "/documents/": "伊宁市关工委夏季工作简讯",
        "/documents/summaries/": a_summary.title,
        "/documents/files/": str(a_bulletin),
    }
    for url, text in expected.items():
        response = client.get(url, {"export": "xlsx"})
        assert response.status_code == 200, url
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [str(c.value) for row in sheet.iter_rows() for c in row]
        assert text in cells, url
