"""Bulletins and summaries from fixture data, as .docx and as PDF, checked as printed."""

import datetime
import re
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from guangong.activities.models import Activity
from guangong.audit.models import AuditLog
from guangong.core.periods import Period
from guangong.core.tests.support import require_programs
from guangong.documents import services
from guangong.documents.models import GeneratedDocument
from guangong.stats import phrasing
from guangong.stats.figures import Figures

from .conftest import new_bulletin


@pytest.fixture
def poppler():
    require_programs("pdftotext", "pdftoppm", package="poppler-utils")


needs_poppler = pytest.mark.usefixtures("poppler")

YEAR = Period.year(2025)


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode())


def docx_text(path) -> str:
    return "".join(p.text for p in Document(path).paragraphs)


@pytest.fixture
def bulletin(year_of_work, city_admin):
    tree = year_of_work
    chosen = Activity.objects.filter(title="技术讲座0").get()
    return new_bulletin(
        city_admin,
        tree.county_a,
        datetime.date(2025, 12, 30),
        "伊宁市关工委扎实推进“五老”宣讲进企业",
        sections=[
            {
                "heading": "【工作动态】",
                "paragraphs": ["全市各级关工委深入企业开展宣讲。"],
                "activities": [chosen.pk],
            },
            {
                "heading": "【关工信息】",
                "paragraphs": phrasing.bulletin_paragraphs(Figures(tree.county_a, YEAR)),
            },
        ],
        report_to="州关工委",
        send_to="市委、市政府领导",
        issue_to="各乡镇（街道）关工委",
    )


def test_the_summary_draft_says_the_numbers_as_the_genre_does(year_of_work):
    draft = phrasing.draft_summary(Figures(year_of_work.county_a, YEAR))
    text = "".join(p for s in draft.sections for p in s.paragraphs)

    assert draft.figures["sessions"] == 87
    assert "开展活动62场次，参与青少年6200余人次" in text  # ideology: 6213 → 6200余
    assert "活动场次同比增长100%" in text  # 62 talks against 31 in 2024
    assert "开展活动25场次，参与青少年830余人次" in text  # 24 × 34 + 19 = 835
    assert "领导班子成员" in text
    assert "建立关爱帮扶个案1件" in text
    headings = [s.heading for s in draft.sections]
    assert headings[0].startswith("一、") and any("思想引领" in h for h in headings)


def test_bulletin_numbers_follow_on(bulletin, city_admin, year_of_work):
    assert (bulletin.year, bulletin.issue_no, bulletin.cumulative_no) == (2025, 1, 1)
    second = new_bulletin(city_admin, year_of_work.county_a, datetime.date(2026, 1, 5), "新年")
    assert (second.year, second.issue_no, second.cumulative_no) == (2026, 1, 2)


def test_the_docx_is_laid_out_with_east_asian_fonts(bulletin, city_admin, tmp_path):
    doc = services.generate(city_admin, "bulletin", bulletin, "docx")
    path = tmp_path / "b.docx"
    path.write_bytes(doc.file.read())
    word = Document(path)

    text = docx_text(path)
    assert "伊宁市关心下一代工作简报" in text
    assert "第1期（总第1期）" in text and "2025年12月30日" in text
    assert "技术讲座0（2025年3月10日）" in text
    assert "报：州关工委" in text and "{{" not in text and "{%" not in text
    body = word.styles["GG Body"]
    fonts = body.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.font.size.pt == 16
    assert word.styles["GG Title"].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert word.styles["GG Heading"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    section = word.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert GeneratedDocument.objects.filter(bulletin=bulletin, format="docx").count() == 1
    assert AuditLog.objects.filter(action="export", object_id=str(bulletin.pk)).exists()


@needs_poppler
def test_the_pdf_prints_the_numbers_with_embedded_cjk_fonts(
    bulletin, city_admin, tmp_path, year_of_work
):
    doc = services.generate(city_admin, "bulletin", bulletin, "pdf")
    path = tmp_path / "b.pdf"
    path.write_bytes(doc.file.read())

    text = pdf_text(path)
    assert "伊宁市关心下一代工作简报" in text
    assert "共开展各类活动" in text and "6200余人次" not in text  # county total, not the talks
    assert "87场次" in text  # 62 talks + 25 lectures
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    assert "CJK" in fonts and "yes" in fonts  # embedded (subset) CJK fonts
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 5000


@needs_poppler
def test_the_summary_pdf(year_of_work, city_admin, tmp_path):
    summary = services.create_summary(city_admin, year_of_work.county_a, YEAR)
    doc = services.generate(city_admin, "summary", summary, "pdf")
    path = tmp_path / "s.pdf"
    path.write_bytes(doc.file.read())
    text = pdf_text(path)
    assert summary.title in text
    assert "6200余人次" in text and "同比增长100%" in text
