"""A plan's tasks: saved with their lead, cooperating units and measure; deleted while
nothing has been reported; progress reported with a status, a percentage and evidence."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from guangong.audit.services import snapshot
from guangong.core.actions import action
from guangong.reporting import metrics

from .. import attachments
from ..models import PlanTask, TaskProgress, TaskStatus, WorkPlan
from .common import check_lengths, deleted, in_scope, saved


def _check(task: PlanTask, units) -> dict:
    plan = task.plan
    org = plan.organization
    errors = {}
    if not task.text:
        errors["text"] = _("Say what the task is.")
    if task.lead_unit_id and task.lead_org_id:
        errors["lead_unit"] = _("Name one lead: a member unit or an organisation.")
    elif task.lead_unit_id and task.lead_unit.organization_id != org.pk:
        errors["lead_unit"] = _("Choose a member unit of the plan's organisation.")
    elif task.lead_org_id and not task.lead_org.path.startswith(org.path):
        errors["lead_org"] = _("Choose the plan's organisation or one below it.")
    if any(unit.organization_id != org.pk for unit in units):
        errors["cooperating_units"] = _("Choose member units of the plan's organisation.")
    sections = max(len(plan.sections), 1)
    if not task.section or not 1 <= task.section <= sections:
        errors["section"] = _("The plan has sections 1 to %(n)d.") % {"n": sections}
    if task.due_date and task.due_date.year != plan.year:
        errors["due_date"] = _("The due date must fall in %(year)d.") % {"year": plan.year}
    if task.metric:
        metric = metrics.METRICS.get(task.metric)
        if metric is None:
            errors["metric"] = _("Choose a measure from the list.")
        elif not metrics.valid_param(metric, task.metric_param or ""):
            errors["metric_param"] = _("Choose what the measure counts from the list.")
        elif task.target is None:
            errors["target"] = _("Give the minimum the measure must reach.")
    elif task.metric_param:
        errors["metric_param"] = _("Choose a measure first.")
    if task.target is not None and (task.target < 0 or task.target > Decimal("1e9")):
        errors["target"] = _("The target must be between 0 and 1,000,000,000.")
    return errors


@action("write", model=PlanTask)
def save_task(actor, task: PlanTask, cooperating_units=None) -> PlanTask:
    """Add or change a task of a plan (the plan's own side); a new task is numbered last in
    its section unless given a number."""
    before = snapshot(PlanTask.objects.get(pk=task.pk)) if task.pk else None
    plan = WorkPlan.objects.select_related("organization").get(pk=task.plan_id)
    task.plan = plan
    in_scope(actor, PlanTask, plan.organization.path)
    check_lengths(task, {"text": 2000, "target_text": 200, "metric": 40, "metric_param": 40})
    units = list(cooperating_units or [])
    errors = _check(task, units)
    if errors:
        raise ValidationError(errors)
    if not task.number:
        last = plan.tasks.filter(section=task.section).exclude(pk=task.pk).order_by("-number")
        task.number = (last.values_list("number", flat=True).first() or 0) + 1
    task.full_clean()
    task.save()
    if cooperating_units is not None:
        task.cooperating_units.set(units)
    saved(actor, task, before, plan, plan.organization.path)
    return task


@action("write", model=PlanTask)
def delete_task(actor, task: PlanTask) -> None:
    task = PlanTask.objects.select_related("plan__organization").get(pk=task.pk)
    if task.reports.exists():
        raise ValidationError(_("Progress has been reported on this task; it stays on record."))
    if task.adoptions.exists():
        raise ValidationError(_("Organisations below have adopted this task; it stays."))
    deleted(actor, task, task.plan, task.plan.organization.path)
    task.delete()


@action("write", model=PlanTask)
def report(
    actor, task: PlanTask, text: str, status: str, percent=None, upload=None
) -> TaskProgress:
    """A progress report by the plan's side: the task takes its status and percentage."""
    task = PlanTask.objects.select_related("plan__organization").get(pk=task.pk)
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = pgettext("workplan", "Say what has been done.")
    elif len(text) > 2000:
        errors["text"] = pgettext("workplan", "At most %(n)d characters (this is %(m)d).") % {
            "n": 2000,
            "m": len(text),
        }
    if status not in TaskStatus.values:
        errors["status"] = _("Choose the status: not started, in progress or completed.")
    if percent is not None and not (isinstance(percent, int) and 0 <= percent <= 100):
        errors["percent"] = _("The percentage is a whole number from 0 to 100.")
    if errors:
        raise ValidationError(errors)
    if status == TaskStatus.DONE and percent is None:
        percent = 100
    entry = TaskProgress(
        task=task,
        text=text,
        status=status,
        percent=percent,
        author_name=str(actor),
        uploaded_by=actor,
    )
    stored = entry.store(attachments.check_upload(upload)) if upload else None
    try:
        entry.save()
        before = snapshot(task)
        task.status, task.percent = status, percent
        task.save(update_fields=["status", "percent", "updated_at"])
        message = _("Progress reported: %(status)s (%(n)d characters)") % {
            "status": TaskStatus(status).label,
            "n": len(text),
        }
        saved(actor, task, before, task.plan, task.plan.organization.path, message)
    except Exception:
        if stored:
            entry.file.storage.delete(stored)
        raise
    return entry
