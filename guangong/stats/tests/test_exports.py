"""The spreadsheets of the statistics page and the completeness view, and their audit records."""

import io

import pytest
from openpyxl import load_workbook

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import ORG_KEYS, assert_no_leak, seen_keys

from .conftest import YEAR_2025, count_ledger

RANGE_2025 = {"from": "2025-01-01", "to": "2025-12-31"}


def workbook(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_statistics_export_sheets_in_chinese(client_for, city_admin, ledger):
    response = client_for(city_admin).get(
        "/stats/", {"org": ledger.city.pk, **RANGE_2025, "export": "xlsx"}
    )
    sheets = workbook(response)
    assert list(sheets) == ["按下级组织统计", "按活动类型", "按统计分组", "按月"]
    children = sheets["按下级组织统计"]
    assert children[0] == (
        "组织",
        "活动场次",
        "参与人次",
        "五老参与人次",
        "服务时长",
        "场次占比（%）",
        "人次占比（%）",
    )
    rows = {row[0]: row for row in children[1:]}
    a = count_ledger(ledger.county_a, YEAR_2025)
    assert rows["伊宁市"][1:5] == (
        a.sessions,
        a.participants,
        a.elder_times,
        float(a.service_hours),
    )
    assert rows["伊宁市"][5] == 60.0
    city = count_ledger(ledger.city, YEAR_2025)
    assert rows["伊犁哈萨克自治州（本级）"][1:3] == (1, 300)
    assert rows["合计"][1:3] == (city.sessions, city.participants)
    types = {row[0]: row for row in sheets["按活动类型"][1:]}
    assert types["主题宣讲"][1:3] == (3, 385)
    assert types["合计"][1] == city.sessions
    assert sheets["按统计分组"][0][0] == "统计分组"
    assert [row[0] for row in sheets["按月"][1:]][:2] == ["2025-01", "2025-02"]


def test_statistics_export_is_audited(client_for, a_admin, ledger):
    client_for(a_admin).get("/stats/", {**RANGE_2025, "export": "xlsx"})
    log = AuditLog.objects.get(action=Action.EXPORT)
    assert log.user == a_admin
    assert log.object_id == str(ledger.county_a.pk)
    assert log.org_path == ledger.county_a.path
    assert "2025-01-01" in log.message and "伊宁市" in log.message


@pytest.mark.parametrize("persona", ["city", "a", "b"])
def test_exports_outside_scope_are_404_and_not_audited(client_for, personas, ledger, persona):
    client = client_for(personas[persona])
    for key in sorted(set(ORG_KEYS) - seen_keys(persona)):
        for url in ("/stats/", "/stats/completeness/"):
            response = client.get(url, {"org": ledger[key].pk, "export": "xlsx"})
            assert response.status_code == 404
    assert not AuditLog.objects.filter(action=Action.EXPORT).exists()


def test_an_export_with_bad_dates_exports_nothing(client_for, city_admin, ledger):
    response = client_for(city_admin).get(
        "/stats/", {"from": "2025-05-01", "to": "2025-01-01", "export": "xlsx"}
    )
    assert response.status_code == 400
    assert not AuditLog.objects.filter(action=Action.EXPORT).exists()


def test_no_formula_reaches_a_spreadsheet(client_for, city_admin, ledger):
    from guangong.orgs import services as org_services

    org_services.update_organization(city_admin, ledger.county_b, name="=HYPERLINK(1)")
    sheets = workbook(
        client_for(city_admin).get(
            "/stats/", {"org": ledger.city.pk, **RANGE_2025, "export": "xlsx"}
        )
    )
    assert "'=HYPERLINK(1)" in [row[0] for row in sheets["按下级组织统计"]]


def test_completeness_export(client_for, a_admin, ledger):
    response = client_for(a_admin).get(
        "/stats/completeness/", {"window": "quarter", "export": "xlsx"}
    )
    sheets = workbook(response)
    (rows,) = sheets.values()
    assert rows[0] == ("组织", "组织类型", "上级组织", "所在路径")
    # This quarter in county A: only the township recorded (this month), so the enterprise
    # below it is the one silent organisation.
    assert rows[1:] == [("恒泰纺织有限公司", "民营企业", "墩买里街道", "伊宁市 / 墩买里街道")]
    assert_no_leak(str(rows), ledger, "a")
    log = AuditLog.objects.get(action=Action.EXPORT)
    assert log.user == a_admin and log.org_path == ledger.county_a.path
