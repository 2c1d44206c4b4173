"""A year's plan as a Word document in the official layout: the title centred in 小标宋
(22 pt), the organisation and date below it, the introduction, then each section's heading
(一、二、… in 黑体) and its numbered tasks in 仿宋 with the lead and cooperating units and the
due date in brackets (the styles of ``documents.docx_layout``)."""

import io
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from guangong.documents import docx_layout

from .models import WorkPlan


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _task_line(task) -> str:
    parts = []
    if task.lead_name:
        parts.append(_("Lead: %(name)s") % {"name": task.lead_name})
    units = "、".join(u.name for u in task.cooperating_units.all())
    if units:
        parts.append(_("Cooperating: %(names)s") % {"names": units})
    if task.due_date:
        parts.append(_("Due: %(date)s") % {"date": _date(task.due_date)})
    text = f"{task.number}. {task.text}"
    if task.target_text and task.target_text not in task.text:
        text += f"（{task.target_text}）"
    return f"{text}（{'；'.join(parts)}）" if parts else text


def render(plan: WorkPlan, sections: list[dict]) -> bytes:
    doc = docx_layout._document()
    doc.add_paragraph(plan.title, style="GG Title")
    sub = plan.organization.name
    if plan.published_at:
        sub += f"　{_date(timezone.localtime(plan.published_at).date())}"
    doc.add_paragraph(sub, style="GG Plain").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for paragraph in (plan.introduction or "").splitlines():
        if paragraph.strip():
            doc.add_paragraph(paragraph.strip(), style="GG Body")
    for section in sections:
        if section["heading"]:
            doc.add_paragraph(section["heading"], style="GG Heading")
        for entry in section["tasks"]:
            doc.add_paragraph(_task_line(entry["task"]), style="GG Body")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"
