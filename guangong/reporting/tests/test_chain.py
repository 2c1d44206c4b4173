"""Reports up a three-level chain: prefill, return and resubmit, approval, locks, totals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guangong.activities import services as activity_services
from guangong.activities.models import Activity
from guangong.core.periods import Period
from guangong.dicts.models import DictItem, DictKind
from guangong.reporting.aggregate import aggregate, notices, overdue
from guangong.reporting.models import Report, ReportStatus, ReportValue
from guangong.reporting.periods import period_starting
from guangong.reporting.services import approval, filing
from guangong.stats import activities as activity_stats

from .conftest import Q1


def talk(actor, org, day, participants):
    return activity_services.save_activity(
        actor,
        Activity(
            organization=org,
            type=DictItem.objects.get(kind=DictKind.ACTIVITY_TYPE, label="主题宣讲"),
            title="宣讲",
            date=day,
            participants=participants,
        ),
    )


def values(report) -> dict[str, Decimal | None]:
    return dict(ReportValue.objects.filter(report=report).values_list("item__code", "value"))


def test_computed_items_equal_the_statistics_layer(form, tree, city_admin):
    talk(city_admin, tree.township, datetime.date(2026, 2, 3), 120)
    talk(city_admin, tree.county_a, datetime.date(2026, 3, 30), 80)
    talk(city_admin, tree.county_a, datetime.date(2026, 4, 1), 999)  # next quarter

    report = filing.open_report(city_admin, form, tree.county_a, Q1)

    summary = activity_stats.summary(
        tree.county_a, Period(Q1, datetime.date(2026, 3, 31)), compare=False
    )
    got = values(report)
    assert got["A1"] == summary["totals"]["sessions"] == 2
    assert got["A2"] == summary["totals"]["participants"] == 200
    assert got["B1"] is None

    talk(city_admin, tree.township, datetime.date(2026, 3, 3), 10)
    filing.refresh(city_admin, report)
    assert values(report)["A1"] == 3


def test_a_three_level_chain_with_a_return_and_a_resubmit(form, tree, t_clerk, a_admin, city_admin):
    talk(city_admin, tree.township, datetime.date(2026, 2, 3), 120)
    township = filing.open_report(t_clerk, form, tree.township, Q1)
    filing.save_values(t_clerk, township, {"B1": "12", "B2": "3600.50"})
    filing.submit(t_clerk, township)

    with pytest.raises(PermissionDenied):  # the city does not collect the township's report
        approval.approve(city_admin, township)
    approval.return_report(a_admin, township, "慰问户数有误")
    assert Report.objects.get(pk=township.pk).status == ReportStatus.RETURNED
    filing.save_values(t_clerk, township, {"B1": "14"})
    filing.submit(t_clerk, township)
    approval.approve(a_admin, township)

    county = filing.open_report(a_admin, form, tree.county_a, Q1)
    # a collector's hand-entered items start from the sum of what it collected
    assert values(county)["B1"] == 14
    filing.save_values(a_admin, county, {"B1": "20"})
    filing.submit(a_admin, county)
    approval.approve(city_admin, county)

    actions = list(Report.objects.get(pk=township.pk).events.values_list("action", flat=True))
    assert actions == ["open", "submit", "return", "submit", "approve"]
    assert Report.objects.get(pk=county.pk).status == ReportStatus.APPROVED


def test_a_parent_is_approved_only_when_its_children_are(form, tree, t_clerk, a_admin, city_admin):
    county = filing.open_report(a_admin, form, tree.county_a, Q1)
    filing.save_values(a_admin, county, {"B1": "5"})
    filing.submit(a_admin, county)
    with pytest.raises(ValidationError) as error:
        approval.approve(city_admin, county)
    assert "墩买里街道" in error.value.messages[0]

    approval.mark_not_reported(a_admin, form, tree.township, Q1, "街道机构调整，本季度未开展")
    approval.approve(city_admin, county)
    assert Report.objects.get(pk=county.pk).status == ReportStatus.APPROVED


def test_an_approved_report_is_locked_and_only_its_approver_unlocks(
    form, tree, t_clerk, a_admin, city_admin
):
    report = filing.open_report(t_clerk, form, tree.township, Q1)
    filing.save_values(t_clerk, report, {"B1": "3"})
    filing.submit(t_clerk, report)
    approval.approve(a_admin, report)

    with pytest.raises(ValidationError):
        filing.save_values(t_clerk, report, {"B1": "4"})
    with pytest.raises(ValidationError):
        filing.refresh(t_clerk, report)
    with pytest.raises(PermissionDenied):
        approval.unlock(city_admin, report, "复核")  # not the approver's organisation
    with pytest.raises(ValidationError):
        approval.unlock(a_admin, report, "")
    approval.unlock(a_admin, report, "发现漏报两户")
    filing.save_values(t_clerk, report, {"B1": "5"})
    assert values(report)["B1"] == 5
    from guangong.audit.models import AuditLog

    assert AuditLog.objects.filter(
        object_id=str(report.pk), message__contains="发现漏报两户"
    ).exists()


def test_the_parents_totals_equal_the_sum_of_its_childrens_approved_values(
    form, tree, a_admin, b_admin, city_admin, t_clerk
):
    approval.mark_not_reported(a_admin, form, tree.township, Q1, "未开展")
    figures = {tree.county_a: "7", tree.county_b: "11"}
    for org, actor in ((tree.county_a, a_admin), (tree.county_b, b_admin)):
        report = filing.open_report(actor, form, org, Q1)
        filing.save_values(actor, report, {"B1": figures[org], "B2": "100.25"})
        filing.submit(actor, report)
    approval.approve(city_admin, Report.objects.get(organization=tree.county_a))

    period = period_starting("quarter", Q1)
    before = aggregate(form, tree.city, period)
    b1 = form.items().get(code="B1")
    assert before.totals[b1.pk] == 7  # county B is submitted, not approved yet
    assert (before.expected, before.received, before.approved) == (2, 2, 1)

    approval.approve(city_admin, Report.objects.get(organization=tree.county_b))
    after = aggregate(form, tree.city, period)
    approved = Report.objects.filter(
        form=form, status=ReportStatus.APPROVED, organization__in=[tree.county_a, tree.county_b]
    )
    want = sum(
        ReportValue.objects.filter(report__in=approved, item=b1).values_list("value", flat=True)
    )
    assert after.totals[b1.pk] == want == 18
    assert after.totals[form.items().get(code="B2").pk] == Decimal("200.50")
    assert after.completeness == 100.0


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"B1": "abc"}, "B1"),
        ({"B1": "1.5"}, "B1"),
        ({"B1": "-1"}, "B1"),
        ({"B1": "100001"}, "B1"),
        ({"B2": "1e400"}, "B2"),
        ({"A1": "5"}, "A1"),  # computed, not overridable
        ({"A2": "0"}, "A2"),  # override breaking the rule 人次 ≥ 场次 (A1 = 1 below)
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(form, tree, a_admin, city_admin, data, code):
    talk(city_admin, tree.county_a, datetime.date(2026, 2, 1), 30)
    report = filing.open_report(a_admin, form, tree.county_a, Q1)
    filing.save_values(a_admin, report, {"B1": "2"})
    before = values(report)

    with pytest.raises(ValidationError) as error:
        filing.save_values(
            a_admin, report, {**data, "C1": "不应保存"}, overrides={"A2": True, "A1": True}
        )

    assert code in error.value.message_dict
    assert values(report) == before
    assert ReportValue.objects.get(report=report, item__code="C1").text == ""


def test_an_override_keeps_the_computed_value_beside_it(form, tree, a_admin, city_admin):
    talk(city_admin, tree.county_a, datetime.date(2026, 2, 1), 30)
    report = filing.open_report(a_admin, form, tree.county_a, Q1)
    filing.save_values(a_admin, report, {"A2": "45"}, overrides={"A2": True})
    row = ReportValue.objects.get(report=report, item__code="A2")
    assert (row.computed, row.value, row.overridden) == (30, 45, True)
    filing.save_values(a_admin, report, {}, overrides={"A2": False})
    row.refresh_from_db()
    assert (row.value, row.overridden) == (30, False)


def test_submitting_needs_the_required_items(form, tree, a_admin):
    report = filing.open_report(a_admin, form, tree.county_a, Q1)
    with pytest.raises(ValidationError) as error:
        filing.submit(a_admin, report)
    assert "B1" in error.value.message_dict
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_only_reporters_open_reports_and_only_in_scope(form, tree, a_admin, b_admin, city_admin):
    from guangong.core.services import OutOfScope

    with pytest.raises(ValidationError):
        filing.open_report(city_admin, form, tree.enterprise, Q1)  # not a reporting kind
    with pytest.raises(OutOfScope):
        filing.open_report(b_admin, form, tree.county_a, Q1)
    with pytest.raises(ValidationError):
        filing.open_report(a_admin, form, tree.county_a, datetime.date(2026, 2, 1))
    with pytest.raises(ValidationError):
        filing.open_report(a_admin, form, tree.county_a, datetime.date(2099, 1, 1))
    assert not Report.objects.exists()


def test_overdue_and_notices(form, tree, a_admin, b_admin, t_clerk):
    today = datetime.date(2026, 4, 20)  # Q1 was due on 10 April
    report = filing.open_report(b_admin, form, tree.county_b, Q1)
    filing.save_values(b_admin, report, {"B1": "1"})
    filing.submit(b_admin, report)

    late = {(o.organization.name, o.period.start) for o in overdue(tree.city, today)}
    assert ("伊宁市", Q1) in late and ("墩买里街道", Q1) in late
    assert ("奎屯市", Q1) not in late
    assert {o.organization.name for o in overdue(tree.county_a, today)} == {"伊宁市", "墩买里街道"}

    assert [n.form for n in notices(t_clerk, today)] == [form]
    assert notices(b_admin, today) == []
