"""The report pages: the chain up the tree, locks, bad values, totals and the export.

township (墩买里街道, t_clerk) → county A (伊宁市, a_admin) → city (伊犁州, city_admin);
county B (奎屯市, b_admin) → city.
"""

import datetime
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import text
from guangong.reporting.models import Report, ReportStatus, ReportValue
from guangong.reporting.services import approval, filing

from .conftest import Q1, approved_total
from .test_chain import talk, values

Q1_URL = Q1.isoformat()


def open_page(client, form, org=None) -> Report:
    """Open (POST) the report of the logged-in user's organisation (or ``org``) for Q1."""
    data = {"org": org.pk} if org else {}
    response = client.post(f"/reports/file/{form.pk}/{Q1_URL}/", data)
    assert response.status_code == 302, text(response)
    return Report.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


def post_values(client, report, action="save", **fields):
    return client.post(f"/reports/{report.pk}/", {"action": action, **fields})


def collect_url(form, org, start=Q1_URL) -> str:
    return f"/reports/forms/{form.pk}/collect/?org={org.pk}&period={start}"


def test_a_three_level_chain_through_the_pages_with_a_return_and_a_resubmit(
    client_for, form, tree, t_clerk, a_admin, city_admin
):
    talk(city_admin, tree.township, datetime.date(2026, 2, 3), 120)

    client = client_for(t_clerk)
    township = open_page(client, form)
    page = text(client.get(township.get_absolute_url()))
    assert "主题宣讲场次" in page and 'data-testid="computed-A1">1<' in page
    # The computed figure opens the activities it counts, which number the same.
    records = re.search(r'href="([^"]+)" data-testid="records-A1"', page).group(1)
    listed = client.get(unescape(records))
    assert listed.context["totals"]["sessions"] == 1
    response = post_values(client, township, "submit", v_B1="12", v_B2="3600.50", v_C1="好")
    assert response.status_code == 302
    assert Report.objects.get(pk=township.pk).status == ReportStatus.SUBMITTED

    client = client_for(a_admin)
    page = text(client.get(collect_url(form, tree.county_a)))
    assert "墩买里街道" in page and 'data-testid="approve"' in page
    response = client.post(f"/reports/{township.pk}/return/", {"comment": ""})
    assert Report.objects.get(pk=township.pk).status == ReportStatus.SUBMITTED  # a comment first
    client.post(f"/reports/{township.pk}/return/", {"comment": "慰问户数有误"})
    assert Report.objects.get(pk=township.pk).status == ReportStatus.RETURNED

    client = client_for(t_clerk)
    page = text(client.get(township.get_absolute_url()))
    assert "慰问户数有误" in page  # the history shows the comment
    # … and the reason stands first, above the report.
    reason = page.index('data-testid="return-reason"')
    assert reason < page.index('data-testid="report-form"')
    assert page.index("慰问户数有误", reason) < page.index('data-testid="report-form"')
    post_values(client, township, "submit", v_B1="14", v_B2="3600.50")

    client = client_for(a_admin)
    client.post(f"/reports/{township.pk}/approve/", {"next": collect_url(form, tree.county_a)})
    assert Report.objects.get(pk=township.pk).status == ReportStatus.APPROVED
    county = open_page(client, form, tree.county_a)
    assert values(county)["B1"] == 14  # started from what it collected
    post_values(client, county, "submit", v_B1="20", v_B2="3600.50")

    client = client_for(city_admin)
    response = client.post(f"/reports/{county.pk}/approve/", {"comment": ""})
    assert response.status_code == 302
    assert Report.objects.get(pk=county.pk).status == ReportStatus.APPROVED
    actions = list(Report.objects.get(pk=township.pk).events.values_list("action", flat=True))
    assert actions == ["open", "submit", "return", "submit", "approve"]


def test_the_city_cannot_approve_the_townships_report_nor_county_b_county_as(
    client_for, form, tree, t_clerk, a_admin, b_admin, city_admin
):
    township = filing.open_report(t_clerk, form, tree.township, Q1)
    filing.save_values(t_clerk, township, {"B1": "1"})
    filing.submit(t_clerk, township)
    county = filing.open_report(a_admin, form, tree.county_a, Q1)
    filing.save_values(a_admin, county, {"B1": "1"})
    filing.submit(a_admin, county)

    response = client_for(city_admin).post(f"/reports/{township.pk}/approve/")
    assert response.status_code == 403  # before the comment is read, as the API answers
    assert "伊宁市" in text(response)  # "only an approver of 伊宁市 …"
    assert Report.objects.get(pk=township.pk).status == ReportStatus.SUBMITTED

    client = client_for(b_admin)
    assert client.post(f"/reports/{county.pk}/approve/").status_code == 404
    assert client.post(f"/reports/{county.pk}/return/", {"comment": "x"}).status_code == 404
    assert Report.objects.get(pk=county.pk).status == ReportStatus.SUBMITTED

    # the city must wait for county A's own children
    response = client_for(city_admin).post(f"/reports/{county.pk}/approve/", follow=True)
    assert "墩买里街道" in text(response)
    assert Report.objects.get(pk=county.pk).status == ReportStatus.SUBMITTED


