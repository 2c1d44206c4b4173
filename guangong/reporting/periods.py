"""Reporting periods: 月, 季, 半年, 年 — their bounds, names and due dates."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core import dates


class PeriodType(models.TextChoices):
    MONTH = "month", gettext_lazy("Monthly")
    QUARTER = "quarter", gettext_lazy("Quarterly")
    HALF = "half", gettext_lazy("Half-yearly")
    YEAR = "year", gettext_lazy("Yearly")


MONTHS = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.HALF: 6, PeriodType.YEAR: 12}


@dataclass(frozen=True)
class ReportPeriod:
    type: str
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self) -> str:
        year = self.start.year
        if self.type == PeriodType.MONTH:
            return _("%(year)d-%(month)02d") % {"year": year, "month": self.start.month}
        if self.type == PeriodType.QUARTER:
            return _("%(year)d Q%(n)d") % {"year": year, "n": (self.start.month - 1) // 3 + 1}
        if self.type == PeriodType.HALF:
            if self.start.month == 1:
                return _("%(year)d first half") % {"year": year}
            return _("%(year)d second half") % {"year": year}
        return _("%(year)d") % {"year": year}

    def due(self, due_days: int) -> datetime.date:
        # A period stored before dates were bounded may end on 9999-12-31: no OverflowError.
        return dates.add_days(self.end, due_days)

    def previous(self) -> "ReportPeriod":
        """The period before (the first one of the calendar has none: itself)."""
        return period_containing(self.type, dates.add_days(self.start, -1))

    def next(self) -> "ReportPeriod":
        """The period after (the last one of the calendar has none: itself)."""
        return period_containing(self.type, dates.add_days(self.end, 1))


def period_containing(period_type: str, day: datetime.date) -> ReportPeriod:
    length = MONTHS[PeriodType(period_type)]
    first_month = (day.month - 1) // length * length + 1
    start = datetime.date(day.year, first_month, 1)
    end = dates.last_of_month(day.year, first_month + length - 1)
    return ReportPeriod(period_type, start, end)


def period_starting(period_type: str, start: datetime.date) -> ReportPeriod:
    """The period that starts on ``start``; ValueError when no period starts that day."""
    period = period_containing(period_type, start)
    if period.start != start:
        raise ValueError("not the first day of a period")
    return period


def recent(period_type: str, today: datetime.date, count: int) -> list[ReportPeriod]:
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
