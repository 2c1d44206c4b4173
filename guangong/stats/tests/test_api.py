"""GET /api/stats/summary/: scope, the figures against the ledger, validation, the schema."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from guangong.activities.tests.conftest import record
from guangong.core.tests.support import MATRIX, assert_no_leak, zh
from guangong.stats import activities as stats

from .conftest import BAD_PERIODS, YEAR_2025, count_ledger

URL = "/api/stats/summary/"
RANGE_2025 = {"from": "2025-01-01", "to": "2025-12-31"}


@MATRIX
def test_scope(api_for, personas, ledger, persona, key, seen):
    response = api_for(personas[persona]).get(URL, {"org": ledger[key].pk, **RANGE_2025})
    assert response.status_code == (200 if seen else 404)
    if seen:
        assert response.json()["organization"] == {"id": ledger[key].pk, "name": ledger[key].name}
        assert_no_leak(response.content.decode(), ledger, persona)


def test_token_or_session_but_not_anonymous(client_for, a_admin, ledger):
    assert APIClient().get(URL).status_code in (401, 403)
    response = client_for(a_admin).get(URL, RANGE_2025)
    assert response.status_code == 200
    assert response.json()["organization"]["id"] == ledger.county_a.pk


@pytest.mark.parametrize("persona", ["city", "a", "b"])
def test_own_organisation_and_current_year_by_default(api_for, personas, ledger, persona):
    user = personas[persona]
    data = api_for(user).get(URL).json()
    assert data["organization"]["id"] == user.organization_id
    today = timezone.localdate()
    year = today.year
    assert data["period"] == {
        "from": f"{year}-01-01",
        "to": f"{year}-12-31",
        "complete": False,  # this year is not over: its figures are to date
        "as_of": today.isoformat(),
    }
    assert data["previous"]["period"] == {
        "from": f"{year - 1}-01-01",
        "to": today.replace(year=year - 1).isoformat()
        if (today.month, today.day) != (2, 29)
        else f"{year - 1}-02-28",
    }
    children = {line["organization"] for line in data["by_child"]}
    org = user.organization
    assert children == {c.pk for c in type(org).objects.get_children(org)}


def test_the_figures_equal_a_count_of_the_ledger(api_for, city_admin, ledger):
    api = api_for(city_admin)
    for key in ("city", "county_a", "township", "enterprise", "county_b"):
        data = api.get(URL, {"org": ledger[key].pk, **RANGE_2025}).json()
        want = count_ledger(ledger[key], YEAR_2025)
        totals = data["totals"]
        assert totals["sessions"] == want.sessions
        assert totals["participants"] == want.participants
        assert totals["elder_times"] == want.elder_times
        assert totals["service_hours"] == float(want.service_hours)
        assert totals["elders_engaged"] == want.elders_engaged
        assert sum(line["sessions"] for line in data["by_type"]) == want.sessions
        assert sum(line["sessions"] for line in data["by_group"]) == want.sessions
        assert sum(line["sessions"] for line in data["by_month"]) == want.sessions
        for line in data["by_child"]:
            child = type(ledger[key]).objects.get(pk=line["organization"])
            assert line["sessions"] == count_ledger(child, YEAR_2025).sessions


def test_exactly_what_summary_computes(api_for, city_admin, ledger):
    data = api_for(city_admin).get(URL, {"org": ledger.city.pk, **RANGE_2025}).json()
    expected = stats.summary(ledger.city, YEAR_2025)
    assert data["totals"]["service_hours"] == 7.5  # a number with one decimal, not a string
    assert isinstance(data["totals"]["service_hours"], float)
    assert data["by_month"] == [
        {**line, "service_hours": float(line["service_hours"])} for line in expected["by_month"]
    ]
    assert data["by_child"] == [
        {**line, "service_hours": float(line["service_hours"])} for line in expected["by_child"]
    ]
    assert data["by_type"] == [
        {**line, "service_hours": float(line["service_hours"])} for line in expected["by_type"]
    ]
    assert [g["group"] for g in data["by_group"]] == [g["group"] for g in expected["by_group"]]
    assert data["previous"]["period"] == {"from": "2024-01-01", "to": "2024-12-31"}
    assert data["previous"]["sessions"] == 2
    assert data["change"] == expected["change"]
    assert data["change"]["sessions"] == 150.0


def test_the_youth_count_only_when_asked(api_for, city_admin, ledger):
    api = api_for(city_admin)
    plain = api.get(URL, {"org": ledger.county_a.pk, **RANGE_2025}).json()["totals"]
    assert (plain["youth"], plain["sessions_per_10k_youth"]) == (None, None)
    asked = api.get(URL, {"org": ledger.county_a.pk, "youth": "1", **RANGE_2025}).json()
    expected = stats.summary(ledger.county_a, YEAR_2025)["totals"]
    assert asked["totals"]["youth"] == expected["youth"] == 2
    # registered young people are not a population: the rate waits for one (test_population)
    assert asked["totals"]["sessions_per_10k_youth"] is expected["sessions_per_10k_youth"] is None


@pytest.mark.parametrize(
    ("query", "field", "msgid"),
    [
        *(
            (query, {"start": "from", "end": "to"}[side], msgid)
            for query, side, msgid in BAD_PERIODS
        ),
        ({"to": "2025-01-01"}, "from", "Give both the start and the end date, or neither."),
        ({"from": "2025-02-30", "to": "2025-03-01"}, "from", "Enter a date as YYYY-MM-DD."),
        ({"from": "01/02/2025", "to": "2025-03-01"}, "from", "Enter a date as YYYY-MM-DD."),
        (
            {"from": "2014-01-01", "to": "2025-01-01"},
            "to",
            "A period can be at most %(n)s years long.",
        ),
        ({"org": "abc"}, "org", "The organisation must be given by its id, a number."),
    ],
)
def test_validation_errors_in_chinese(api_for, city_admin, ledger, query, field, msgid):
    response = api_for(city_admin).get(URL, query)
    assert response.status_code == 400
    expected = zh(msgid, n=10) if "%(n)s" in msgid else zh(msgid)
    assert response.json()[field] == [expected]
    assert expected != msgid % {"n": 10} if "%(n)s" in msgid else expected != msgid


def test_ten_years_are_allowed(api_for, city_admin, ledger):
    response = api_for(city_admin).get(URL, {"from": "2016-01-01", "to": "2025-12-31"})
    assert response.status_code == 200
    assert len(response.json()["by_month"]) == 120


def test_a_viewer_reads_the_statistics(api_for, a_viewer, ledger):
    response = api_for(a_viewer).get(URL, RANGE_2025)
    assert response.status_code == 200
    assert response.json()["totals"]["sessions"] == 3


def test_documented_in_the_openapi_schema(client_for, city_admin):
    response = client_for(city_admin).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/stats/summary/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"org", "from", "to"} <= names
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(body["properties"]) == {
        "organization",
        "period",
        "totals",
        "by_type",
        "by_group",
        "by_month",
        "by_child",
        "previous",
        "change",
        "denominator",
        "records_from",
    }
    period = schema["components"]["schemas"]["Period"]
    assert set(period["properties"]) == {"from", "to"}
    counted = schema["components"]["schemas"]["CountedPeriod"]
    assert set(counted["properties"]) == {"from", "to", "complete", "as_of"}


def test_a_year_on_29_february(api_for, city_admin, ledger, types):
    # Records from January 2023, so that February 2023 is a base to compare with.
    record(city_admin, ledger.city, types["talk"], day=datetime.date(2023, 1, 9))
    response = api_for(city_admin).get(URL, {"from": "2024-02-29", "to": "2024-02-29"})
    assert response.status_code == 200
    assert response.json()["previous"]["period"]["from"] == str(datetime.date(2023, 2, 28))
