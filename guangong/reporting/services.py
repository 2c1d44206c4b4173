"""Every change to report forms and reports, and the adding-up.

Who collects whose report: a form is defined by its owner for the owner's subtree; every
organisation there of a reporting kind files it. A report goes to its *collector* — the
nearest organisation above it that is itself a reporter, or the owner — whose approvers (users
of that organisation holding the ``approve`` verb) approve, return or unlock it. A report
covers its organisation's whole subtree: computed items read the ledgers of the subtree, and a
reporter that collects from others starts its hand-entered items from the sum of their
approved values. A collector's total is the sum over the reports it collects, never counting a
subtree twice.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core import dates
from guangong.core.periods import Period
from guangong.core.scope import ancestor_paths, subtree_q
from guangong.core.services import require, require_in_scope
from guangong.orgs.models import Organization
from guangong.stats.figures import Figures

from . import metrics
from .models import (
    FormItem,
    ItemKind,
    Operator,
    Report,
    ReportEvent,
    ReportForm,
    ReportStatus,
    ReportValue,
)
from .periods import as_period, period_starting

# --- Who reports to whom -----------------------------------------------------------------------


def reporters(form: ReportForm):
    """Organisations that must file ``form``: its kinds, in the owner's subtree, not the owner."""
    return (
        Organization.objects.filter(
            subtree_q("path", form.owner.path), kind__in=form.reporting_kinds
        )
        .exclude(pk=form.owner_id)
        .order_by("path")
    )


def is_reporter(form: ReportForm, org: Organization) -> bool:
    return (
        org.pk != form.owner_id
        and org.path.startswith(form.owner.path)
        and org.kind in form.reporting_kinds
    )


def collector_of(form: ReportForm, org: Organization) -> Organization:
    """The organisation that receives ``org``'s report."""
    prefixes = ancestor_paths(org.path, include_self=False, top=form.owner.path)
    above = {o.path: o for o in Organization.objects.filter(path__in=prefixes)}
    for path in reversed(prefixes):
        candidate = above.get(path)
        if candidate is not None and (
            candidate.pk == form.owner_id or is_reporter(form, candidate)
        ):
            return candidate
    return form.owner


def reporting_children(form: ReportForm, org: Organization) -> list[Organization]:
    """The reporters whose reports ``org`` collects."""
    below = [o for o in reporters(form).filter(subtree_q("path", org.path)) if o.pk != org.pk]
    paths = {o.path for o in below}
    result = []
    for o in below:
        between = any(
            o.path.startswith(p) and p != o.path for p in paths
        )  # another reporter sits between org and o
        if not between:
            result.append(o)
    return result


def _is_approver(actor, collector: Organization) -> bool:
    if not actor.has_verb("approve"):
        return False
    if actor.is_superuser and actor.organization is None:
        return True
    return actor.organization is not None and actor.organization.pk == collector.pk


def _require_approver(actor, form: ReportForm, org: Organization) -> Organization:
    require(actor, "approve")
    collector = collector_of(form, org)
    if not _is_approver(actor, collector):
        raise PermissionDenied(
            _("Only an approver of %(org)s, which collects this report, may do this.")
            % {"org": collector.name}
        )
    return collector


def form_locked(form: ReportForm) -> bool:
    """Reports beyond a draft have been filed: sections, items and rules stay as they are."""
    return form.reports.exclude(status=ReportStatus.DRAFT).exists()


def may_approve(actor, form: ReportForm, org: Organization) -> bool:
    """Whether ``actor`` approves, returns and unlocks ``org``'s reports of ``form``."""
    return _is_approver(actor, collector_of(form, org))


# --- Reports -----------------------------------------------------------------------------------


def _event(report: Report, actor, action: str, comment: str = "") -> None:
    ReportEvent.objects.create(
        report=report, action=action, actor=actor, actor_name=str(actor), comment=comment
    )


def period_of(report: Report) -> Period:
    return as_period(report.form.period_type, report.period_start, report.period_end)


def _child_sums(report: Report) -> dict[int, Decimal]:
    """Item id → sum of the approved values of the reports ``report``'s organisation collects."""
    children = reporting_children(report.form, report.organization)
    values = ReportValue.objects.filter(
        report__form=report.form,
        report__period_start=report.period_start,
        report__status=ReportStatus.APPROVED,
        report__organization__in=[c.pk for c in children],
    ).values_list("item_id", "value")
    sums: dict[int, Decimal] = {}
    for item_id, value in values:
        if value is not None:
            sums[item_id] = sums.get(item_id, Decimal(0)) + value
    return sums


def _compute(report: Report, item: FormItem, figures: Figures | None = None) -> Decimal:
    org, period = report.organization, period_of(report)
    return metrics.compute(item.metric, org, period, item.metric_param, figures)


