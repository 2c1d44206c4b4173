"""Periods of time the figures are counted over: a year, half-year, quarter, month or any range.

One type for every app: the statistics pages, documents, reports and their computed items.
A period is its first and last day (both inclusive) and its kind; two periods with the same days
are equal whatever their kind. Calendar periods (month, quarter, half, year) know the period
before and after them; every period knows the same days a year earlier (同比) and, while it is not
over, which of its days have elapsed, so that a comparison is like for like.
"""

import datetime
import enum
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import dates


class Kind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    CUSTOM = "custom"


#: Months in a calendar period of each kind.
MONTHS = {Kind.MONTH: 1, Kind.QUARTER: 3, Kind.HALF: 6, Kind.YEAR: 12}

#: The periods the statistics pages and documents offer by name, relative to today.
PRESET_LABELS = {
    "month": gettext_lazy("This month"),
    "quarter": gettext_lazy("This quarter"),
    "year": gettext_lazy("This year"),
    "last_year": gettext_lazy("Last year"),
}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    kind: Kind = field(default=Kind.CUSTOM, compare=False)

    # --- Constructors ---

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> "Period":
        """The calendar period of ``kind`` (month, quarter, half, year) that holds ``day``."""
        kind = Kind(kind)
        length = MONTHS[kind]
        first_month = (day.month - 1) // length * length + 1
        start = datetime.date(day.year, first_month, 1)
        return cls(start, dates.last_of_month(day.year, first_month + length - 1), kind)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls.containing(Kind.YEAR, datetime.date(year, 1, 1))

    @classmethod
    def half(cls, year: int, n: int) -> "Period":
        return cls.containing(Kind.HALF, datetime.date(year, 6 * n - 5, 1))

    @classmethod
    def quarter(cls, year: int, n: int) -> "Period":
        return cls.containing(Kind.QUARTER, datetime.date(year, 3 * n - 2, 1))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls.containing(Kind.MONTH, datetime.date(year, month, 1))

    @classmethod
    def range(cls, start: datetime.date, end: datetime.date) -> "Period":
        """Any days; a range that is exactly a calendar period takes that period's kind."""
        for kind in (Kind.YEAR, Kind.HALF, Kind.QUARTER, Kind.MONTH):
            period = cls.containing(kind, start)
            if (period.start, period.end) == (start, end):
                return period
        return cls(start, end)

    @classmethod
    def preset(cls, key: str, today: datetime.date) -> "Period":
        """本月, 本季度, 本年, 上年 (to the end of the period, not only to today)."""
        if key == "last_year":
            return cls.year(today.year - 1)
        return cls.containing(key, today)

    @classmethod
    def parse(cls, params, today: datetime.date, default: str = "year") -> "Period":
        """From query parameters: ``from`` and ``to`` (ISO dates), else ``period`` (a preset).

        ValueError for a date that does not parse or a range that ends before it starts; the
        forms (``core.forms.PeriodForm``) say what is wrong in words.
        """
        start, end = params.get("from"), params.get("to")
        if start and end:
            first, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
            if last < first:
                raise ValueError("the end is before the start")
            return cls.range(first, last)
        key = params.get("period") or default
        if key not in PRESET_LABELS:
            raise ValueError(f"no period called {key!r}")
        return cls.preset(key, today)

    # --- Questions ---

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def complete(self, today: datetime.date) -> bool:
        """Whether the period is over on ``today``: its last day has passed."""
        return self.end < today

    def elapsed(self, today: datetime.date) -> "Period | None":
        """The days of the period up to ``today`` (every day once it is over; None before it
        starts). Activities cannot be dated after today, so these are the days with figures."""
        if today < self.start:
            return None
        if self.end <= today:
            return self
        return Period(self.start, today)

    def comparable(self, today: datetime.date) -> "Period | None":
        """同比 like for like: the days elapsed by ``today``, a year earlier (on 6 December,
        1–6 December against 1–6 December a year before, not against all of last December);
        None before the period starts."""
        days = self.elapsed(today)
        return days.year_earlier() if days is not None else None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches."""
        out, month = [], self.start.replace(day=1)
        last = self.end.replace(day=1)
        while month <= last:
            out.append(month)
            if month == last:  # December 9999 has no next month
                break
            month = dates.add_months(month, 1)
        return out

    @property
    def label(self) -> str:
        year = self.start.year
        if self.kind == Kind.MONTH:
            return _("%(year)d-%(month)02d") % {"year": year, "month": self.start.month}
        if self.kind == Kind.QUARTER:
            return _("%(year)d Q%(n)d") % {"year": year, "n": (self.start.month - 1) // 3 + 1}
        if self.kind == Kind.HALF:
            if self.start.month == 1:
                return _("%(year)d first half") % {"year": year}
            return _("%(year)d second half") % {"year": year}
        if self.kind == Kind.YEAR:
            return _("%(year)d") % {"year": year}
        return f"{self.start:%Y-%m-%d}—{self.end:%Y-%m-%d}"

    def __str__(self) -> str:
        return self.label

    # --- Neighbours ---

    def previous(self) -> "Period":
        """The calendar period before (the first of the calendar has none: itself); a range:
        as many days just before it."""
        if self.kind == Kind.CUSTOM:
            end = dates.add_days(self.start, -1)
            return Period(dates.add_days(end, 1 - self.days), end)
        return Period.containing(self.kind, dates.add_days(self.start, -1))

    def next(self) -> "Period":
        """The calendar period after (the last of the calendar has none: itself)."""
        if self.kind == Kind.CUSTOM:
            start = dates.add_days(self.end, 1)
            return Period(start, dates.add_days(start, self.days - 1))
        return Period.containing(self.kind, dates.add_days(self.end, 1))

    def year_earlier(self) -> "Period":
        """The same days a year before (29 February → 28), for 同比."""
        start, end = dates.shift_years(self.start, -1), dates.shift_years(self.end, -1)
        return Period(start, end, self.kind)

    def due(self, days: int) -> datetime.date:
        """``days`` after the end (a period that ends on 9999-12-31: no OverflowError)."""
        return dates.add_days(self.end, days)


def presets(today: datetime.date) -> dict[str, Period]:
    """Every preset by its key, relative to ``today``."""
    return {key: Period.preset(key, today) for key in PRESET_LABELS}
