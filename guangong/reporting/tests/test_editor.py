"""The form editor: a form, its sections, items and rules made through the pages; the layout
frozen once reports are filed; the htmx parameter list; who may edit what."""

from guangong.core.tests.support import text
from guangong.dicts.models import DictItem, DictKind
from guangong.reporting.models import FormItem, FormRule, FormSection, ReportForm
from guangong.reporting.services import editing, filing

from .conftest import Q1, new_form


def test_an_approver_builds_a_form_through_the_pages(client_for, tree, a_admin):
    client = client_for(a_admin)
    response = client.post(
        "/reports/forms/new/",
        {
            "name": "伊宁市月度工作表",
            "period_type": "month",
            "reporting_kinds": ["township"],
            "due_days": "5",
            "starts_on": "2026-01-01",
            "description": "每月5日前报送",
            "active": "on",
        },
    )
    assert response.status_code == 302, text(response)
    form = ReportForm.objects.get(name="伊宁市月度工作表")
    assert (form.owner, form.reporting_kinds) == (tree.county_a, ["township"])

    client.post(f"/reports/forms/{form.pk}/sections/new/", {"title": "一、活动", "order": "10"})
    client.post(f"/reports/forms/{form.pk}/sections/new/", {"title": "二、帮扶", "order": "20"})
    first, second = form.sections.order_by("order")
    talk = DictItem.objects.get(kind=DictKind.ACTIVITY_TYPE, label="主题宣讲")
    for code, label, kind, metric, param in (
        ("A1", "宣讲场次", "computed", "activity_sessions", str(talk.pk)),
        ("A2", "宣讲人次", "integer", "", ""),
    ):
        response = client.post(
            f"/reports/forms/{form.pk}/items/new/?section={first.pk}",
            {
                "code": code,
                "label": label,
                "kind": kind,
                "metric": metric,
                "metric_param": param,
                "required": "on",
                "order": "10",
                "unit": "",
            },
        )
        assert response.status_code == 302, text(response)
    a1, a2 = form.items()
    assert (a1.metric, a1.metric_param, a2.metric) == ("activity_sessions", str(talk.pk), "")

    # a computed item needs its metric; a code is unique within the form
    response = client.post(
        f"/reports/forms/{form.pk}/items/new/?section={first.pk}",
        {"code": "A1", "label": "重复", "kind": "computed", "metric": "", "order": "30"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "本表已有代码为A1的项目" in page and "请选择该项目的计算来源" in page

    client.post(
        f"/reports/forms/{form.pk}/rules/new/",
        {"left": a2.pk, "operator": ">=", "right": a1.pk, "message": "人次不少于场次"},
    )
    assert str(FormRule.objects.get(form=form)) == "A2 >= A1"

    client.post(f"/reports/forms/{form.pk}/items/{a2.pk}/up/")
    assert [i.code for i in form.items()] == ["A2", "A1"]
    client.post(f"/reports/forms/{form.pk}/sections/{second.pk}/up/")
    assert list(form.sections.order_by("order").values_list("title", flat=True)) == [
        "二、帮扶",
        "一、活动",
    ]
    client.post(f"/reports/forms/{form.pk}/sections/{second.pk}/delete/")
    assert not FormSection.objects.filter(pk=second.pk).exists()

    preview = text(client.get(f"/reports/forms/{form.pk}/preview/"))
    assert "宣讲场次" in preview and "填报时由台账自动计算" in preview
    client.post(f"/reports/forms/{form.pk}/items/{a1.pk}/delete/")
    assert not FormRule.objects.filter(form=form).exists()  # the rule went with its item


def test_the_parameter_list_follows_the_metric(client_for, tree, a_admin):
    client = client_for(a_admin)
    page = text(client.get("/reports/forms/params/?metric=cases"))
    kinds = DictItem.objects.filter(kind=DictKind.CASE_KIND)
    assert all(f'value="{k.pk}"' in page for k in kinds)
    page = text(client.get("/reports/forms/params/?metric=committees"))
    assert "已建立（含巩固提升）" in page
    form = new_form(a_admin, tree.county_a, "表")
    editing.save_section(a_admin, FormSection(form=form, title="一"))
    page = text(client.get(f"/reports/forms/{form.pk}/items/new/"))
    assert 'hx-get="/reports/forms/params/"' in page and 'hx-target="#id_metric_param"' in page


def test_the_layout_is_frozen_once_a_report_is_submitted(
    client_for, form, tree, a_admin, city_admin
):
    report = filing.open_report(a_admin, form, tree.county_a, Q1)
    filing.save_values(a_admin, report, {"B1": "1"})
    filing.submit(a_admin, report)
    client = client_for(city_admin)
    page = text(client.get(f"/reports/forms/{form.pk}/"))
    assert 'data-testid="form-locked"' in page and 'data-testid="item-add"' not in page
    item = form.items().get(code="B1")
    response = client.post(f"/reports/forms/{form.pk}/items/{item.pk}/delete/", follow=True)
    assert "此报表已有单位报送" in text(response)
    assert FormItem.objects.filter(pk=item.pk).exists()
    response = client.post(
        f"/reports/forms/{form.pk}/sections/new/", {"title": "新栏目", "order": "90"}
    )
    assert response.status_code == 400
    assert not FormSection.objects.filter(title="新栏目").exists()


def test_only_approvers_above_the_owner_edit_a_form(client_for, form, tree, a_admin, a_clerk):
    section = form.sections.get()
    for user in (a_admin, a_clerk):  # the city's form, seen from below
        client = client_for(user)
        assert client.get(f"/reports/forms/{form.pk}/").status_code == 200
        assert client.get(f"/reports/forms/{form.pk}/edit/").status_code in (403, 404)
        response = client.post(f"/reports/forms/{form.pk}/sections/{section.pk}/delete/")
        assert response.status_code in (403, 404)
    assert FormSection.objects.filter(pk=section.pk).exists()
    assert client_for(a_clerk).get("/reports/forms/new/").status_code == 403