@transaction.atomic
def open_report(actor, form: ReportForm, org: Organization, start: datetime.date) -> Report:
    """The report of ``org`` for the period starting ``start``: made and prefilled if new."""
    require(actor, "edit")
    require_in_scope(actor, org.path)
    if not is_reporter(form, org):
        raise ValidationError(_("%(org)s does not file this report.") % {"org": org.name})
    try:
        period = period_starting(form.period_type, start)
    except ValueError as exc:
        raise ValidationError(_("No reporting period starts on that day.")) from exc
    if period.start > timezone.localdate():
        raise ValidationError(_("A report cannot be opened for a period that has not begun."))
    dates.PLAN.validate(period.start, "period_start")
    report, created = Report.objects.get_or_create(
        form=form,
        organization=org,
        period_start=period.start,
        defaults={"period_end": period.end},
    )
    if created:
        _fill(report, refresh_manual=True)
        _event(report, actor, "open")
        record(actor, Action.CREATE, report, after=snapshot(report), parent=org)
    return report


def _fill(report: Report, refresh_manual: bool = False) -> None:
    sums = _child_sums(report) if refresh_manual else {}
    existing = {v.item_id: v for v in report.values.all()}
    figures = Figures(report.organization, period_of(report), compare=False, count_youth=False)
    for item in report.form.items():
        value = existing.get(item.pk) or ReportValue(report=report, item=item)
        if item.kind == ItemKind.COMPUTED:
            value.computed = _compute(report, item, figures)
            if not value.overridden:
                value.value = value.computed
        elif refresh_manual and item.numeric and value.value is None and item.pk in sums:
            value.value = sums[item.pk]
        value.save()
    report.computed_at = timezone.now()
    report.save(update_fields=["computed_at", "updated_at"])


def _editable(actor, report: Report) -> Report:
    require(actor, "edit")
    report = (
        Report.objects.select_for_update().select_related("form", "organization").get(pk=report.pk)
    )
    require_in_scope(actor, report.organization.path)
    if not report.editable:
        raise ValidationError(
            _("The report is %(status)s and cannot be changed.")
            % {"status": report.get_status_display()}
        )
    return report


@transaction.atomic
def refresh(actor, report: Report) -> Report:
    """Recompute the computed items from the ledgers (overrides stay, beside the new value)."""
    report = _editable(actor, report)
    _fill(report)
    _event(report, actor, "refresh")
    return report


def _parse(item: FormItem, raw) -> tuple[Decimal | None, str]:
    text = "" if raw is None else str(raw).strip()
    if item.kind == ItemKind.TEXT:
        if len(text) > 2000:
            raise ValidationError(_("At most 2000 characters."))
        return None, text
    if text == "":
        return None, ""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise ValidationError(_("Enter a number.")) from exc
    if not value.is_finite():
        raise ValidationError(_("Enter a number."))
    if item.kind in (ItemKind.INTEGER,) and value != value.to_integral_value():
        raise ValidationError(_("Enter a whole number."))
    if abs(value) >= Decimal("1e15"):
        raise ValidationError(_("The number is too large."))
    if item.min_value is not None and value < item.min_value:
        raise ValidationError(_("At least %(n)s.") % {"n": _plain(item.min_value)})
    if item.max_value is not None and value > item.max_value:
        raise ValidationError(_("At most %(n)s.") % {"n": _plain(item.max_value)})
    return value.quantize(Decimal("0.01")), ""


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


COMPARE = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}


def _check_rules(report: Report, values: dict[int, Decimal | None], complete: bool) -> dict:
    errors: dict[str, str] = {}
    items = {i.pk: i for i in report.form.items()}
    if complete:
        for item in items.values():
            if item.required and item.numeric and values.get(item.pk) is None:
                errors[item.code] = _("Required.")
    for rule in report.form.rules.select_related("left", "right"):
        a, b = values.get(rule.left_id), values.get(rule.right_id)
        if a is None or b is None:
            continue
        if not COMPARE[rule.operator](a, b):
            errors.setdefault(
                rule.left.code,
                rule.message
                or _("%(left)s must be %(op)s %(right)s.")
                % {
                    "left": rule.left.label,
                    "op": Operator(rule.operator).label,
                    "right": rule.right.label,
                },
            )
    return errors


def _current_values(report: Report) -> dict[int, Decimal | None]:
    return dict(report.values.values_list("item_id", "value"))


@transaction.atomic
def save_values(actor, report: Report, data: dict, overrides: dict | None = None) -> Report:
    """Enter values by item code. Computed items take a value only where the form allows an
    override (``overrides[code]`` True; False goes back to the computed value). Any bad value:
    a Chinese message per item code, and nothing is saved."""
    report = _editable(actor, report)
    overrides = overrides or {}
    items = {i.code: i for i in report.form.items()}
    stored = {v.item_id: v for v in report.values.all()}
    errors: dict[str, str] = {}
    changes: list[tuple[ReportValue, Decimal | None, str, bool]] = []
    for code, raw in data.items():
        item = items.get(code)
        if item is None:
            errors[code] = _("No such item.")
            continue
        row = stored.get(item.pk) or ReportValue(report=report, item=item)
        override = bool(overrides.get(code, row.overridden))
        if item.kind == ItemKind.COMPUTED and not (item.overridable and override):
            if item.kind == ItemKind.COMPUTED and override and not item.overridable:
                errors[code] = _("This item is computed and cannot be changed.")
            continue
        try:
            value, text = _parse(item, raw)
        except ValidationError as exc:
            errors[code] = exc.messages[0]
            continue
        changes.append((row, value, text, override))
    for code, flag in overrides.items():
        item = items.get(code)
        if item is not None and item.kind == ItemKind.COMPUTED and not flag:
            row = stored.get(item.pk)
            if row is not None and row.overridden:
                changes.append((row, row.computed, "", False))
    values = _current_values(report)
    for row, value, _text, _override in changes:
        values[row.item_id] = value
    errors.update(_check_rules(report, values, complete=False))
    if errors:
        raise ValidationError(errors)
    before = {str(k): str(v) if v is not None else None for k, v in _current_values(report).items()}
    for row, value, text, override in changes:
        row.value, row.text, row.overridden = value, text, override
        row.save()
    after = {str(k): str(v) if v is not None else None for k, v in _current_values(report).items()}
    if after != before:
        record(
            actor,
            Action.UPDATE,
            report,
            before={"values": before},
            after={"values": after},
            parent=report.organization,
        )
    return report


