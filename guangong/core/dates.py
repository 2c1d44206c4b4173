"""The dates users may enter, and date arithmetic that never overflows.

A date typed by hand (9999-12-31 for 2025-12-31, 0202 for 2020) is refused where it is entered:
each kind of date has one plausible range, declared here once and applied on the model field
(``core.fields.BoundedDateField``: pages, API and imports all check it) or, for a form that
has no model field behind it, on the form field (``validators=[dates.WORK.validator]``).

Rows stored before these ranges existed may still hold such dates, so code that computes with
dates (period ends, due dates, the next month) goes through ``add_days`` / ``add_months``,
which stop at the calendar's ends instead of raising ``OverflowError``.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from .validators import DateRangeValidator


def today() -> datetime.date:
    return timezone.localdate()


def shift_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (28 February for 29 February), within the calendar."""
    year = min(max(day.year + years, datetime.MINYEAR), datetime.MAXYEAR)
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def add_days(day: datetime.date, days: int) -> datetime.date:
    """``day + days``, or the first / last date of the calendar when that is beyond it."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after ``day``'s, within the calendar."""
    index = day.year * 12 + day.month - 1 + months
    index = min(max(index, datetime.MINYEAR * 12), datetime.MAXYEAR * 12 + 11)
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_of(day: datetime.date) -> datetime.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    """The first day of the month after ``month`` (a month's first day)."""
    return (month + datetime.timedelta(days=32)).replace(day=1)


def last_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def in_years(years: int):
    def limit() -> datetime.date:
        return shift_years(today(), years)

    limit.__name__ = f"today_plus_{years}_years"
    return limit


@dataclass(frozen=True)
class DateRange:
    """A kind of date users enter: its earliest and latest plausible values."""

    name: str
    earliest: datetime.date
    latest: object  # a date, or a callable giving one (today moves)

    @property
    def validator(self) -> DateRangeValidator:
        return DateRangeValidator(self.earliest, self.latest)

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return self.validator.bounds()

    def validate(self, value: datetime.date | None, field: str | None = None) -> None:
        """Raise the range's ValidationError (keyed by ``field`` when given)."""
        if value is None:
            return
        try:
            self.validator(value)
        except ValidationError as exc:
            raise (ValidationError({field: exc}) if field else exc) from None


#: Birth dates.
BIRTH = DateRange("birth", datetime.date(1900, 1, 1), today)
#: What has happened in the committees' work: activities, visits, care cases and their steps.
WORK = DateRange("work", datetime.date(2000, 1, 1), today)
#: What is planned as well as done: report forms and periods, documents, mentorships.
PLAN = DateRange("plan", datetime.date(2000, 1, 1), in_years(5))
#: An organisation's and a volunteer's history: founding, status, joining, taking a post.
HISTORY = DateRange("history", datetime.date(1950, 1, 1), today)
#: The end of a term of office, which may be years ahead.
TERM_END = DateRange("term_end", datetime.date(1950, 1, 1), in_years(10))
