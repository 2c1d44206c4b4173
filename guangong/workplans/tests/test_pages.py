"""The plan's pages: sections and tasks, adoption, progress, the roll-up on the city's task,
the overview by status, and the Word document."""

import io

import pytest
from django.urls import reverse
from docx import Document

from ..models import TaskStatus, WorkPlan
from ..services import plans, tasks
from .conftest import make_plan, make_task

pytestmark = pytest.mark.django_db


def test_the_plan_page_shows_numbered_sections_and_tasks(tree, city_plan, client_for, a_admin):
    body = client_for(a_admin).get(city_plan.get_absolute_url()).content.decode()
    assert "一、加强思想建设" in body and "二、加强组织建设" in body
    assert "1. 组织五老宣讲不少于60场次" in body
    assert 'data-testid="adopt"' in body  # county A may adopt the city's plan


def test_adopting_and_reporting_from_the_pages(tree, city_plan, client_for, a_admin, city_admin):
    client = client_for(a_admin)
    response = client.post(reverse("workplans:workplan_adopt", args=[city_plan.pk]))
    mine = WorkPlan.objects.get(organization=tree.county_a, year=city_plan.year)
    assert response.status_code == 302 and response["Location"] == mine.get_absolute_url()
    page = client.get(city_plan.get_absolute_url()).content.decode()
    assert 'data-testid="adopt"' not in page and 'data-testid="own-plan"' in page
    task = mine.tasks.get(number=1, section=1)
    url = reverse("workplans:plantask_progress", args=[task.pk])
    bad = client.post(url, {"status": "in_progress", "percent": "150", "text": "x"})
    assert bad.status_code == 303
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    client.post(url, {"status": "in_progress", "percent": "40", "text": "已开展宣讲12场"})
    task.refresh_from_db()
    assert (task.status, task.percent) == (TaskStatus.IN_PROGRESS, 40)
    # The city's task shows county A's latest progress.
    source = task.source
    body = client_for(city_admin).get(source.get_absolute_url()).content.decode()
    assert tree.county_a.name in body and "已开展宣讲12场" in body


def test_the_overview_counts_the_subtrees_tasks_by_status(
    tree, city_plan, a_admin, client_for, city_admin
):
    mine = plans.adopt(a_admin, city_plan, tree.county_a)
    first = mine.tasks.order_by("section").first()
    tasks.report(a_admin, first, "完成", TaskStatus.DONE)
    response = client_for(city_admin).get(
        reverse("workplans:workplan_overview", args=[city_plan.pk])
    )
    ov = response.context["overview"]
    # Not started, in progress, done: the city's two and county A's two tasks.
    assert ov["totals"] == [3, 0, 1] and ov["total"] == 4
    assert [r["name"] for r in ov["rows"]] == [tree.city.name, tree.county_a.name]


def test_the_word_document_has_the_official_layout(tree, city_plan, client_for, a_admin):
    response = client_for(a_admin).get(reverse("workplans:workplan_export", args=[city_plan.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    paragraphs = [(p.text, p.style.name) for p in doc.paragraphs]
    assert paragraphs[0] == (city_plan.title, "GG Title")
    assert doc.paragraphs[0].style.paragraph_format.alignment == 1  # centred
    assert ("一、加强思想建设", "GG Heading") in paragraphs
    assert any(t.startswith("1. 组织五老宣讲不少于60场次") for t, _s in paragraphs)


def test_a_draft_is_deleted_with_its_tasks(tree, a_admin, client_for):
    plan = make_plan(a_admin, tree.county_a)
    make_task(a_admin, plan)
    response = client_for(a_admin).post(reverse("workplans:workplan_delete", args=[plan.pk]))
    assert response.status_code == 302
    assert not WorkPlan.objects.filter(pk=plan.pk).exists()


def test_a_plan_is_written_on_its_form_with_one_heading_a_line(tree, a_admin, client_for):
    client = client_for(a_admin)
    data = {
        "organization": tree.county_a.pk,
        "year": "1800",
        "title": "伊宁市2026年关心下一代工作要点",
        "introduction": "",
        "sections": "加强思想建设\n\n加强组织建设\n",
    }
    refused = client.post(reverse("workplans:workplan_add"), data)
    assert refused.status_code == 400 and not WorkPlan.objects.exists()
    assert "年度" in refused.content.decode() or "2000" in refused.content.decode()
    response = client.post(reverse("workplans:workplan_add"), {**data, "year": "2026"})
    plan = WorkPlan.objects.get()
    assert response.status_code == 302
    assert plan.sections == ["加强思想建设", "加强组织建设"]
    page = client.get(reverse("workplans:workplan_edit", args=[plan.pk])).content.decode()
    assert "加强思想建设\n加强组织建设" in page
    form = client.get(reverse("workplans:plantask_add", args=[plan.pk])).content.decode()
    assert "二、加强组织建设" in form