def test_a_locked_report_refuses_changes_through_the_page(
    client_for, form, tree, t_clerk, a_admin, city_admin
):
    report = filing.open_report(t_clerk, form, tree.township, Q1)
    filing.save_values(t_clerk, report, {"B1": "3"})
    filing.submit(t_clerk, report)
    approval.approve(a_admin, report)

    client = client_for(t_clerk)
    page = text(client.get(report.get_absolute_url()))
    assert 'data-testid="report-form"' not in page and 'data-testid="locked"' in page
    response = post_values(client, report, "save", v_B1="99")
    assert response.status_code == 400
    assert values(report)["B1"] == 3
    assert post_values(client, report, "refresh").status_code == 400

    # only the approver unlocks, and only with a reason
    client_for(city_admin).post(f"/reports/{report.pk}/unlock/", {"comment": "复核"})
    client = client_for(a_admin)
    client.post(f"/reports/{report.pk}/unlock/", {"comment": ""})
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    client.post(f"/reports/{report.pk}/unlock/", {"comment": "发现漏报两户"})
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    post_values(client_for(t_clerk), report, "save", v_B1="5")
    assert values(report)["B1"] == 5


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"v_B1": "abc"}, "B1", "请输入数字"),
        ({"v_B1": "1.5"}, "B1", "整数"),
        ({"v_B1": "-1"}, "B1", "0"),
        ({"o_A2": "on", "v_A2": "0"}, "A2", "受教育人次不应少于宣讲场次"),
    ],
)
def test_bad_values_are_refused_with_chinese_messages_and_nothing_is_saved(
    client_for, form, tree, a_admin, city_admin, fields, code, message
):
    talk(city_admin, tree.county_a, datetime.date(2026, 2, 1), 30)
    report = filing.open_report(a_admin, form, tree.county_a, Q1)
    filing.save_values(a_admin, report, {"B1": "2"})
    before = values(report)

    response = post_values(
        client_for(a_admin), report, "submit", **{"v_B1": "2", "v_C1": "不应保存", **fields}
    )

    assert response.status_code == 400
    page = text(response)
    assert f'data-testid="error-{code}"' in page
    assert message in page
    assert values(report) == before
    assert ReportValue.objects.get(report=report, item__code="C1").text == ""
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    assert "不应保存" in page  # what was typed is shown again


def test_submitting_without_a_required_item_says_so(client_for, form, tree, a_admin):
    report = filing.open_report(a_admin, form, tree.county_a, Q1)
    response = post_values(client_for(a_admin), report, "submit", v_B1="")
    assert response.status_code == 400
    assert 'data-testid="error-B1"' in text(response)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def approved_county(actor, form, org, b1, b2):
    report = filing.open_report(actor, form, org, Q1)
    filing.save_values(actor, report, {"B1": b1, "B2": b2})
    filing.submit(actor, report)
    return report


def test_the_aggregated_page_and_export_hold_the_sum_of_the_approved_values(
    client_for, form, tree, a_admin, b_admin, city_admin
):
    approval.mark_not_reported(a_admin, form, tree.township, Q1, "未开展")
    a = approved_county(a_admin, form, tree.county_a, "7", "100.25")
    b = approved_county(b_admin, form, tree.county_b, "11", "200.5")
    approval.approve(city_admin, a)

    client = client_for(city_admin)
    page = text(client.get(collect_url(form, tree.city)))
    assert '<td class="text-end">7</td>' in page  # B is submitted, not approved
    client.post(f"/reports/{b.pk}/approve/")
    page = text(client.get(collect_url(form, tree.city)))
    want = approved_total(tree, "B1")
    assert want == 18
    assert '<td class="text-end">18</td>' in page and '<td class="text-end">300.75</td>' in page
    assert 'data-testid="completeness">100.0%' in page

    response = client.get(
        f"/reports/forms/{form.pk}/collect/export/?org={tree.city.pk}&period={Q1_URL}"
    )
    book = load_workbook(io.BytesIO(response.content))
    totals = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert totals[0][0] == "关工委工作季报"
    assert ("一、思想引领", None, None, None) in totals
    assert ("B1", "走访慰问户数", "", 18) in totals or ("B1", "走访慰问户数", None, 18) in totals
    b2 = next(r for r in totals if r[0] == "B2")
    assert Decimal(str(b2[3])) == Decimal("300.75")
    detail = [tuple(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert detail[0][:3] == ("组织", "状态", "A1 主题宣讲场次")
    rows = {r[0]: r for r in detail[1:]}
    assert rows["伊宁市"][4] == 7 and rows["奎屯市"][4] == 11
    assert AuditLog.objects.filter(action=Action.EXPORT, user=city_admin).count() == 1


def test_the_collector_marks_a_child_not_reported_through_the_page(client_for, form, tree, a_admin):
    client = client_for(a_admin)
    url = f"/reports/forms/{form.pk}/not-reported/"
    data = {"org": tree.county_a.pk, "period": Q1_URL, "child": tree.township.pk}
    client.post(url, {**data, "comment": ""})
    assert not Report.objects.filter(organization=tree.township).exists()
    client.post(url, {**data, "comment": "街道机构调整"})
    report = Report.objects.get(organization=tree.township)
    assert (report.status, report.note) == (ReportStatus.NOT_REPORTED, "街道机构调整")


def test_notices_on_the_home_page(client_for, form, tree, t_clerk, b_admin, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 4, 20))
    page = text(client_for(t_clerk).get("/"))
    assert 'data-testid="report-notices"' in page
    assert "本单位尚有1张报表待报送" in page
    assert f"/reports/file/{form.pk}/{Q1_URL}/" in page
    report = filing.open_report(b_admin, form, tree.county_b, Q1)
    filing.save_values(b_admin, report, {"B1": "1"})
    filing.submit(b_admin, report)
    assert 'data-testid="report-notices"' not in text(client_for(b_admin).get("/"))
