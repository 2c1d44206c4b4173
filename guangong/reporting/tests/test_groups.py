"""Report totals by organisation group: only the reporters in a group are summed (and listed
as missing or late), each item broken down by the groups of a set; page, API and .xlsx."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from guangong.core.periods import Period
from guangong.reporting.aggregate import aggregate
from guangong.reporting.services import approval, filing

from .conftest import Q1

TOTALS = "/api/report-forms/{pk}/totals/"


@pytest.fixture
def filed(form, tree, a_admin, b_admin, city_admin, group_sets):
    """County A (未分组) reports B1 = 7, county B (已建立) 11; both approved by the city."""
    approval.mark_not_reported(a_admin, form, tree.township, Q1, "未开展")
    for org, actor, b1 in ((tree.county_a, a_admin, "7"), (tree.county_b, b_admin, "11")):
        report = filing.open_report(actor, form, org, Q1)
        filing.save_values(actor, report, {"B1": b1, "B2": "0.5"})
        filing.submit(actor, report)
        approval.approve(city_admin, report)
    return form


def quarter():
    return Period(Q1, Q1.replace(month=3, day=31))


def b1(totals: dict, form) -> Decimal | None:
    return totals.get(form.items().get(code="B1").pk)


def test_a_group_sums_only_its_reporters_and_the_breakdown_adds_up(filed, tree, group_sets):
    whole = aggregate(filed, tree.city, quarter())
    assert b1(whole.totals, filed) == 18 and whole.expected == 2
    built = aggregate(filed, tree.city, quarter(), group_sets.built)
    assert b1(built.totals, filed) == 11
    assert [c.organization for c in built.children] == [tree.county_b]
    empty = aggregate(filed, tree.city, quarter(), group_sets.empty)
    assert (empty.expected, empty.totals, empty.completeness) == (0, {}, 100.0)
    by_set = aggregate(filed, tree.city, quarter(), by_set=group_sets.sihua)
    lines = {line.slot.label: line for line in by_set.by_group}
    assert list(lines) == ["已建立", "未建立", "未分组"]
    assert [b1(line.totals, filed) for line in lines.values()] == [11, None, 7]
    assert [(line.approved, line.expected) for line in lines.values()] == [(1, 1), (0, 0), (1, 1)]


def test_the_api_takes_a_group_and_a_set_and_refuses_others_in_chinese(
    api_for, filed, tree, group_sets, city_admin, a_admin
):
    url = TOTALS.format(pk=filed.pk)
    query = {"organization": tree.city.pk, "period_start": Q1.isoformat()}
    got = api_for(city_admin).get(
        url, {**query, "group": group_sets.built.pk, "by_set": group_sets.sihua.pk}
    )
    assert got.status_code == 200, got.content
    body = got.json()
    assert body["group"] == group_sets.built.pk and body["expected"] == 1
    assert {i["code"]: i["total"] for i in body["items"]}["B1"] is not None
    assert Decimal({i["code"]: i["total"] for i in body["items"]}["B1"]) == 11
    assert [line["group"] for line in body["by_group"]] == [
        group_sets.built.pk,
        group_sets.unbuilt.pk,
        None,
    ]
    county = {"organization": tree.county_a.pk, "period_start": Q1.isoformat()}
    for bad in ({"group": "x"}, {"group": group_sets.b_group.pk}, {"by_set": "0"}):
        refused = api_for(a_admin).get(url, {**county, **bad})
        assert refused.status_code == 400, bad
        assert "请选择您数据范围内的分组或分组集" in refused.content.decode()


def test_the_page_and_its_export_by_group(client_for, filed, tree, group_sets, city_admin, a_admin):
    client = client_for(city_admin)
    base = f"/reports/forms/{filed.pk}/collect/?org={tree.city.pk}&period={Q1.isoformat()}"
    page = client.get(f"{base}&group={group_sets.built.pk}&by_set={group_sets.sihua.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="totals-by-group"' in html and "四化型工作模式：已建立" in html
    assert page.context["result"].expected == 1
    export = client.get(
        f"/reports/forms/{filed.pk}/collect/export/?org={tree.city.pk}&period={Q1.isoformat()}"
        f"&by_set={group_sets.sihua.pk}"
    )
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    sheet = book["按分组"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    assert rows["B1"][3:] == (11, None, 7)
    bad_export = client.get(
        f"/reports/forms/{filed.pk}/collect/export/?org={tree.city.pk}&group=abc"
    )
    assert bad_export.status_code == 400
    refused = client_for(a_admin).get(
        f"/reports/forms/{filed.pk}/collect/?org={tree.county_a.pk}&period={Q1.isoformat()}"
        f"&group={group_sets.b_group.pk}"
    )
    assert refused.status_code == 400
    assert "请选择您数据范围内的分组或分组集" in refused.content.decode()
