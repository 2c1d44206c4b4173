"""Bulletins and summaries as .docx (docxtpl, from a replaceable template) and as PDF
(WeasyPrint, embedding subsets of the CJK fonts installed: Noto CJK from Debian's
fonts-noto-cjk stands in where the official 仿宋/小标宋/黑体/楷体 are not installed)."""

import datetime
import io
from pathlib import Path

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from guangong.activities.models import Activity, ActivityAttachment

from .docx_layout import TEMPLATE_DIR
from .models import Bulletin, DocumentKind, DocumentTemplate, WorkSummary


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def committee_name(org) -> str:
    """“伊宁市关工委”: the committee of an organisation, as documents sign."""
    name = org.name
    return name if name.endswith("关工委") else f"{name}关工委"


def template_file(kind: str):
    """The newest active uploaded template of ``kind``, else the one shipped with Guangong."""
    uploaded = DocumentTemplate.objects.filter(kind=kind, active=True).first()
    if uploaded is not None:
        return uploaded.file.open("rb")
    return (TEMPLATE_DIR / f"{kind}.docx").open("rb")


def _photo(activity: Activity):
    return (
        ActivityAttachment.objects.filter(activity=activity, kind=ActivityAttachment.Kind.PHOTO)
        .order_by("pk")
        .first()
    )


def bulletin_context(bulletin: Bulletin, for_docx: DocxTemplate | None = None) -> dict:
    sections = []
    for raw in bulletin.sections:
        ids = [int(i) for i in raw.get("activities", [])]
        found = {
            a.pk: a
            for a in Activity.objects.filter(
                pk__in=ids, organization__path__startswith=bulletin.organization.path
            )
        }
        activities = []
        for pk in ids:
            activity = found.get(pk)
            if activity is None:
                continue
            photo = _photo(activity)
            entry = {
                "title": activity.title,
                "date": chinese_date(activity.date),
                "summary": activity.summary,
                "photo": None,
                "photo_path": "",
            }
            if photo is not None and default_storage.exists(photo.file.name):
                path = default_storage.path(photo.file.name)
                entry["photo_path"] = Path(path).as_uri()
                if for_docx is not None:
                    entry["photo"] = InlineImage(for_docx, path, width=Mm(120))
            activities.append(entry)
        sections.append(
            {
                "heading": raw.get("heading", ""),
                "paragraphs": [p for p in raw.get("paragraphs", []) if p.strip()],
                "activities": activities,
            }
        )
    return {
        "name": bulletin.name,
        "issue_no": bulletin.issue_no,
        "cumulative_no": bulletin.cumulative_no,
        "issued_by": committee_name(bulletin.organization),
        "date": chinese_date(bulletin.date),
        "title": bulletin.title,
        "sections": sections,
        "report_to": bulletin.report_to,
        "send_to": bulletin.send_to,
        "issue_to": bulletin.issue_to,
    }


def summary_context(summary: WorkSummary) -> dict:
    return {
        "title": summary.title,
        "issued_by": committee_name(summary.organization),
        "date": chinese_date(
            summary.updated_at.date() if summary.updated_at else summary.period_end
        ),
        "sections": [
            {
                "heading": s.get("heading", ""),
                "paragraphs": [p for p in s.get("paragraphs", []) if p.strip()],
                "activities": [],
            }
            for s in summary.sections
        ],
    }


def to_docx(kind: str, obj) -> bytes:
    with template_file(kind) as source:
        doc = DocxTemplate(io.BytesIO(source.read()))
    context = bulletin_context(obj, doc) if kind == DocumentKind.BULLETIN else summary_context(obj)
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(kind: str, obj) -> bytes:
    from weasyprint import HTML

    context = bulletin_context(obj) if kind == DocumentKind.BULLETIN else summary_context(obj)
    html = render_to_string(f"documents/print_{kind}.html", context)
    return HTML(string=html, base_url=str(TEMPLATE_DIR)).write_pdf()
