"""/api/report-forms/ and /api/reports/: the pages' scope, the chain through the API, totals."""

import datetime
from decimal import Decimal

from guangong.reporting.models import Report, ReportStatus, ReportValue
from guangong.reporting.services import approval, filing

from .conftest import Q1, approved_total, new_form
from .test_chain import talk, values

Q1_TEXT = Q1.isoformat()


def open_api(api, form, org) -> dict:
    response = api.post(
        "/api/reports/open/",
        {"form": form.pk, "organization": org.pk, "period_start": Q1_TEXT},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_three_level_chain_through_the_api_with_a_return_and_a_resubmit(
    api_for, form, tree, t_clerk, a_admin, city_admin
):
    talk(city_admin, tree.township, datetime.date(2026, 2, 3), 120)
    clerk, county, city = api_for(t_clerk), api_for(a_admin), api_for(city_admin)

    report = open_api(clerk, form, tree.township)
    got = {v["code"]: v for v in report["values"]}
    assert Decimal(got["A1"]["computed"]) == 1 and Decimal(got["A2"]["value"]) == 120
    url = f"/api/reports/{report['id']}/"
    response = clerk.patch(url, {"values": {"B1": "12", "B2": "3600.50"}}, format="json")
    assert response.status_code == 200, response.content
    assert clerk.post(url + "submit/").json()["status"] == "submitted"

    assert city.post(url + "approve/").status_code == 403  # the county collects it
    assert county.post(url + "return/", {"comment": ""}, format="json").status_code == 400
    response = county.post(url + "return/", {"comment": "慰问户数有误"}, format="json")
    assert response.json()["status"] == "returned"
    clerk.patch(url, {"values": {"B1": "14"}}, format="json")
    clerk.post(url + "submit/")
    assert county.post(url + "approve/").json()["status"] == "approved"
    assert clerk.patch(url, {"values": {"B1": "1"}}, format="json").status_code == 400  # locked

    own = open_api(county, form, tree.county_a)
    own_url = f"/api/reports/{own['id']}/"
    assert {v["code"]: v["value"] for v in own["values"]}["B1"] == "14.00"
    county.post(own_url + "submit/")
    assert city.post(own_url + "approve/").json()["status"] == "approved"
    actions = list(Report.objects.get(pk=report["id"]).events.values_list("action", flat=True))
    assert actions == ["open", "submit", "return", "submit", "approve"]

    assert city.post(own_url + "unlock/", {"comment": ""}, format="json").status_code == 400
    response = city.post(own_url + "unlock/", {"comment": "复核"}, format="json")
    assert response.json()["status"] == "returned"


def test_the_citys_form_is_read_below_it_and_changed_by_the_city_alone(
    api_for, form, a_admin, city_admin
):
    county = api_for(a_admin)
    assert county.get(f"/api/report-forms/{form.pk}/").status_code == 200
    response = county.patch(f"/api/report-forms/{form.pk}/", {"due_days": 15}, format="json")
    assert response.status_code == 403
    response = api_for(city_admin).patch(
        f"/api/report-forms/{form.pk}/", {"due_days": 15}, format="json"
    )
    assert response.status_code == 200


def test_a_county_cannot_approve_the_other_countys_report(api_for, form, tree, a_admin, b_admin):
    report = filing.open_report(b_admin, form, tree.county_b, Q1)
    filing.save_values(b_admin, report, {"B1": "3"})
    filing.submit(b_admin, report)
    assert api_for(a_admin).post(f"/api/reports/{report.pk}/approve/").status_code == 404
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_bad_values_through_the_api_save_nothing(api_for, form, tree, a_admin):
    report = filing.open_report(a_admin, form, tree.county_a, Q1)
    filing.save_values(a_admin, report, {"B1": "2"})
    before = values(report)
    response = api_for(a_admin).patch(
        f"/api/reports/{report.pk}/",
        {"values": {"B1": "1.5", "B2": "abc", "C1": "不应保存"}},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"B1", "B2"}
    assert "整数" in errors["B1"][0] and "数字" in errors["B2"][0]
    assert values(report) == before
    assert ReportValue.objects.get(report=report, item__code="C1").text == ""


def test_totals_through_the_api_equal_the_sum_of_the_approved_values(
    api_for, form, tree, a_admin, b_admin, city_admin
):
    approval.mark_not_reported(a_admin, form, tree.township, Q1, "未开展")
    for org, actor, b1 in ((tree.county_a, a_admin, "7"), (tree.county_b, b_admin, "11")):
        report = filing.open_report(actor, form, org, Q1)
        filing.save_values(actor, report, {"B1": b1, "B2": "0.5"})
        filing.submit(actor, report)
        approval.approve(city_admin, report)

    api = api_for(city_admin)
    response = api.get(
        f"/api/report-forms/{form.pk}/totals/?organization={tree.city.pk}&period_start={Q1_TEXT}"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    totals = {i["code"]: i["total"] for i in body["items"]}
    want = approved_total(tree, "B1")
    assert Decimal(totals["B1"]) == want == 18
    assert Decimal(totals["B2"]) == 1
    assert (body["expected"], body["received"], body["completeness"]) == (2, 2, 100.0)
    assert body["missing"] == []

    b = api_for(b_admin).get(
        f"/api/report-forms/{form.pk}/totals/?organization={tree.city.pk}&period_start={Q1_TEXT}"
    )
    assert b.status_code == 404


def test_the_schema_lists_the_report_endpoints(api_for, city_admin):
    schema = api_for(city_admin).get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/report-forms/",
        "/api/report-forms/{id}/totals/",
        "/api/reports/{id}/",
        "/api/reports/{id}/submit/",
        "/api/reports/{id}/approve/",
        "/api/reports/{id}/return/",
        "/api/reports/{id}/unlock/",
        "/api/reports/not-reported/",
    ):
        assert path in schema["paths"], path
    assert "patch" in schema["paths"]["/api/reports/{id}/"]


def test_who_may_not_approve_is_refused_before_the_body_is_read(
    api_for, form, tree, t_clerk, a_admin, city_admin
):
    report = filing.open_report(t_clerk, form, tree.township, Q1)
    filing.save_and_submit(t_clerk, report, {"B1": "12", "B2": "3600.50"})
    url = f"/api/reports/{report.pk}/"
    for user in (t_clerk, city_admin):  # without the verb; an approver that does not collect it
        for action in ("approve", "return", "unlock"):
            response = api_for(user).post(f"{url}{action}/", {}, format="json")
            assert response.status_code == 403, (user, action, response.content)
    assert api_for(a_admin).post(url + "return/", {}, format="json").status_code == 400


def test_a_filter_by_an_unseen_form_answers_as_a_missing_one(api_for, tree, a_admin, b_admin):
    b_form = new_form(b_admin, tree.county_b, "县B月报", period_type="month")
    assert api_for(b_admin).get(f"/api/reports/?form={b_form.pk}").status_code == 200
    api = api_for(a_admin)
    unseen = api.get(f"/api/reports/?form={b_form.pk}")
    missing = api.get(f"/api/reports/?form={b_form.pk + 1000}")
    assert unseen.status_code == missing.status_code == 400
    assert unseen.json()["form"] == missing.json()["form"]
