"""Populations: the denominators of 每万名青少年, recorded per organisation and year with their
source; a rate is shown only over a recorded population, never over registered young people."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from guangong.audit.models import Action, AuditLog
from guangong.core.periods import Period
from guangong.stats import services
from guangong.stats.figures import Figures
from guangong.stats.models import Population, PopulationKind

from .conftest import YEAR_2025

URL = "/stats/populations/"


def add(actor, org, year, count, kind=PopulationKind.YOUTH, source="统计年鉴"):
    return services.save_population(
        actor, Population(organization=org, year=year, kind=kind, count=count, source=source)
    )


def test_the_rate_divides_by_the_recorded_population(city_admin, ledger):
    county_a = ledger.county_a
    before = Figures(county_a, YEAR_2025).activities
    assert before["totals"]["sessions_per_10k_youth"] is None  # two registered: not a base
    assert before["denominator"] is None
    add(city_admin, county_a, 2024, 20000, source="第七次全国人口普查")  # last year's number
    add(city_admin, county_a, 2026, 99999)  # a later year is not this period's
    result = Figures(county_a, YEAR_2025).activities
    assert result["totals"]["sessions_per_10k_youth"] == 3 * 10000 / 20000
    assert result["denominator"] == {
        "kind": "youth",
        "label": "青少年人口",
        "year": 2024,
        "count": 20000,
        "source": "第七次全国人口普查",
    }
    # a unit records its young employees
    add(
        city_admin,
        ledger.enterprise,
        2025,
        400,
        kind=PopulationKind.YOUNG_WORKERS,
        source="职工名册",
    )
    unit = Figures(ledger.enterprise, YEAR_2025).activities
    assert unit["totals"]["sessions_per_10k_youth"] == 1 * 10000 / 400
    assert unit["denominator"]["kind"] == "young_workers"


def test_recording_is_audited_once_a_year_and_in_scope(city_admin, a_admin, tree):
    row = add(a_admin, tree.township, 2025, 3000)
    log = AuditLog.objects.get(action=Action.CREATE, object_id=str(row.pk))
    assert log.user == a_admin and log.after["count"] == 3000
    with pytest.raises(ValidationError, match="已登记"):
        add(a_admin, tree.township, 2025, 3100)
    with pytest.raises(Http404):  # another county is out of scope: as if absent
        add(a_admin, tree.county_b, 2025, 5000)
    assert Population.objects.count() == 1


def test_pages_list_add_and_refuse(client_for, a_admin, a_viewer, b_admin, tree):
    client = client_for(a_admin)
    response = client.post(
        URL + "new/",
        {
            "organization": tree.township.pk,
            "year": 2025,
            "kind": "youth",
            "count": "3000",
            "source": "乡镇统计年报",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Population.objects.get().count == 3000
    again = client.post(
        URL + "new/",
        {
            "organization": tree.township.pk,
            "year": 2025,
            "kind": "youth",
            "count": "1",
            "source": "x",
        },
    )
    assert again.status_code == 400 and "已登记" in again.content.decode()
    page = client.get(URL).content.decode()
    assert "乡镇统计年报" in page and 'data-testid="population-table"' in page
    assert "编辑" in page
    viewer = client_for(a_viewer).get(URL).content.decode()
    assert (
        "乡镇统计年报" in viewer and "编辑" not in viewer.split('data-testid="population-table"')[1]
    )
    assert client_for(a_viewer).get(URL + "new/").status_code in (403, 404)
    assert "乡镇统计年报" not in client_for(b_admin).get(URL).content.decode()


def test_the_statistics_page_names_its_denominator(client_for, city_admin, ledger):
    client = client_for(city_admin)
    query = {"org": ledger.county_a.pk, "from": "2025-01-01", "to": "2025-12-31"}
    page = client.get("/stats/", query).content.decode()
    assert 'data-testid="total-per-10k">—<' in page and "未登记人口基数" in page
    add(city_admin, ledger.county_a, 2025, 30000, source="州统计年鉴")
    page = client.get("/stats/", query).content.decode()
    assert 'data-testid="total-per-10k">1.0<' in page
    assert "基数 30000（2025年，州统计年鉴）" in page.replace(",", "")


def test_the_api_records_and_lists_in_scope(api_for, a_admin, b_admin, tree):
    api = api_for(a_admin)
    body = {"organization": tree.township.pk, "year": 2025, "kind": "youth", "count": 800}
    response = api.post("/api/populations/", {**body, "source": "台账"}, format="json")
    assert response.status_code == 201, response.content
    assert api.get("/api/populations/").json()["count"] == 1
    assert api_for(b_admin).get("/api/populations/").json()["count"] == 0
    out = api_for(b_admin).post(
        "/api/populations/", {**body, "year": 2024, "source": "x"}, format="json"
    )
    assert out.status_code == 400  # the township is not theirs: not found
    summary = api.get(
        "/api/stats/summary/", {"org": tree.township.pk, "from": "2025-01-01", "to": "2025-12-31"}
    ).json()
    assert summary["denominator"]["count"] == 800


def test_a_period_uses_its_end_year(city_admin, tree):
    add(city_admin, tree.county_a, 2025, 100)
    period = Period(datetime.date(2024, 11, 1), datetime.date(2025, 2, 28))
    assert Figures(tree.county_a, period).activities["denominator"]["year"] == 2025
