"""Filing a report: opening it prefilled, recomputing, entering values, submitting."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core import dates
from guangong.core.actions import action, nothing_changed
from guangong.core.periods import Period
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope
from guangong.orgs.models import Organization
from guangong.stats.figures import Figures

from .. import metrics
from ..models import FormItem, ItemKind, Report, ReportEvent, ReportForm, ReportStatus, ReportValue
from ..periods import as_period, period_starting
from .chain import is_reporter, reporting_children
from .values import check_rules, current_values, parse


def period_of(report: Report) -> Period:
    return as_period(report.form.period_type, report.period_start, report.period_end)


def _log_event(report: Report, actor, what: str, comment: str = "") -> None:
    """A line of the report's history."""
    ReportEvent.objects.create(
        report=report, action=what, actor=actor, actor_name=str(actor), comment=comment
    )


def _transition(actor, report: Report, what: str, status: str, comment: str = "") -> Report:
    """Move ``report`` to ``status``, with its history line and audit row."""
    before = snapshot(report)
    report.status = status
    report.save()
    _log_event(report, actor, what, comment)
    record(
        actor,
        Action.UPDATE,
        report,
        before=before,
        after=snapshot(report),
        parent=report.organization,
        message=f"{what}: {comment}"[:400] if comment else what,
    )
    return report


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


@action("write", model=Report)
def open_report(actor, form: ReportForm, org: Organization, start: datetime.date) -> Report:
    """The report of ``org`` for the period starting ``start``: made and prefilled if new."""
    if not policy_for(Report).allows_path(actor, "write", org.path):
        raise OutOfScope()
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
        _log_event(report, actor, "open")
        record(actor, Action.CREATE, report, after=snapshot(report), parent=org)
    else:
        nothing_changed()
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


def _editable(report: Report) -> Report:
    """The report (locked by the action) with its form and organisation, if it may change."""
    report = Report.objects.select_related("form", "organization").get(pk=report.pk)
    if not report.editable:
        raise ValidationError(
            _("The report is %(status)s and cannot be changed.")
            % {"status": report.get_status_display()}
        )
    return report


def _values_audit(actor, report: Report, before: dict) -> None:
    after = _printable(current_values(report))
    if after == before:
        nothing_changed()
        return
    record(
        actor,
        Action.UPDATE,
        report,
        before={"values": before},
        after={"values": after},
        parent=report.organization,
    )


def _printable(values: dict) -> dict:
    return {str(k): str(v) if v is not None else None for k, v in values.items()}


@action("write", model=Report)
def refresh(actor, report: Report) -> Report:
    """Recompute the computed items from the ledgers (overrides stay, beside the new value)."""
    report = _editable(report)
    before = _printable(current_values(report))
    _fill(report)
    _log_event(report, actor, "refresh")
    _values_audit(actor, report, before)
    return report


@action("write", model=Report)
def save_values(actor, report: Report, data: dict, overrides: dict | None = None) -> Report:
    """Enter values by item code. Computed items take a value only where the form allows an
    override (``overrides[code]`` True; False goes back to the computed value). Any bad value:
    a Chinese message per item code, and nothing is saved."""
    report = _editable(report)
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
            value, text = parse(item, raw)
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
    values = current_values(report)
    for row, value, _text, _override in changes:
        values[row.item_id] = value
    errors.update(check_rules(report, values, complete=False))
    if errors:
        raise ValidationError(errors)
    before = _printable(current_values(report))
    for row, value, text, override in changes:
        row.value, row.text, row.overridden = value, text, override
        row.save()
    _values_audit(actor, report, before)
    return report


def _ensure_period_over(report: Report) -> None:
    """A period is submitted once it is over, unless its form allows early submission."""
    end = report.period_end
    if end >= timezone.localdate() and not report.form.early_submission:
        raise ValidationError(
            _(
                "This report covers a period that ends on %(end)s: it can be submitted from "
                "%(day)s, once the period is over (the form does not allow early submission)."
            )
            % {"end": end.isoformat(), "day": (end + datetime.timedelta(days=1)).isoformat()}
        )


def _computed_changes(report: Report, before: dict[int, Decimal | None]) -> str:
    """“label: old → new” for each computed item whose value the refresh changed."""
    lines = []
    for value in report.values.select_related("item").order_by(
        "item__section__order", "item__order"
    ):
        if value.item.kind != ItemKind.COMPUTED or value.item_id not in before:
            continue
        old, new = before[value.item_id], value.computed
        if old != new:
            lines.append(
                _("%(item)s: %(old)s → %(new)s")
                % {"item": value.item.label, "old": _number(old), "new": _number(new)}
            )
    return "；".join(lines)


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}"


@action("write", model=Report)
def submit(actor, report: Report) -> Report:
    """Submit a draft or returned report: its computed items are recomputed from the ledgers
    first; what changed since the draft is written into the report's history (“刷新”) and the
    audit row."""
    report = _editable(report)
    _ensure_period_over(report)
    before = _printable(current_values(report))
    computed = dict(report.values.values_list("item_id", "computed"))
    _fill(report)
    changes = _computed_changes(report, computed)
    if changes:
        _log_event(report, actor, "submit_refresh", changes)
        _values_audit(actor, report, before)
    errors = check_rules(report, current_values(report), complete=True)
    if errors:
        raise ValidationError(errors)
    report.submitted_at = timezone.now()
    return _transition(actor, report, "submit", ReportStatus.SUBMITTED)


@action("write", model=Report)
def save_and_submit(actor, report: Report, data: dict, overrides: dict | None = None) -> Report:
    """Enter values, then submit: both or neither."""
    return submit(actor, save_values(actor, report, data, overrides))
