"""The lists of plans and tasks; the same columns are the exports."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, DateColumn, OrganizationColumn

from .models import PlanTask, WorkPlan


class WorkPlanTable(tables.Table):
    year = tables.Column(verbose_name=_("Year"))
    title = tables.Column(linkify=True, verbose_name=_("Title"))
    status = tables.Column(verbose_name=_("Status"))
    organization = OrganizationColumn()

    class Meta:
        model = WorkPlan
        fields = ("year", "title", "status", "organization")
        attrs = {**TABLE_ATTRS, "data-testid": "plan-table"}


class PlanTaskTable(tables.Table):
    text = tables.Column(linkify=True, verbose_name=pgettext_lazy("workplan", "Task"))
    status = tables.Column(verbose_name=_("Status"))
    due_date = DateColumn(
        verbose_name=pgettext_lazy("workplan", "Due date"), format="Y-m-d", attrs=WIDE_ONLY
    )
    plan = tables.Column(accessor="plan__title", verbose_name=_("Work plan"), attrs=WIDE_ONLY)

    class Meta:
        model = PlanTask
        fields = ("text", "status", "due_date", "plan")
        attrs = {**TABLE_ATTRS, "data-testid": "task-table"}

    def render_text(self, value):
        return value if len(value) <= 60 else f"{value[:60]}…"
