"""The default Word templates, built in code in the GB/T 9704 manner.

``guangong build_document_templates`` writes them to ``templates/documents/*.docx``, where the
package ships them; administrators may upload replacements (any .docx with the same Jinja
tags). What the layout follows: A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right;
the bulletin's name in red at the head, the issue number, the issuing unit and date, a red
rule; the title in 小标宋 22 pt; body text in 仿宋 16 pt (三号) with a two-character first-line
indent and fixed 28 pt line spacing; first-level headings in 黑体, second-level in 楷体; the
报/送/发 lines at the foot between rules.

Chinese fonts are set on the East Asian slot of every style (``w:eastAsia``): Word ignores the
Latin font name for Chinese characters, so ``Font.name`` alone would leave them in the
default font.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
RED = RGBColor(0xE6, 0x00, 0x12)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "documents"


def set_font(font, name: str, size: float | None = None, bold=None, color=None) -> None:
    """Latin and East Asian font together (and size, weight, colour)."""
    font.name = name
    rpr = (
        font.element.get_or_add_rPr()
        if hasattr(font, "element")
        else font._element.get_or_add_rPr()
    )
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def _style(
    doc,
    name: str,
    font: str,
    size: float,
    *,
    bold=False,
    color=None,
    align=None,
    indent=True,
    before=0,
    after=0,
):
    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = styles["Normal"]
    set_font(style.font, font, size, bold, color)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28 if size <= 16 else size * 1.4)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = Pt(size * 2) if indent else None
    if align is not None:
        fmt.alignment = align
    return style


def _rule(paragraph, color: str = "E60012", size: int = 12, where: str = "bottom") -> None:
    """A horizontal rule as the paragraph's border (the red line under the head)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{where}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    borders.append(edge)
    ppr.append(borders)


def _document():
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    set_font(normal.font, BODY_FONT, 16)
    _style(doc, "GG Body", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(doc, "GG Plain", BODY_FONT, 16, indent=False)
    _style(
        doc,
        "GG Title",
        TITLE_FONT,
        22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        before=12,
        after=12,
    )
    _style(doc, "GG Heading", HEADING_FONT, 16, indent=True)
    _style(doc, "GG Kai", KAI_FONT, 16, indent=True)
    _style(doc, "GG Foot", BODY_FONT, 14, indent=False)
    return doc


def _para(doc, text: str, style: str, align=None):
    p = doc.add_paragraph(text, style=style)
    if align is not None:
        p.alignment = align
    return p


def build_bulletin(path: Path) -> Path:
    doc = _document()
    head = doc.add_paragraph(style="GG Plain")
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("{{ name }}")
    set_font(run.font, TITLE_FONT, 30, color=RED)
    _para(
        doc,
        "第{{ issue_no }}期（总第{{ cumulative_no }}期）",
        "GG Plain",
        WD_ALIGN_PARAGRAPH.CENTER,
    )
    line = _para(doc, "{{ issued_by }}　　　　　　　　{{ date }}", "GG Plain")
    _rule(line, size=18)
    _para(doc, "{{ title }}", "GG Title")
    _sections(doc, activities=True)
    top = _para(doc, "报：{{ report_to }}", "GG Foot")
    _rule(top, color="000000", size=6, where="top")
    _para(doc, "送：{{ send_to }}", "GG Foot")
    bottom = _para(doc, "发：{{ issue_to }}", "GG Foot")
    _rule(bottom, color="000000", size=6)
    _para(doc, "{{ issued_by }}　　　　　　　　{{ date }}印发", "GG Foot")
    return _save(doc, path)


def build_summary(path: Path) -> Path:
    doc = _document()
    _para(doc, "{{ title }}", "GG Title")
    _para(doc, "{{ issued_by }}", "GG Plain", WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "（{{ date }}）", "GG Plain", WD_ALIGN_PARAGRAPH.CENTER)
    _sections(doc)
    return _save(doc, path)


def _loop(doc, over: str, body) -> None:
    """A template loop: ``{%p for <over> %}``, what ``body`` writes, ``{%p endfor %}``."""
    _para(doc, f"{{%p for {over} %}}", "GG Plain")
    body()
    _para(doc, "{%p endfor %}", "GG Plain")


def _sections(doc, *, activities: bool = False) -> None:
    """Each section: its heading, its paragraphs and (a bulletin's) its activities."""

    def section():
        _para(doc, "{{ s.heading }}", "GG Heading")
        _loop(doc, "text in s.paragraphs", lambda: _para(doc, "{{ text }}", "GG Body"))
        if activities:
            _loop(doc, "a in s.activities", activity)

    def activity():
        _para(doc, "{{ a.title }}（{{ a.date }}）", "GG Kai")
        _para(doc, "{{ a.summary }}", "GG Body")
        _para(doc, "{%p if a.photo %}", "GG Plain")
        _para(doc, "{{ a.photo }}", "GG Plain", WD_ALIGN_PARAGRAPH.CENTER)
        _para(doc, "{%p endif %}", "GG Plain")

    _loop(doc, "s in sections", section)


def _save(doc, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def build_all(directory: Path = TEMPLATE_DIR) -> list[Path]:
    return [
        build_bulletin(directory / "bulletin.docx"),
        build_summary(directory / "summary.docx"),
    ]
