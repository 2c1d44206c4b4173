"""Plans: saved, deleted while a draft, published to the subtree, adopted below."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.orgs.models import Organization

from ..models import MAX_YEAR, MIN_YEAR, PlanStatus, PlanTask, WorkPlan
from .common import check_lengths, deleted, in_scope, saved

MAX_SECTIONS = 30
HEADING_LENGTH = 100


def clean_sections(value) -> list[str]:
    """The section headings: a list of short texts (a text with one heading a line will do),
    numbers added when shown (一、二、…)."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError({"sections": _("Give the section headings as a list of texts.")})
    headings = [v.strip() for v in value if v.strip()]
    if len(headings) > MAX_SECTIONS:
        raise ValidationError({"sections": _("At most %(n)d sections.") % {"n": MAX_SECTIONS}})
    for heading in headings:
        if len(heading) > HEADING_LENGTH:
            raise ValidationError(
                {
                    "sections": _("A heading has at most %(n)d characters: %(h)s…")
                    % {"n": HEADING_LENGTH, "h": heading[:20]}
                }
            )
    return headings


def _check(plan: WorkPlan) -> None:
    check_lengths(plan, {"title": 200, "introduction": 5000})
    errors = {}
    if not plan.title:
        errors["title"] = _("Give the plan a title.")
    if plan.year is None or not MIN_YEAR <= plan.year <= MAX_YEAR:
        errors["year"] = _("The year must be between %(a)d and %(b)d.") % {
            "a": MIN_YEAR,
            "b": MAX_YEAR,
        }
    else:
        taken = WorkPlan.objects.filter(organization_id=plan.organization_id, year=plan.year)
        if taken.exclude(pk=plan.pk).exists():
            errors["year"] = _("This organisation already has a plan for %(year)d.") % {
                "year": plan.year
            }
    if errors:
        raise ValidationError(errors)
    plan.sections = clean_sections(plan.sections)
    used = (
        PlanTask.objects.filter(plan_id=plan.pk).order_by("-section").first() if plan.pk else None
    )
    if used is not None and used.section > max(len(plan.sections), 1):
        raise ValidationError(
            {
                "sections": _("Section %(n)d still has tasks; move them before removing it.")
                % {"n": used.section}
            }
        )


@action("write", model=WorkPlan)
def save_plan(actor, plan: WorkPlan) -> WorkPlan:
    """Create or change a plan (its own organisation's side)."""
    before = snapshot(WorkPlan.objects.get(pk=plan.pk)) if plan.pk else None
    if plan.organization_id is None:
        raise ValidationError({"organization": _("Choose the organisation.")})
    in_scope(actor, WorkPlan, Organization.objects.get(pk=plan.organization_id).path)
    if before and before["organization"] != plan.organization_id:
        raise ValidationError({"organization": _("A plan stays with its organisation.")})
    if not before:
        plan.status, plan.published_at = PlanStatus.DRAFT, None
    _check(plan)
    plan.full_clean()
    plan.save()
    saved(actor, plan, before, plan.organization, plan.organization.path)
    return plan


@action("write", model=WorkPlan)
def delete_plan(actor, plan: WorkPlan) -> None:
    plan = WorkPlan.objects.select_related("organization").get(pk=plan.pk)
    if plan.published:
        raise ValidationError(_("A published plan stays on record."))
    deleted(actor, plan, plan.organization, plan.organization.path)
    plan.delete()


@action("write", model=WorkPlan)
def publish(actor, plan: WorkPlan) -> WorkPlan:
    """印发: the plan is read from now on by every organisation below, which may adopt it."""
    plan = WorkPlan.objects.select_related("organization").get(pk=plan.pk)
    if plan.published:
        raise ValidationError(_("The plan has already been published."))
    if not plan.tasks.exists():
        raise ValidationError(_("Add the plan's tasks before publishing it."))
    before = snapshot(plan)
    plan.status, plan.published_at = PlanStatus.PUBLISHED, timezone.now()
    plan.save(update_fields=["status", "published_at", "updated_at"])
    saved(actor, plan, before, plan.organization, plan.organization.path, _("Published"))
    return plan


def adoptable_by(actor, source: WorkPlan) -> list[Organization]:
    """The organisations the actor may adopt ``source`` for: those strictly below its
    organisation that the actor writes for (their own, and the subtree below it)."""
    if not source.published or not policy_for(WorkPlan).may(actor, "write"):
        return []
    org = getattr(actor, "organization", None)
    if org is None or not org.path.startswith(source.organization.path):
        return []
    if org.path == source.organization.path:
        return []
    return [org]


@action("read", model=WorkPlan)
def adopt(actor, source: WorkPlan, organization: Organization) -> WorkPlan:
    """Copy a published plan's tasks into ``organization``'s plan for the same year (made as
    a draft when there is none): each copy links to its source task, keeps the text, due date,
    measure and target (to adapt), and is led by the adopting organisation. Tasks adopted
    before are not copied twice."""
    source = WorkPlan.objects.select_related("organization").get(pk=source.pk)
    if not source.published:
        raise ValidationError(_("Only a published plan can be adopted."))
    if not organization.path.startswith(source.organization.path) or (
        organization.path == source.organization.path
    ):
        raise ValidationError(
            {"organization": _("A plan is adopted by the organisations below its own.")}
        )
    in_scope(actor, WorkPlan, organization.path)
    plan = WorkPlan.objects.filter(organization=organization, year=source.year).first()
    if plan is None:
        plan = WorkPlan(
            organization=organization,
            year=source.year,
            title=_("%(year)d work points of %(org)s")
            % {"year": source.year, "org": organization.name},
            introduction=source.introduction,
            sections=list(source.sections),
            source=source,
        )
        _check(plan)
        plan.save()
        saved(actor, plan, None, organization, organization.path)
    else:
        before = snapshot(plan)
        if not plan.source_id:
            plan.source = source
        plan.sections = _merged(plan.sections, source.sections)
        plan.save(update_fields=["source", "sections", "updated_at"])
        saved(actor, plan, before, organization, organization.path)
    done = set(plan.tasks.exclude(source=None).values_list("source_id", flat=True))
    numbers: dict[int, int] = {}
    for task in plan.tasks.all():
        numbers[task.section] = max(numbers.get(task.section, 0), task.number)
    copies = []
    for task in source.tasks.order_by("section", "number", "pk"):
        if task.pk in done:
            continue
        section = _section_in(plan.sections, source.sections, task.section)
        numbers[section] = numbers.get(section, 0) + 1
        copies.append(
            PlanTask(
                plan=plan,
                section=section,
                number=numbers[section],
                text=task.text,
                due_date=task.due_date,
                metric=task.metric,
                metric_param=task.metric_param,
                target=task.target,
                target_text=task.target_text,
                lead_org=organization,
                source=task,
            )
        )
    PlanTask.objects.bulk_create(copies)
    record(
        actor,
        Action.UPDATE,
        plan,
        parent=source,
        org_path=organization.path,
        message=_("Adopted %(n)d tasks of %(title)s") % {"n": len(copies), "title": source.title},
    )
    return plan


def _merged(mine: list[str], theirs: list[str]) -> list[str]:
    return list(mine) + [h for h in theirs if h not in mine]


def _section_in(mine: list[str], theirs: list[str], number: int) -> int:
    """The number, in the adopting plan, of the source's section ``number`` (by heading)."""
    if 1 <= number <= len(theirs) and theirs[number - 1] in mine:
        return mine.index(theirs[number - 1]) + 1
    return max(1, min(number, len(mine) or 1))
