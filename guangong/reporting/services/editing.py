"""Defining a form and changing its layout: the form itself, its sections, items and rules,
and deleting and reordering them. Every change needs an approver in scope, and a form's layout
is frozen once a report has been filed beyond a draft."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope
from guangong.core.services import record_saved
from guangong.orgs.models import Organization

from .. import metrics
from ..models import FormItem, FormRule, FormSection, ItemKind, Operator, ReportForm
from .chain import form_locked

# --- Defining forms ---------------------------------------------------------------------------


@action("write", model=ReportForm)
def save_form(actor, form: ReportForm) -> ReportForm:
    owner = Organization.objects.get(pk=form.owner_id)
    if not policy_for(ReportForm).allows_path(actor, "write", owner.path):
        raise OutOfScope()
    before = snapshot(ReportForm.objects.get(pk=form.pk)) if form.pk else None
    kinds = {k for k, _l in Organization._meta.get_field("kind").choices}
    if not form.reporting_kinds or not set(form.reporting_kinds) <= kinds:
        raise ValidationError(
            {"reporting_kinds": _("Choose the kinds of organisation that report.")}
        )
    if form.due_days > 90:
        raise ValidationError({"due_days": _("A report is due at most 90 days after its period.")})
    form.full_clean()
    form.save()
    record_saved(actor, form, before, org_path=owner.path)
    return form


def _require_form_editor(actor, form: ReportForm) -> None:
    if not policy_for(ReportForm).allows(actor, "write", form):
        raise OutOfScope()
    if form_locked(form):
        raise ValidationError(
            _(
                "Reports have been filed on this form; its items can no longer change. "
                "Make a new form."
            )
        )


@action("write", model=ReportForm)
def save_section(actor, section: FormSection) -> FormSection:
    _require_form_editor(actor, section.form)
    section.full_clean()
    section.save()
    record(
        actor,
        Action.UPDATE,
        section.form,
        after={"section": section.title},
        org_path=section.form.owner.path,
    )
    return section


@action("write", model=ReportForm)
def save_item(actor, item: FormItem) -> FormItem:
    form = item.section.form
    _require_form_editor(actor, form)
    errors = {}
    if item.kind == ItemKind.COMPUTED:
        metric = metrics.METRICS.get(item.metric)
        if metric is None:
            errors["metric"] = _("Choose what the item is computed from.")
        elif not metrics.valid_param(metric, item.metric_param or ""):
            errors["metric_param"] = _("Choose one of the listed values.")
    else:
        item.metric = item.metric_param = ""
        item.overridable = False
    if (
        item.min_value is not None
        and item.max_value is not None
        and item.min_value > item.max_value
    ):
        errors["max_value"] = _("The maximum cannot be below the minimum.")
    clash = FormItem.objects.filter(section__form=form, code=item.code).exclude(pk=item.pk)
    if clash.exists():
        errors["code"] = _("Another item of this form has the code %(code)s.") % {"code": item.code}
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    item.save()
    record(
        actor,
        Action.UPDATE,
        form,
        after={"item": f"{item.code} {item.label}"},
        org_path=form.owner.path,
    )
    return item


@action("write", model=ReportForm)
def save_rule(actor, rule: FormRule) -> FormRule:
    _require_form_editor(actor, rule.form)
    for side in (rule.left, rule.right):
        if side.section.form_id != rule.form_id or not side.numeric:
            raise ValidationError(_("A rule compares two numeric items of the same form."))
    if rule.operator not in Operator.values:
        raise ValidationError({"operator": _("Choose a comparison.")})
    rule.save()
    record(
        actor, Action.UPDATE, rule.form, after={"rule": str(rule)}, org_path=rule.form.owner.path
    )
    return rule


# --- Changing the layout ----------------------------------------------------------------------


@action("write", model=ReportForm)
def delete_section(actor, section: FormSection) -> None:
    """Remove a section with its items (and the rules that use them)."""
    form = section.form
    _require_form_editor(actor, form)
    title = section.title
    FormRule.objects.filter(form=form, left__section=section).delete()
    FormRule.objects.filter(form=form, right__section=section).delete()
    section.delete()
    record(actor, Action.UPDATE, form, before={"section": title}, org_path=form.owner.path)


@action("write", model=ReportForm)
def delete_item(actor, item: FormItem) -> None:
    """Remove an item and the rules that use it."""
    form = item.section.form
    _require_form_editor(actor, form)
    label = f"{item.code} {item.label}"
    FormRule.objects.filter(form=form).filter(left=item).delete()
    FormRule.objects.filter(form=form).filter(right=item).delete()
    item.delete()
    record(actor, Action.UPDATE, form, before={"item": label}, org_path=form.owner.path)


@action("write", model=ReportForm)
def delete_rule(actor, rule: FormRule) -> None:
    _require_form_editor(actor, rule.form)
    label = str(rule)
    rule.delete()
    record(actor, Action.UPDATE, rule.form, before={"rule": label}, org_path=rule.form.owner.path)


def _move(actor, form: ReportForm, siblings, moved, step: int, label) -> None:
    """Swap ``moved`` with its neighbour among ``siblings`` and number them again."""
    _require_form_editor(actor, form)
    rows = list(siblings.order_by("order", "pk"))
    index = next(i for i, r in enumerate(rows) if r.pk == moved.pk)
    target = index + step
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows, start=1):
        row.order = position * 10
    type(moved).objects.bulk_update(rows, ["order"])
    after = {"order": [label(r) for r in rows]}
    record(actor, Action.UPDATE, form, after=after, org_path=form.owner.path)


@action("write", model=ReportForm)
def move_section(actor, section: FormSection, step: int) -> None:
    """Move a section up (step -1) or down (+1) among its form's sections."""
    _move(actor, section.form, section.form.sections, section, step, lambda r: r.title)


@action("write", model=ReportForm)
def move_item(actor, item: FormItem, step: int) -> None:
    """Move an item up (step -1) or down (+1) within its section."""
    _move(actor, item.section.form, item.section.items, item, step, lambda r: r.code)
