"""Bulletins and summaries as .docx (docxtpl, from a replaceable template) and as PDF
(WeasyPrint, embedding subsets of the CJK fonts installed: Noto CJK from Debian's
fonts-noto-cjk stands in where the official 仿宋/小标宋/黑体/楷体 are not installed)."""

import datetime
import io
import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from guangong.activities.models import Activity, ActivityAttachment

from . import sandbox
from .docx_layout import TEMPLATE_DIR
from .models import Bulletin, DocumentKind, DocumentTemplate, WorkSummary

logger = logging.getLogger(__name__)


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def committee_name(org) -> str:
    """“伊宁市关工委”: the committee of an organisation, as documents sign."""
    name = org.name
    return name if name.endswith("关工委") else f"{name}关工委"


def template_file(kind: str, org):
    """The template ``org``'s documents of ``kind`` are filled into (its own or its nearest
    ancestor's, see ``TemplateQuerySet.in_effect``), else the one shipped with Guangong; and
    the uploaded template, if it is one."""
    uploaded = DocumentTemplate.objects.in_effect(kind, org)
    if uploaded is not None:
        return uploaded.file.open("rb"), uploaded
    return (TEMPLATE_DIR / f"{kind}.docx").open("rb"), None


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
            timezone.localdate(summary.updated_at) if summary.updated_at else summary.period_end
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
    """Fill the template in effect for ``obj``'s organisation, in the sandbox. An uploaded
    template that fails stops the generation with a message naming the tag at fault."""
    handle, uploaded = template_file(kind, obj.organization)
    with handle:
        data = handle.read()
    doc = DocxTemplate(io.BytesIO(data))
    context = bulletin_context(obj, doc) if kind == DocumentKind.BULLETIN else summary_context(obj)
    try:
        sandbox.fill(doc, context)
    except Exception as exc:
        if uploaded is None:
            raise
        logger.warning("Template %s could not be filled", uploaded.pk, exc_info=True)
        problem = sandbox.explain(data, context)
        raise ValidationError(
            _(
                "The Word template in use (%(name)s) cannot be used: %(problem)s Ask an "
                "administrator to upload a corrected template or to restore the shipped one."
            )
            % {
                "name": uploaded.name,
                "problem": problem,
            }
        ) from exc
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(kind: str, obj) -> bytes:
    from weasyprint import HTML

    context = bulletin_context(obj) if kind == DocumentKind.BULLETIN else summary_context(obj)
    html = render_to_string(f"documents/print_{kind}.html", context)
    return HTML(string=html, base_url=str(TEMPLATE_DIR)).write_pdf()
