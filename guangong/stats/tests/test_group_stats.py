"""The statistics page and ``GET /api/stats/summary/`` by organisation group: what is counted,
scope and bad input (the links are test_trace.py's)."""

import pytest

from guangong.stats.groups import activities_by_group
from guangong.stats.tests.conftest import YEAR_2025, count_ledger

SUMMARY = "/api/stats/summary/"
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


def test_the_breakdown_counts_each_activity_once_for_its_owners_group(ledger, group_sets):
    """四化 in the city, 2025: the township's two talks and county B's care are 已建立's, the
    enterprise's training 未建立's, the city's and county A's own 未分组."""
    lines = activities_by_group(ledger.city, YEAR_2025, group_sets.sihua)
    got = {line["label"]: line["sessions"] for line in lines}
    assert got == {"已建立": 2, "未建立": 1, "未分组": 2}
    whole = count_ledger(ledger.city, YEAR_2025)
    assert sum(line["participants"] for line in lines) == whole.participants
    assert sum(line["service_hours"] for line in lines) == whole.service_hours
    within = activities_by_group(ledger.city, YEAR_2025, group_sets.sihua, group_sets.built)
    assert [line["sessions"] for line in within] == [2, 0, 0]


def test_the_api_counts_a_group_and_refuses_anothers_in_chinese(
    api_for, ledger, group_sets, a_admin, city_admin
):
    api = api_for(city_admin)
    got = api.get(SUMMARY, {"org": ledger.city.pk, **YEAR, "group": group_sets.built.pk})
    assert got.status_code == 200, got.content
    body = got.json()
    assert body["totals"]["sessions"] == 2 and body["totals"]["participants"] == 33
    assert body["denominator"] is None and body["totals"]["sessions_per_10k_youth"] is None
    everyone = api.get(SUMMARY, {"org": ledger.city.pk, **YEAR}).json()
    assert everyone["totals"]["sessions"] == 5
    empty = api.get(SUMMARY, {**YEAR, "group": group_sets.empty.pk}).json()
    assert empty["totals"]["sessions"] == 0
    county = api_for(a_admin)
    for bad, message in (
        (group_sets.b_group.pk, "您的数据范围内没有这个组织分组。"),
        (987654321, "您的数据范围内没有这个组织分组。"),
        ("x", "分组须以编号（数字）给出。"),
    ):
        refused = county.get(SUMMARY, {"group": bad})
        assert refused.status_code == 400, bad
        assert refused.json()["group"] == [message]


@pytest.mark.parametrize("query", [{"group": "abc"}, {"by_set": "-1"}, {"group": "999999"}])
def test_the_page_refuses_bad_choices_in_chinese(client_for, ledger, group_sets, a_admin, query):
    page = client_for(a_admin).get("/stats/", {**YEAR, **query})
    assert page.status_code == 400
    assert "请选择您数据范围内的分组或分组集" in page.content.decode()


def test_the_page_with_a_group_and_its_export(client_for, ledger, group_sets, a_admin):
    client = client_for(a_admin)
    query = {**YEAR, "group": group_sets.built.pk, "by_set": group_sets.sihua.pk}
    page = client.get("/stats/", query)
    assert page.status_code == 200
    assert page.context["result"]["totals"]["sessions"] == 1  # county A's township only
    assert "四化型工作模式：已建立" in page.content.decode()
    theirs = client.get("/stats/", {**YEAR, "group": group_sets.b_group.pk})
    assert theirs.status_code == 400
    export = client.get("/stats/", {**query, "export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
