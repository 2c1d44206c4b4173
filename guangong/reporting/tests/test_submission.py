"""Submitting: computed items refreshed (what changed shown and kept in the history), no
submission before the period ends unless the form allows it; and batch approval (批量审核)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guangong.audit.models import AuditLog
from guangong.core.tests.support import text
from guangong.reporting.models import Report, ReportStatus
from guangong.reporting.periods import period_containing
from guangong.reporting.services import approval, filing

from .conftest import Q1
from .test_chain import talk, values


def test_submitting_refreshes_the_computed_items_and_shows_what_changed(
    client_for, form, tree, a_admin, city_admin
):
    talk(city_admin, tree.county_a, datetime.date(2026, 2, 3), 120)
    report = filing.open_report(a_admin, form, tree.county_a, Q1)
    filing.save_values(a_admin, report, {"B1": "5"})
    assert values(report)["A1"] == 1
    talk(city_admin, tree.county_a, datetime.date(2026, 3, 3), 30)  # recorded after the draft

    filing.submit(a_admin, report)

    assert values(report)["A1"] == 2 and values(report)["A2"] == 150
    event = Report.objects.get(pk=report.pk).events.get(action="submit_refresh")
    assert event.comment == "主题宣讲场次：1 → 2；受教育人次：120 → 150"
    page = client_for(a_admin).get(report.get_absolute_url())
    body = text(page)
    assert "上报时已按台账重新计算，以下项目与草稿时不同" in body
    assert "主题宣讲场次：1 → 2" in body and "上报时重新计算" in body
    assert AuditLog.objects.filter(object_id=str(report.pk), after__values__isnull=False).exists()


def test_nothing_changed_since_the_draft_adds_no_line(form, tree, a_admin, city_admin):
    talk(city_admin, tree.county_a, datetime.date(2026, 2, 3), 120)
    report = filing.open_report(a_admin, form, tree.county_a, Q1)
    filing.save_values(a_admin, report, {"B1": "5"})
    filing.submit(a_admin, report)
    actions = list(report.events.values_list("action", flat=True))
    assert actions == ["open", "submit"]


def test_a_period_not_over_is_not_submitted_unless_the_form_allows_it(
    client_for, form, tree, a_admin
):
    today = timezone.localdate()
    current = period_containing(form.period_type, today)
    report = filing.open_report(a_admin, form, tree.county_a, current.start)
    filing.save_values(a_admin, report, {"B1": "5"})
    with pytest.raises(ValidationError) as error:
        filing.submit(a_admin, report)
    message = error.value.messages[0]
    assert f"本报表的报告期至{current.end.isoformat()}结束" in message
    assert "该报表未允许提前上报" in message

    page = client_for(a_admin).post(report.get_absolute_url(), {"action": "submit", "item-B1": "5"})
    assert page.status_code == 400 and "该报表未允许提前上报" in text(page)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    form.early_submission = True
    form.save(update_fields=["early_submission"])
    filing.submit(a_admin, report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def submitted(actor, form, org, b1="5"):
    report = filing.open_report(actor, form, org, Q1)
    filing.save_values(actor, report, {"B1": b1})
    return filing.submit(actor, report)


def test_batch_approval_approves_each_and_names_the_one_refused(
    client_for, form, tree, a_admin, b_admin, city_admin
):
    a_report = submitted(a_admin, form, tree.county_a)  # its township's report is still open
    b_report = submitted(b_admin, form, tree.county_b)
    client = client_for(city_admin)
    collect = f"/reports/forms/{form.pk}/collect/?org={tree.city.pk}&period={Q1.isoformat()}"
    page = client.get(collect)
    assert 'data-testid="batch-approve"' in page.content.decode()
    assert "批量审核通过" in text(page)

    response = client.post(
        f"/reports/forms/{form.pk}/collect/approve/",
        {"org": tree.city.pk, "period": Q1.isoformat(), "report": [a_report.pk, b_report.pk]},
        follow=True,
    )

    body = text(response)
    assert "已审核通过1份报表：奎屯市" in body
    assert "未通过审核：伊宁市——" in body and "墩买里街道" in body
    assert Report.objects.get(pk=b_report.pk).status == ReportStatus.APPROVED
    assert Report.objects.get(pk=a_report.pk).status == ReportStatus.SUBMITTED
    assert AuditLog.objects.filter(object_id=str(b_report.pk), message="approve").exists()


def test_batch_approval_needs_a_tick_and_the_approver(client_for, form, tree, a_admin, b_admin):
    b_report = submitted(b_admin, form, tree.county_b)
    url = f"/reports/forms/{form.pk}/collect/approve/"
    empty = client_for(b_admin).post(
        url, {"org": tree.county_b.pk, "period": Q1.isoformat()}, follow=True
    )
    assert "请先勾选已审阅的报表" in text(empty)
    done, refused = approval.approve_each(a_admin, [b_report])
    assert done == [] and len(refused) == 1
    assert Report.objects.get(pk=b_report.pk).status == ReportStatus.SUBMITTED
