"""Every change to bulletins, summaries and templates, and every document generated."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.activities.models import Activity
from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action, nothing_changed
from guangong.core.periods import Period
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope
from guangong.core.services import record_saved, record_update
from guangong.orgs.models import Organization
from guangong.stats.figures import Figures
from guangong.stats.phrasing import draft_summary

from . import render, sandbox
from .models import (
    Bulletin,
    DocumentKind,
    DocumentStatus,
    DocumentTemplate,
    GeneratedDocument,
    WorkSummary,
)

MAX_SECTIONS = 20
MAX_PARAGRAPH = 5000
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024


def next_numbers(org: Organization, year: int) -> tuple[int, int]:
    """(issue number this year, cumulative number) for a new bulletin of ``org``."""
    mine = Bulletin.objects.filter(organization=org)
    this_year = mine.filter(year=year).aggregate(m=Max("issue_no"))["m"] or 0
    overall = mine.aggregate(m=Max("cumulative_no"))["m"] or 0
    return this_year + 1, overall + 1


def clean_source(value) -> dict | None:
    """What a section's inserted figures counted — ``{"org", "from", "to"}``, or as posted by
    the editor ``<org id>,<from>,<to>`` — or None when it is not that."""
    if isinstance(value, dict):
        value = ",".join(str(value.get(k, "")) for k in ("org", "from", "to"))
    parts = str(value or "").split(",")
    if len(parts) != 3 or not parts[0].isascii() or not parts[0].isdigit():
        return None
    try:
        start, end = (datetime.date.fromisoformat(p) for p in parts[1:])
    except ValueError:
        return None
    if end < start:
        return None
    return {"org": int(parts[0]), "from": start.isoformat(), "to": end.isoformat()}


def _clean_sections(actor, org: Organization, sections) -> list[dict]:
    if not isinstance(sections, list) or len(sections) > MAX_SECTIONS:
        raise ValidationError({"sections": _("At most %(n)d sections.") % {"n": MAX_SECTIONS}})
    cleaned = []
    ids: set[int] = set()
    for raw in sections:
        heading = str(raw.get("heading", "")).strip()[:60]
        paragraphs = [str(p).strip() for p in raw.get("paragraphs", []) if str(p).strip()]
        if any(len(p) > MAX_PARAGRAPH for p in paragraphs):
            raise ValidationError(
                {
                    "sections": _("A paragraph may hold at most %(n)d characters.")
                    % {"n": MAX_PARAGRAPH}
                }
            )
        try:
            activities = [int(i) for i in raw.get("activities", [])]
        except (TypeError, ValueError) as exc:
            raise ValidationError({"sections": _("Choose activities from the list.")}) from exc
        ids.update(activities)
        if heading or paragraphs or activities:
            section = {"heading": heading, "paragraphs": paragraphs, "activities": activities}
            source = clean_source(raw.get("source"))
            if source and Organization.objects.visible_to(actor).filter(pk=source["org"]).exists():
                section["source"] = source  # what the inserted figures counted (editor.py)
            cleaned.append(section)
    if ids:
        visible = Activity.objects.visible_to(actor).filter(pk__in=ids)
        if visible.count() != len(ids):
            raise ValidationError({"sections": _("Choose activities within your scope.")})
    return cleaned


def _in_scope(actor, model, org: Organization) -> None:
    """A new row of ``model`` for ``org``: 404 unless the actor may write there."""
    if not policy_for(model).allows_path(actor, "write", org.path):
        raise OutOfScope()


@action("write", model=Bulletin)
def save_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    org = Organization.objects.get(pk=bulletin.organization_id)
    _in_scope(actor, Bulletin, org)
    before = None
    if bulletin.pk:
        stored = Bulletin.objects.get(pk=bulletin.pk)
        if stored.status == DocumentStatus.ISSUED:
            raise ValidationError(_("An issued bulletin cannot be changed."))
        before = snapshot(stored)
    else:
        bulletin.year = bulletin.year or bulletin.date.year
        if not bulletin.issue_no:
            bulletin.issue_no, bulletin.cumulative_no = next_numbers(org, bulletin.year)
        bulletin.created_by = actor
        bulletin.name = bulletin.name or f"{org.short_name or org.name}关心下一代工作简报"
    bulletin.sections = _clean_sections(actor, org, bulletin.sections)
    bulletin.full_clean()
    if (
        Bulletin.objects.filter(organization=org, year=bulletin.year, issue_no=bulletin.issue_no)
        .exclude(pk=bulletin.pk)
        .exists()
    ):
        raise ValidationError({"issue_no": _("This issue number is already taken this year.")})
    bulletin.save()
    record_saved(actor, bulletin, before, parent=org)
    return bulletin


@action("write", model=Bulletin)
def issue_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    bulletin = Bulletin.objects.select_related("organization").get(pk=bulletin.pk)
    before = snapshot(bulletin)
    bulletin.status = DocumentStatus.ISSUED
    bulletin.save()
    record_update(actor, bulletin, before, parent=bulletin.organization)
    return bulletin


@action("write", model=Bulletin)
def delete_bulletin(actor, bulletin: Bulletin) -> None:
    """Delete a draft; an issued bulletin is kept with its number."""
    bulletin = Bulletin.objects.select_related("organization").get(pk=bulletin.pk)
    if bulletin.status == DocumentStatus.ISSUED:
        raise ValidationError(_("An issued bulletin is kept; it cannot be deleted."))
    record(actor, Action.DELETE, bulletin, before=snapshot(bulletin), parent=bulletin.organization)
    bulletin.delete()


@action("write", model=WorkSummary)
def create_summary(actor, org: Organization, period: Period) -> WorkSummary:
    """A new draft summary of ``org``'s subtree for ``period``, every number from the data."""
    _in_scope(actor, WorkSummary, org)
    if period.end < period.start:
        raise ValidationError({"period_end": _("The end cannot be before the start.")})
    if period.start > timezone.localdate():
        raise ValidationError({"period_start": _("The period has not begun.")})
    draft = draft_summary(Figures(org, period))
    summary = WorkSummary.objects.create(
        organization=org,
        period_start=period.start,
        period_end=period.end,
        title=draft.title,
        sections=draft.as_json(),
        figures={k: str(v) for k, v in draft.figures.items()},
        created_by=actor,
    )
    record(actor, Action.CREATE, summary, after=snapshot(summary), parent=org)
    return summary


