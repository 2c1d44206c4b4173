"""Reporting periods: 月, 季, 半年, 年 — the choice a report form stores, as core Periods.

``PeriodType`` is what a form's ``period_type`` field holds; this module is the one place that
turns it into a ``core.periods.Period`` and back.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy

from guangong.core.periods import Kind, Period


class PeriodType(models.TextChoices):
    MONTH = Kind.MONTH.value, gettext_lazy("Monthly")
    QUARTER = Kind.QUARTER.value, gettext_lazy("Quarterly")
    HALF = Kind.HALF.value, gettext_lazy("Half-yearly")
    YEAR = Kind.YEAR.value, gettext_lazy("Yearly")


def as_period(period_type: str, start: datetime.date, end: datetime.date) -> Period:
    """The period a report of ``period_type`` covers, from its stored first and last day."""
    return Period(start, end, Kind(PeriodType(period_type).value))


def period_containing(period_type: str, day: datetime.date) -> Period:
    return Period.containing(PeriodType(period_type).value, day)


def period_starting(period_type: str, start: datetime.date) -> Period:
    """The period that starts on ``start``; ValueError when no period starts that day."""
    period = period_containing(period_type, start)
    if period.start != start:
        raise ValueError("not the first day of a period")
    return period


def recent(period_type: str, today: datetime.date, count: int) -> list[Period]:
    """The last ``count`` periods that have ended by ``today``, newest first."""
    period = period_containing(period_type, today)
    out = []
    for _i in range(count):
        earlier = period.previous()
        if earlier == period:  # the first period of the calendar has none before it
            break
        out.append(earlier)
        period = earlier
    return out
