"""The statistics page: scope, the figures against the ledger, presets, dates and sorting."""

import datetime

import pytest
from django.utils import timezone

from guangong.core.periods import presets
from guangong.core.tests.support import (
    MATRIX,
    ORG_KEYS,
    assert_no_leak,
    seen_keys,
    text,
    zh,
)

from .conftest import BAD_PERIODS, YEAR_2025, count_ledger

URL = "/stats/"
RANGE_2025 = {"from": "2025-01-01", "to": "2025-12-31"}


@MATRIX
def test_any_organisation_in_scope_and_nothing_else(
    client_for, personas, ledger, persona, key, seen
):
    client = client_for(personas[persona])
    response = client.get(URL, {"org": ledger[key].pk, **RANGE_2025})
    assert response.status_code == (200 if seen else 404)
    if seen:
        assert response.context["root"] == ledger[key]
        assert_no_leak(text(response), ledger, persona)


@pytest.mark.parametrize("persona", ["city", "a", "b"])
def test_the_users_own_organisation_by_default(client_for, personas, ledger, persona):
    user = personas[persona]
    response = client_for(user).get(URL)
    assert response.status_code == 200
    assert response.context["root"] == user.organization
    body = text(response)
    assert_no_leak(body, ledger, persona)
    # Only the organisation's own children are listed, and each links to its own statistics.
    listed = {line["organization"] for line in response.context["children"]}
    children = {c.pk for c in type(user.organization).objects.get_children(user.organization)}
    assert listed == children
    for pk in listed:
        assert f"org={pk}" in body


def test_an_unknown_or_malformed_organisation_is_404(client_for, city_admin, ledger):
    client = client_for(city_admin)
    assert client.get(URL, {"org": 999999}).status_code == 404
    assert client.get(URL, {"org": "abc"}).status_code == 404


def test_the_figures_equal_a_count_of_the_ledger(client_for, city_admin, ledger):
    client = client_for(city_admin)
    for key in ("city", "county_a", "township", "county_b"):
        response = client.get(URL, {"org": ledger[key].pk, **RANGE_2025})
        want = count_ledger(ledger[key], YEAR_2025)
        totals = response.context["result"]["totals"]
        assert totals["sessions"] == want.sessions
        assert totals["participants"] == want.participants
        assert totals["elder_times"] == want.elder_times
        assert totals["service_hours"] == want.service_hours
        assert totals["elders_engaged"] == want.elders_engaged
        # ... and the page shows them.
        body = text(response)
        assert f'data-testid="total-sessions">{want.sessions}<' in body
        assert f'data-testid="total-participants">{want.participants}<' in body
        assert f'data-testid="total-service_hours">{want.service_hours:.1f}<' in body
        assert f'data-testid="total-elders_engaged">{want.elders_engaged}<' in body


def test_the_city_in_2025_by_child_group_and_type(client_for, city_admin, ledger):
    response = client_for(city_admin).get(URL, {"org": ledger.city.pk, **RANGE_2025})
    result = response.context["result"]
    # 2025: county A 60, township 25, enterprise 12 (all in county A), county B 8, city 300.
    assert (result["totals"]["sessions"], result["totals"]["participants"]) == (5, 405)
    children = {line["name"]: line for line in response.context["children"]}
    assert children["伊宁市"]["sessions"] == 3 and children["伊宁市"]["share_sessions"] == 60.0
    assert children["奎屯市"]["sessions"] == 1 and children["奎屯市"]["share_sessions"] == 20.0
    own = response.context["own"]
    assert (own["sessions"], own["participants"], own["share_sessions"]) == (1, 300, 20.0)
    groups = {g["group"]: g["sessions"] for g in result["by_group"]}
    assert groups == {
        "ideology": 3,
        "care": 1,
        "growth": 1,
        "service": 0,
        "organisation": 0,
    }
    types = {t["label"]: t["sessions"] for t in result["by_type"]}
    assert types == {"主题宣讲": 3, "关爱帮扶": 1, "技能培训/讲座": 1}
    body = text(response)
    assert 'data-testid="by-group"' in body and 'data-testid="by-type"' in body
    assert "主题宣讲" in body


def test_year_over_year_with_its_sign(client_for, city_admin, ledger):
    response = client_for(city_admin).get(URL, {"org": ledger.county_a.pk, **RANGE_2025})
    cards = {card["key"]: card for card in response.context["cards"]}
    # county A: 2024 one session (30), 2025 three (60 + 25 + 12 = 97).
    assert cards["sessions"]["change"] == 200.0 and cards["sessions"]["sign"] == "up"
    assert cards["participants"]["change"] == pytest.approx(223.3)
    body = text(response)
    assert "▲</span>" in body and " +200.0%" in body
    response = client_for(city_admin).get(URL, {"org": ledger.county_b.pk, **RANGE_2025})
    cards = {card["key"]: card for card in response.context["cards"]}
    # county B recorded from September 2024: 2024 is no base for 2025, and the page says why.
    assert cards["sessions"]["change"] is None and not cards["sessions"]["sign"]
    body = text(response)
    assert "不作同比：本组织自2024-09起才有活动记录" in body


def test_sessions_per_ten_thousand_young_people(client_for, city_admin, ledger):
    response = client_for(city_admin).get(URL, {"org": ledger.county_a.pk, **RANGE_2025})
    totals = response.context["result"]["totals"]
    assert totals["youth"] == 2  # county A and its township: registered, not a population
    assert totals["sessions_per_10k_youth"] is None  # so no rate until a population is recorded
    assert 'data-testid="total-per-10k">—<' in text(response)