@action("write", model=WorkSummary)
def save_summary(actor, summary: WorkSummary, *, title: str, sections) -> WorkSummary:
    summary = WorkSummary.objects.select_related("organization").get(pk=summary.pk)
    before = snapshot(summary)
    summary.title = (title or "").strip()
    if not summary.title:
        raise ValidationError({"title": _("Give the summary a title.")})
    summary.sections = _clean_sections(actor, summary.organization, sections)
    summary.full_clean()
    summary.save()
    record_update(actor, summary, before, parent=summary.organization)
    return summary


def generate(actor, kind: str, obj, fmt: str) -> GeneratedDocument:
    """Render ``obj`` (a bulletin or summary) to ``fmt`` and keep the file.

    The rendering (seconds for a PDF) runs before the action, outside its transaction."""
    if not policy_for(type(obj)).allows(actor, "read", obj):
        raise OutOfScope()
    data = (
        render.to_docx(kind, obj)
        if fmt == GeneratedDocument.Format.DOCX
        else render.to_pdf(kind, obj)
    )
    return keep_generated(actor, kind, obj, fmt, data)


@action("read", model=GeneratedDocument)
def keep_generated(actor, kind: str, obj, fmt: str, data: bytes) -> GeneratedDocument:
    """Keep ``data``, the file generated from ``obj``, for download; audited as an export."""
    org = obj.organization
    label = str(obj)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    doc = GeneratedDocument(
        organization=org,
        kind=kind,
        bulletin=obj if kind == DocumentKind.BULLETIN else None,
        summary=obj if kind == DocumentKind.SUMMARY else None,
        format=fmt,
        label=label,
        size=len(data),
        created_by=actor,
    )
    doc.file.save(f"{kind}-{obj.pk}-{stamp}.{fmt}", ContentFile(data), save=False)
    doc.save()
    record(
        actor,
        Action.EXPORT,
        obj,
        parent=org,
        message=_("Generated %(name)s (%(fmt)s)") % {"name": label, "fmt": fmt},
    )
    return doc


@action("write", model=DocumentTemplate)
def upload_template(actor, kind: str, name: str, upload, owner: Organization | None = None):
    """Replace the template of ``kind`` for ``owner`` (the actor's organisation by default) and
    its subtree, after filling it with sample data in the sandbox: a template that does not
    render there, or names anything but the document's own data, is refused and nothing kept."""
    owner = owner or actor.organization
    if owner is None:
        raise ValidationError(
            {"owner": _("Choose the organisation whose documents the template is for.")}
        )
    owner = Organization.objects.get(pk=owner.pk)
    _in_scope(actor, DocumentTemplate, owner)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose what the template is for.")})
    refused = ValidationError({"file": _("Upload a Word .docx file of at most 5 MB.")})
    if not upload.name.lower().endswith(".docx") or upload.size > TEMPLATE_MAX_BYTES:
        raise refused
    upload.seek(0)
    data = upload.read(TEMPLATE_MAX_BYTES + 1)
    if len(data) > TEMPLATE_MAX_BYTES:
        raise refused
    problem = sandbox.check_upload(data, kind)
    if problem is not None:
        raise ValidationError({"file": problem})
    # Locked: two uploads for one organisation at once replace one another in turn.
    Organization.objects.select_for_update().get(pk=owner.pk)
    replaced = list(DocumentTemplate.objects.filter(owner=owner, kind=kind, active=True))
    DocumentTemplate.objects.filter(pk__in=[t.pk for t in replaced]).update(active=False)
    template = DocumentTemplate(
        owner=owner, kind=kind, name=(name or upload.name)[:100], uploaded_by=actor
    )
    template.file.save(upload.name, ContentFile(data), save=False)
    template.save()
    record(
        actor,
        Action.CREATE,
        template,
        after={
            "kind": kind,
            "name": template.name,
            "organization": owner.name,
            "replaces": [t.name for t in replaced],
        },
        parent=owner,
        org_path=owner.path,
    )
    return template


@action("write", model=DocumentTemplate)
def restore_default_template(actor, template: DocumentTemplate) -> bool:
    """Stop using ``template``: its organisation's documents are filled into the template of
    the nearest organisation above that has one, else the one shipped with Guangong.

    The upload is kept (inactive), so the history of templates stays readable. False if it
    was not in use."""
    template = DocumentTemplate.objects.select_related("owner").get(pk=template.pk)
    if not template.active:
        nothing_changed()
        return False
    template.active = False
    template.save(update_fields=["active"])
    record(
        actor,
        Action.UPDATE,
        template,
        before={"kind": template.kind, "name": template.name, "active": True},
        after={"kind": template.kind, "name": template.name, "active": False},
        parent=template.owner,
        org_path=template.owner.path,
    )
    return True
