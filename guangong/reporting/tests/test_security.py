"""Dates a report form is given by hand: refused outside 2000 → five years ahead, and pages
that compute periods from rows stored before that rule keep working."""

import datetime

import pytest
from django.utils import translation

from guangong.core import dates
from guangong.core.tests.support import text
from guangong.reporting.aggregate import notices, overdue
from guangong.reporting.models import Report, ReportForm
from guangong.reporting.periods import PeriodType, period_containing, recent
from guangong.reporting.services import filing

from .conftest import Q1, new_form

FORM_POST = {
    "name": "伊宁市月度工作表",
    "period_type": "month",
    "reporting_kinds": ["township"],
    "due_days": "5",
    "description": "",
    "active": "on",
}
TOO_LATE = (dates.shift_years(dates.today(), 5) + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("starts_on", ["9999-12-31", "1999-12-31", TOO_LATE])
def test_the_form_page_refuses_an_implausible_start(client_for, tree, a_admin, starts_on):
    client = client_for(a_admin)

    with translation.override("zh-hans"):
        response = client.post("/reports/forms/new/", {**FORM_POST, "starts_on": starts_on})

    assert response.status_code in (200, 400)
    assert response.context["form"].has_error("starts_on")
    assert "2000年1月1日" in text(response)
    assert not ReportForm.objects.filter(name=FORM_POST["name"]).exists()


def test_the_api_refuses_an_implausible_start(api_for, tree, a_admin):
    api = api_for(a_admin)
    body = {
        "name": "伊宁市月报",
        "period_type": "month",
        "reporting_kinds": ["township"],
        "starts_on": "9999-12-31",
    }

    response = api.post("/api/report-forms/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 400
    assert "2000年1月1日" in str(response.json()["starts_on"])
    assert not ReportForm.objects.filter(name="伊宁市月报").exists()


def test_the_service_refuses_an_implausible_start(tree, a_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        new_form(
            a_admin,
            tree.county_a,
            "远期报表",
            period_type="year",
            starts_on=datetime.date(9999, 12, 31),
        )
    assert "starts_on" in caught.value.message_dict


def test_a_report_of_an_implausible_period_is_not_opened(form, tree, a_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        filing.open_report(a_admin, form, tree.county_a, datetime.date(1900, 1, 1))
    assert not Report.objects.filter(period_start=datetime.date(1900, 1, 1)).exists()


def test_overdue_and_the_form_pages_survive_a_form_stored_with_an_extreme_start(
    client_for, form, tree, city_admin, t_clerk
):
    # A row saved before dates were bounded (an import, an old version): the pages still answer.
    ReportForm.objects.filter(pk=form.pk).update(starts_on=datetime.date(9999, 12, 31))
    client = client_for(city_admin)

    for url in (
        "/reports/overdue/",
        f"/reports/overdue/?org={tree.county_a.pk}",
        f"/reports/forms/{form.pk}/",
        f"/reports/forms/{form.pk}/collect/",
        "/reports/",
        "/",
    ):
        assert client.get(url).status_code == 200, url
    assert client_for(t_clerk).get("/reports/").status_code == 200


def test_a_report_stored_at_the_end_of_the_calendar_still_shows(
    client_for, form, tree, city_admin, t_clerk
):
    report = filing.open_report(t_clerk, form, tree.township, Q1)
    Report.objects.filter(pk=report.pk).update(
        period_start=datetime.date(9999, 10, 1), period_end=datetime.date(9999, 12, 31)
    )

    assert client_for(city_admin).get(f"/reports/{report.pk}/").status_code == 200
    assert overdue(tree.city, datetime.date(2026, 4, 20)) is not None
    # Its computed items are read from the ledgers again without an overflow.
    report.refresh_from_db()
    assert filing.refresh(t_clerk, report).computed_at is not None


@pytest.mark.parametrize("period_type", PeriodType.values)
def test_periods_at_the_ends_of_the_calendar(period_type):
    last = period_containing(period_type, datetime.date.max)
    first = period_containing(period_type, datetime.date.min)

    assert last.end == datetime.date.max
    assert last.due(30) == datetime.date.max
    assert last.next() == last
    assert first.start == datetime.date.min
    assert first.previous() == first
    assert recent(period_type, datetime.date.min, 4) == []


def test_overdue_and_notices_with_an_extreme_due_delay(form, tree, t_clerk):
    ReportForm.objects.filter(pk=form.pk).update(starts_on=datetime.date(1, 1, 1))

    assert overdue(tree.city, datetime.date.max) is not None
    assert notices(t_clerk, datetime.date.max) is not None
