"""What a plan's tasks measure, computed live from the statistics layer, and how progress
rolls up the tree.

A task that names a measure (``reporting.metrics``: sessions, participants, service hours of an
activity type or group, elders, cases …) is measured for the plan's organisation's subtree
over the plan's year so far (``Period.elapsed``: the days up to today, every day once the year
is over), beside the same days a year earlier (like for like).
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from guangong.core import dates
from guangong.core.periods import Period
from guangong.orgs.models import Organization
from guangong.reporting import metrics

from .models import PlanTask, TaskStatus, WorkPlan


@dataclass
class Measured:
    value: Decimal
    target: Decimal | None
    before: Decimal | None  # the same days a year earlier
    period: Period

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return min(999, int(self.value * 100 / self.target))

    @property
    def met(self) -> bool:
        return self.target is not None and self.value >= self.target


def year_so_far(year: int, today: datetime.date | None = None) -> Period | None:
    return Period.year(year).elapsed(today or dates.today())


def measure(
    task: PlanTask, org: Organization | None = None, today: datetime.date | None = None
) -> Measured | None:
    """The task's figure for ``org``'s subtree (the plan's organisation by default) over its
    year so far; None when the task names no measure or the year has not begun."""
    if not task.metric or task.metric not in metrics.METRICS:
        return None
    today = today or dates.today()
    period = year_so_far(task.plan.year, today)
    if period is None:
        return None
    org = org or task.plan.organization
    value = metrics.compute(task.metric, org, period, task.metric_param)
    earlier = period.year_earlier() if period.start.year > 2000 else None
    before = metrics.compute(task.metric, org, earlier, task.metric_param) if earlier else None
    return Measured(value=value, target=task.target, before=before, period=period)


def measure_label(task: PlanTask) -> str:
    metric = metrics.METRICS.get(task.metric)
    if metric is None:
        return ""
    label = str(metric.label)
    if task.metric_param:
        choices = dict(metrics.param_choices(metric.param))
        label = f"{label} · {choices.get(task.metric_param, task.metric_param)}"
    return label


def adoptions(user, task: PlanTask) -> list[dict]:
    """Each plan below that adopted the task, as the user may read it: the organisation, its
    copy of the task, its latest report and its own figure against its own target."""
    copies = (
        PlanTask.objects.visible_to(user)
        .filter(source=task)
        .select_related("plan__organization")
        .order_by("plan__organization__path")
    )
    rows = []
    for copy in copies:
        rows.append(
            {
                "organization": copy.plan.organization,
                "task": copy,
                "latest": copy.reports.order_by("-created_at", "-pk").first(),
                "measured": measure(copy),
            }
        )
    return rows


def overview(user, plan: WorkPlan) -> dict:
    """The tasks of the year's plans in the plan's subtree, as the user reads them, counted by
    status: in all, and per organisation."""
    tasks = PlanTask.objects.visible_to(user).filter(
        plan__year=plan.year, plan__organization__path__startswith=plan.organization.path
    )
    rows = tasks.values_list("plan_id", "plan__organization__name", "status")
    totals: Counter = Counter()
    per_plan: dict[int, dict] = {}
    for plan_id, name, status in rows:
        totals[status] += 1
        entry = per_plan.setdefault(plan_id, {"plan": plan_id, "name": name, "counts": Counter()})
        entry["counts"][status] += 1
    statuses = [key for key, _label in TaskStatus.choices]
    plans = WorkPlan.objects.select_related("organization").in_bulk(per_plan.keys())
    ordered = sorted(per_plan.values(), key=lambda e: plans[e["plan"]].organization.path)
    return {
        "statuses": TaskStatus.choices,
        "totals": [totals[s] for s in statuses],
        "total": sum(totals.values()),
        "rows": [
            {
                "plan": plans[e["plan"]],
                "name": e["name"],
                "counts": [e["counts"][s] for s in statuses],
                "total": sum(e["counts"].values()),
            }
            for e in ordered
        ],
    }