def test_coverage_summary_from_the_foundation(client_for, city_admin, ledger):
    response = client_for(city_admin).get(URL, {"org": ledger.city.pk})
    coverage = response.context["coverage"]
    # The fixture tree: the city (established) and five below it, of which none established.
    assert (coverage.established, coverage.total) == (1, 5)
    assert response.context["coverage_percent"] == 20.0
    assert f"/orgs/coverage/?org={ledger.city.pk}" in text(response)


@pytest.mark.parametrize("preset", ["month", "quarter", "year", "last_year"])
def test_presets(client_for, city_admin, ledger, preset):
    response = client_for(city_admin).get(URL, {"org": ledger.city.pk, "period": preset})
    period = presets(timezone.localdate())[preset]
    result = response.context["result"]
    assert (result["period"]["from"], result["period"]["to"]) == (period.start, period.end)
    assert result["totals"]["sessions"] == count_ledger(ledger.city, period).sessions
    assert f'data-testid="preset-{preset}" aria-current="true"' in text(response)


def test_this_year_is_the_default(client_for, city_admin, ledger):
    response = client_for(city_admin).get(URL)
    today = timezone.localdate()
    assert response.context["result"]["period"]["from"] == datetime.date(today.year, 1, 1)
    # The two activities of this month are in it.
    assert response.context["result"]["totals"]["sessions"] >= 2


def test_the_month_preset_counts_this_months_activities(client_for, city_admin, ledger):
    response = client_for(city_admin).get(URL, {"org": ledger.city.pk, "period": "month"})
    totals = response.context["result"]["totals"]
    assert (totals["sessions"], totals["participants"]) == (2, 53)


@pytest.mark.parametrize(
    ("query", "field", "msgid"),
    [*BAD_PERIODS, ({"from": "0001-01-01", "to": "0001-12-31"}, "start", None)],
)
def test_bad_dates_answer_in_chinese(client_for, city_admin, ledger, query, field, msgid):
    response = client_for(city_admin).get(URL, {"org": ledger.city.pk, **query})
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    if msgid is not None:
        expected = zh(msgid, n=10) if "%(n)s" in msgid else zh(msgid)
        assert errors == [expected]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e) for e in errors), errors
    assert response.context["result"] is None
    body = text(response)
    assert 'data-testid="export"' not in body
    assert 'data-testid="preset-year"' in body  # a preset is one click away


def test_the_breakdown_sorts_by_each_column(client_for, city_admin, ledger):
    client = client_for(city_admin)
    base = {"org": ledger.city.pk, **RANGE_2025}
    names = lambda r: [line["name"] for line in r.context["children"]]  # noqa: E731
    assert names(client.get(URL, base)) == ["伊宁市", "奎屯市"]  # tree order
    assert names(client.get(URL, {**base, "sort": "sessions"})) == ["奎屯市", "伊宁市"]
    assert names(client.get(URL, {**base, "sort": "-sessions"})) == ["伊宁市", "奎屯市"]
    assert names(client.get(URL, {**base, "sort": "-service_hours"})) == ["伊宁市", "奎屯市"]
    assert names(client.get(URL, {**base, "sort": "service_hours"})) == ["奎屯市", "伊宁市"]
    # by pinyin: kuitun before yining
    assert names(client.get(URL, {**base, "sort": "name"})) == ["奎屯市", "伊宁市"]
    assert names(client.get(URL, {**base, "sort": "-name"})) == ["伊宁市", "奎屯市"]
    assert names(client.get(URL, {**base, "sort": "bogus"})) == ["伊宁市", "奎屯市"]
    # The header links: largest first, then the other way; the period is kept.
    columns = {c["key"]: c for c in client.get(URL, base).context["child_columns"]}
    assert "sort=-sessions" in columns["sessions"]["query"]
    assert "from=2025-01-01" in columns["sessions"]["query"]
    columns = {
        c["key"]: c for c in client.get(URL, {**base, "sort": "-sessions"}).context["child_columns"]
    }
    assert "sort=sessions" in columns["sessions"]["query"]
    assert columns["sessions"]["aria"] == "descending"


def test_child_links_keep_the_period(client_for, city_admin, ledger):
    response = client_for(city_admin).get(URL, {"org": ledger.city.pk, **RANGE_2025})
    body = text(response)
    assert f"from=2025-01-01&amp;to=2025-12-31&amp;org={ledger.county_a.pk}" in body


def test_the_chart_data_travels_as_json_not_script(client_for, city_admin, ledger):
    response = client_for(city_admin).get(URL, {"org": ledger.city.pk, **RANGE_2025})
    body = text(response)
    assert '<script id="stats-chart-data" type="application/json">' in body
    data = response.context["chart_data"]
    assert data["locale"] == "ZH"
    assert data["months"]["names"][0] == "2025-01" and len(data["months"]["names"]) == 12
    assert sum(data["months"]["sessions"]) == 5
    assert {g["name"] for g in data["groups"]} == {
        zh("Ideological guidance"),
        zh("Care and assistance"),
        zh("Growth and development"),
    }
    # No inline script: every <script> either has a src or carries JSON.
    for tag in body.split("<script")[1:]:
        head = tag.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head


def test_the_menu_leads_here(client_for, a_admin, tree):
    body = text(client_for(a_admin).get("/"))
    assert 'href="/stats/"' in body
    assert zh("Statistics") == "统计分析"


def test_everything_above_is_in_the_keys(ledger):
    assert set(seen_keys("city")) <= set(ORG_KEYS)
