"""Reports due in ``NOTIFY_DEADLINE_DAYS`` (3) days and not yet submitted: a message to the
users of the organisation who fill them in (once per report and due date)."""

import datetime

from django.conf import settings
from django.utils import timezone

from guangong.reporting.models import Report, ReportStatus
from guangong.reporting.services.filing import period_of

from .models import Event
from .sending import make_messages

#: How far back a period may have ended and its report still be open.
LOOK_BACK_DAYS = 400


def due_soon(today: datetime.date):
    """The open reports whose due date is ``NOTIFY_DEADLINE_DAYS`` days after ``today``."""
    target = today + datetime.timedelta(days=settings.NOTIFY_DEADLINE_DAYS)
    open_reports = Report.objects.filter(
        status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED),
        period_end__gte=today - datetime.timedelta(days=LOOK_BACK_DAYS),
        period_end__lte=target,
    ).select_related("form")
    for report in open_reports.iterator():
        if period_of(report).due(report.form.due_days) == target:
            yield report, target


def remind(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    made = 0
    for report, due in due_soon(today):
        made += len(make_messages(Event.REPORT_DUE, {"report": report.pk, "due": due.isoformat()}))
    return made
