"""Changing a form's layout after it is made: deleting and reordering sections, items and
rules. The same guard as ``services.save_section``: an approver in scope, and no report filed
beyond a draft."""

from django.db import transaction

from guangong.audit.services import Action, record

from .models import FormItem, FormRule, FormSection
from .services import _require_form_editor


@transaction.atomic
def delete_section(actor, section: FormSection) -> None:
    """Remove a section with its items (and the rules that use them)."""
    form = section.form
    _require_form_editor(actor, form)
    title = section.title
    FormRule.objects.filter(form=form, left__section=section).delete()
    FormRule.objects.filter(form=form, right__section=section).delete()
    section.delete()
    record(actor, Action.UPDATE, form, before={"section": title}, org_path=form.owner.path)


@transaction.atomic
def delete_item(actor, item: FormItem) -> None:
    """Remove an item and the rules that use it."""
    form = item.section.form
    _require_form_editor(actor, form)
    label = f"{item.code} {item.label}"
    FormRule.objects.filter(form=form).filter(left=item).delete()
    FormRule.objects.filter(form=form).filter(right=item).delete()
    item.delete()
    record(actor, Action.UPDATE, form, before={"item": label}, org_path=form.owner.path)


@transaction.atomic
def delete_rule(actor, rule: FormRule) -> None:
    _require_form_editor(actor, rule.form)
    label = str(rule)
    rule.delete()
    record(actor, Action.UPDATE, rule.form, before={"rule": label}, org_path=rule.form.owner.path)


def _renumber(rows, moved, step: int) -> list:
    rows = list(rows)
    index = next(i for i, r in enumerate(rows) if r.pk == moved.pk)
    target = index + step
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows, start=1):
        row.order = position * 10
    return rows


@transaction.atomic
def move_section(actor, section: FormSection, step: int) -> None:
    """Move a section up (step -1) or down (+1) among its form's sections."""
    form = section.form
    _require_form_editor(actor, form)
    rows = _renumber(form.sections.order_by("order", "pk"), section, step)
    FormSection.objects.bulk_update(rows, ["order"])
    record(
        actor,
        Action.UPDATE,
        form,
        after={"order": [r.title for r in rows]},
        org_path=form.owner.path,
    )


@transaction.atomic
def move_item(actor, item: FormItem, step: int) -> None:
    """Move an item up (step -1) or down (+1) within its section."""
    form = item.section.form
    _require_form_editor(actor, form)
    rows = _renumber(item.section.items.order_by("order", "pk"), item, step)
    FormItem.objects.bulk_update(rows, ["order"])
    record(
        actor,
        Action.UPDATE,
        form,
        after={"order": [r.code for r in rows]},
        org_path=form.owner.path,
    )