def _transition(actor, report: Report, action: str, status: str, comment: str = "") -> Report:
    before = snapshot(report)
    report.status = status
    report.save()
    _event(report, actor, action, comment)
    record(
        actor,
        Action.UPDATE,
        report,
        before=before,
        after=snapshot(report),
        parent=report.organization,
        message=f"{action}: {comment}"[:400] if comment else action,
    )
    return report


@transaction.atomic
def submit(actor, report: Report) -> Report:
    report = _editable(actor, report)
    errors = _check_rules(report, _current_values(report), complete=True)
    if errors:
        raise ValidationError(errors)
    report.submitted_at = timezone.now()
    return _transition(actor, report, "submit", ReportStatus.SUBMITTED)


def missing_children(report: Report) -> list[Organization]:
    """Reporting children whose report for the period is neither approved nor 未报."""
    children = reporting_children(report.form, report.organization)
    done = set(
        Report.objects.filter(
            form=report.form,
            period_start=report.period_start,
            organization__in=[c.pk for c in children],
            status__in=(ReportStatus.APPROVED, ReportStatus.NOT_REPORTED),
        ).values_list("organization_id", flat=True)
    )
    return [c for c in children if c.pk not in done]


def _locked_for(actor, report: Report, *states: str) -> Report:
    report = (
        Report.objects.select_for_update()
        .select_related("form", "form__owner", "organization")
        .get(pk=report.pk)
    )
    require_in_scope(actor, report.organization.path)
    _require_approver(actor, report.form, report.organization)
    if report.status not in states:
        raise ValidationError(
            _("The report is %(status)s; this is not possible now.")
            % {"status": report.get_status_display()}
        )
    return report


@transaction.atomic
def approve(actor, report: Report, comment: str = "") -> Report:
    report = _locked_for(actor, report, ReportStatus.SUBMITTED)
    missing = missing_children(report)
    if missing:
        raise ValidationError(
            _(
                "%(org)s's report can be approved once every report it collects is approved "
                "or marked not reported. Still open: %(missing)s."
            )
            % {"org": report.organization.name, "missing": "、".join(o.name for o in missing[:10])}
        )
    report.approved_at, report.approved_by = timezone.now(), actor
    return _transition(actor, report, "approve", ReportStatus.APPROVED, comment)


@transaction.atomic
def return_report(actor, report: Report, comment: str) -> Report:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what must be corrected.")})
    report = _locked_for(actor, report, ReportStatus.SUBMITTED)
    return _transition(actor, report, "return", ReportStatus.RETURNED, comment)


@transaction.atomic
def unlock(actor, report: Report, reason: str) -> Report:
    """Reopen an approved report for correction (the approver only, with a reason)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason for unlocking.")})
    report = _locked_for(actor, report, ReportStatus.APPROVED, ReportStatus.NOT_REPORTED)
    report.approved_at = report.approved_by = None
    return _transition(actor, report, "unlock", ReportStatus.RETURNED, reason)


@transaction.atomic
def mark_not_reported(
    actor, form: ReportForm, org: Organization, start: datetime.date, reason: str
) -> Report:
    """未报: the collector records that ``org`` will not file for the period, and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason the report is missing.")})
    require_in_scope(actor, org.path)
    _require_approver(actor, form, org)
    if not is_reporter(form, org):
        raise ValidationError(_("%(org)s does not file this report.") % {"org": org.name})
    period = period_starting(form.period_type, start)
    dates.PLAN.validate(period.start, "period_start")
    report, created = Report.objects.select_for_update().get_or_create(
        form=form, organization=org, period_start=period.start, defaults={"period_end": period.end}
    )
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError(
            _("The report is %(status)s; it cannot be marked not reported.")
            % {"status": report.get_status_display()}
        )
    report.note = reason[:300]
    return _transition(actor, report, "not_reported", ReportStatus.NOT_REPORTED, reason)


# Defining forms (sections, items, rules) lives in ``editing``; these names stay importable here.
from .editing import (  # noqa: E402, F401
    _require_form_editor,
    save_form,
    save_item,
    save_rule,
    save_section,
)
