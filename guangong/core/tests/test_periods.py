"""core.periods.Period and core.forms.PeriodForm: bounds, labels, neighbours, parsing, limits."""

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from guangong.core.forms import PeriodForm
from guangong.core.periods import Kind, Period, presets

CALENDAR = (Kind.MONTH, Kind.QUARTER, Kind.HALF, Kind.YEAR)
days = st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(kind=st.sampled_from(CALENDAR), day=days)
def test_a_calendar_period_holds_its_day_and_tiles_the_calendar(kind, day):
    period = Period.containing(kind, day)
    assert period.contains(day) and period.kind == kind
    assert period.start.day == 1 and (period.end + datetime.timedelta(days=1)).day == 1
    before, after = period.previous(), period.next()
    assert before.end + datetime.timedelta(days=1) == period.start
    assert period.end + datetime.timedelta(days=1) == after.start
    assert before.next() == period == after.previous()
    assert Period.range(period.start, period.end).kind == kind


@given(start=days, length=st.integers(min_value=1, max_value=4000))
def test_a_range_is_followed_and_preceded_by_as_many_days(start, length):
    period = Period.range(start, start + datetime.timedelta(days=length - 1))
    assert period.days == length
    if period.kind == Kind.CUSTOM:
        assert period.previous().days == length == period.next().days
        assert period.previous().end + datetime.timedelta(days=1) == period.start
    earlier = period.year_earlier()
    assert earlier.start.year == period.start.year - 1 and earlier.end.year == period.end.year - 1


def test_constructors_equality_and_months():
    assert Period.year(2026) == Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert Period.quarter(2026, 3) == Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert Period.half(2026, 2).start == datetime.date(2026, 7, 1)
    assert Period.month(2024, 2).end == datetime.date(2024, 2, 29)
    assert len(Period.year(2026).months()) == 12
    leap = Period(datetime.date(2024, 2, 29), datetime.date(2024, 3, 5))
    assert leap.year_earlier() == Period(datetime.date(2023, 2, 28), datetime.date(2023, 3, 5))
    first = Period.year(1)
    assert first.previous() == first  # the first year of the calendar has none before it
    assert Period.year(9999).months()[-1] == datetime.date(9999, 12, 1)


def test_presets_and_parse():
    today = datetime.date(2026, 11, 21)
    p = presets(today)
    assert p["month"] == Period.month(2026, 11)
    assert p["quarter"] == Period.quarter(2026, 4)
    assert p["year"] == Period.year(2026)
    assert p["last_year"] == Period.year(2025)
    assert Period.parse({}, today) == Period.year(2026)
    assert Period.parse({"period": "quarter"}, today) == Period.quarter(2026, 4)
    parsed = Period.parse({"from": "2026-03-01", "to": "2026-03-31"}, today)
    assert parsed == Period.month(2026, 3) and parsed.kind == Kind.MONTH
    for bad in (
        {"period": "decade"},
        {"from": "2026-03-31", "to": "2026-03-01"},
        {"from": "x", "to": "y"},
    ):
        with pytest.raises(ValueError):
            Period.parse(bad, today)


def test_labels_in_chinese():
    with translation.override("zh-hans"):
        assert Period.year(2026).label == "2026年"
        assert Period.quarter(2026, 3).label == "2026年第3季度"
        assert Period.half(2026, 1).label == "2026年上半年"
        assert Period.month(2026, 5).label == "2026年05月"
    custom = Period(datetime.date(2026, 3, 2), datetime.date(2026, 4, 1))
    assert custom.label == "2026-03-02—2026-04-01"


def test_one_form_for_presets_and_ranges():
    today = datetime.date(2026, 11, 21)
    assert PeriodForm().get_period(today) == Period.year(2026)
    form = PeriodForm({"period": "month"})
    assert form.is_valid() and form.get_period(today) == Period.month(2026, 11)
    form = PeriodForm({"from": "2026-01-01", "to": "2026-01-31"}, url_names=True)
    assert form.is_valid() and form.preset() == "" and form.get_period() == Period.month(2026, 1)
    form = PeriodForm({"period": "range", "start": "2026-02-01", "end": "2026-02-10"})
    assert form.is_valid() and form.get_period().days == 10
    assert not PeriodForm({"period": "range"}).is_valid()  # a range needs its dates
    too_long = PeriodForm({"period": "range", "start": "2000-01-01", "end": "2015-01-01"})
    assert not too_long.is_valid() and "end" in too_long.errors
    backwards = PeriodForm({"from": "2026-02-01", "to": "2026-01-01"}, url_names=True)
    assert not backwards.is_valid() and "end" in backwards.errors


def test_a_period_not_yet_over_compares_its_elapsed_days_with_the_same_days_a_year_before():
    december = Period.month(2026, 12)
    on_6th = datetime.date(2026, 12, 6)
    assert not december.complete(on_6th)
    assert december.elapsed(on_6th) == Period(datetime.date(2026, 12, 1), on_6th)
    assert december.comparable(on_6th) == Period(
        datetime.date(2025, 12, 1), datetime.date(2025, 12, 6)
    )
    # the year to date: 1 January – 6 December against the same days of last year
    year = Period.year(2026)
    assert year.comparable(on_6th) == Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 6))
    # once over (the day after its last), the whole period against the whole period
    assert december.complete(datetime.date(2027, 1, 1))
    assert december.comparable(datetime.date(2027, 1, 1)) == Period.month(2025, 12)
    assert not december.complete(datetime.date(2026, 12, 31))  # its last day is not over
    assert december.comparable(datetime.date(2026, 12, 31)) == Period.month(2025, 12)
    # a period that has not started has no elapsed days and nothing to compare
    assert Period.month(2027, 1).elapsed(on_6th) is None
    assert Period.month(2027, 1).comparable(on_6th) is None
    # 29 February of a leap year is compared with 28 February
    leap = Period.month(2028, 2)
    assert leap.comparable(datetime.date(2028, 2, 29)) == Period(
        datetime.date(2027, 2, 1), datetime.date(2027, 2, 28)
    )
