"""Adding up: a collector's totals, completeness and timeliness, overdue reports, notices."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from guangong.core.periods import Period
from guangong.core.resources import policy_for
from guangong.core.scope import ancestor_paths, subtree_q
from guangong.orggroups.models import Assignment, GroupSet, OrgGroup
from guangong.orggroups.selection import Slot, slots
from guangong.orgs.models import Organization

from .models import FormItem, Report, ReportForm, ReportStatus, ReportValue
from .periods import recent
from .services.chain import is_reporter, reporters, reporting_children

RECEIVED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


@dataclass
class ChildLine:
    organization: Organization
    report: Report | None
    on_time: bool

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""


@dataclass
class Aggregate:
    form: ReportForm
    organization: Organization
    period: Period
    due: datetime.date
    totals: dict[int, Decimal] = field(default_factory=dict)  # item id → sum of approved values
    children: list[ChildLine] = field(default_factory=list)
    group: OrgGroup | None = None  # only the reporting organisations in this group
    #: By the groups of one set (then 未分组): the slot, its reporting organisations and, per
    #: item id, the sum of their approved values.
    by_group: list["GroupTotals"] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.children)

    @property
    def received(self) -> int:
        return sum(1 for c in self.children if c.status in RECEIVED)

    @property
    def approved(self) -> int:
        return sum(1 for c in self.children if c.status == ReportStatus.APPROVED)

    @property
    def on_time(self) -> int:
        return sum(1 for c in self.children if c.on_time)

    @property
    def completeness(self) -> float:
        return round(self.received * 100 / self.expected, 1) if self.expected else 100.0

    @property
    def timeliness(self) -> float:
        return round(self.on_time * 100 / self.expected, 1) if self.expected else 100.0

    def missing(self) -> list[ChildLine]:
        return [c for c in self.children if c.status not in RECEIVED]

    def items(self) -> list[FormItem]:
        return list(self.form.items())


@dataclass
class GroupTotals:
    slot: Slot
    expected: int = 0
    approved: int = 0
    totals: dict[int, Decimal] = field(default_factory=dict)


def _groups_of(org_ids: list[int], group_set) -> dict[int, int]:
    """Organisation id → its group of ``group_set`` (those with one)."""
    return dict(
        Assignment.objects.filter(group_set=group_set, organization_id__in=org_ids).values_list(
            "organization_id", "group_id"
        )
    )


def aggregate(
    form: ReportForm,
    org: Organization,
    period: Period,
    group: OrgGroup | None = None,
    by_set: GroupSet | None = None,
) -> Aggregate:
    """Per item, the total over the approved reports ``org`` collects; who is missing or late.

    With a ``group``, only the reporting organisations in it count (their totals, who of them
    is missing or late); ``by_set`` adds the totals by the groups of that set (and 未分组)."""
    due = period.due(form.due_days)
    children = reporting_children(form, org)
    if group is not None:
        inside = set(_groups_of([c.pk for c in children], group.group_set_id).items())
        children = [c for c in children if (c.pk, group.pk) in inside]
    reports = {
        r.organization_id: r
        for r in Report.objects.filter(
            form=form, period_start=period.start, organization__in=[c.pk for c in children]
        )
    }
    result = Aggregate(form, org, period, due, group=group)
    for child in children:
        report = reports.get(child.pk)
        on_time = bool(
            report
            and report.status in RECEIVED
            and report.submitted_at
            and timezone.localtime(report.submitted_at).date() <= due
        )
        result.children.append(ChildLine(child, report, on_time))
    approved = {
        r.pk: r.organization_id for r in reports.values() if r.status == ReportStatus.APPROVED
    }
    lines: dict[int | None, GroupTotals] = {}
    group_of: dict[int, int] = {}
    if by_set is not None:
        lines = {slot.key: GroupTotals(slot) for slot in slots(by_set)}
        group_of = _groups_of([c.pk for c in children], by_set)
        approved_orgs = set(approved.values())
        for child in children:
            line = lines[group_of.get(child.pk)]
            line.expected += 1
            line.approved += child.pk in approved_orgs
    for report_id, item_id, value in ReportValue.objects.filter(
        report__in=list(approved)
    ).values_list("report_id", "item_id", "value"):
        if value is None:
            continue
        result.totals[item_id] = result.totals.get(item_id, Decimal(0)) + value
        if lines:
            line = lines[group_of.get(approved[report_id])]
            line.totals[item_id] = line.totals.get(item_id, Decimal(0)) + value
    result.by_group = list(lines.values())
    return result


@dataclass(frozen=True)
class Overdue:
    form: ReportForm
    organization: Organization
    period: Period
    due: datetime.date
    status: str


def overdue(root: Organization, today: datetime.date | None = None, periods: int = 4):
    """Reports of ``root``'s subtree past their due date and not yet received (recent periods)."""
    today = today or timezone.localdate()
    ancestors = ancestor_paths(root.path)
    forms = ReportForm.objects.filter(active=True).select_related("owner")
    forms = forms.filter(owner__path__in=ancestors) | forms.filter(
        subtree_q("owner__path", root.path)
    )
    found: list[Overdue] = []
    for form in forms.distinct():
        orgs = list(reporters(form).filter(subtree_q("path", root.path)))
        if not orgs:
            continue
        for period in recent(form.period_type, today, periods):
            due = period.due(form.due_days)
            if due >= today or period.start < form.first_period().start:
                continue
            received = dict(
                Report.objects.filter(
                    form=form, period_start=period.start, organization__in=[o.pk for o in orgs]
                ).values_list("organization_id", "status")
            )
            for org in orgs:
                status = received.get(org.pk, "")
                if status not in (*RECEIVED, ReportStatus.NOT_REPORTED):
                    found.append(Overdue(form, org, period, due, status))
    return sorted(found, key=lambda o: (o.due, o.organization.path))


def notices(user, today: datetime.date | None = None) -> list[Overdue]:
    """What the user's own organisation must still file: overdue, or due within 7 days."""
    today = today or timezone.localdate()
    org = getattr(user, "organization", None)
    if org is None or not policy_for(Report).may(user, "write"):
        return []
    ancestors = ancestor_paths(org.path, include_self=False)
    out: list[Overdue] = []
    for form in ReportForm.objects.filter(active=True, owner__path__in=ancestors):
        if not is_reporter(form, org):
            continue
        for period in recent(form.period_type, today, 2):
            due = period.due(form.due_days)
            if due - today > datetime.timedelta(days=7) or period.start < form.first_period().start:
                continue
            status = (
                Report.objects.filter(form=form, organization=org, period_start=period.start)
                .values_list("status", flat=True)
                .first()
            ) or ""
            if status not in (*RECEIVED, ReportStatus.NOT_REPORTED):
                out.append(Overdue(form, org, period, due, status))
    return out
