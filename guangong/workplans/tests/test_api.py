"""The API: plans and tasks in scope, publish, adopt and progress; bad input is a 400 with a
Chinese message, never a 500."""

import pytest

from ..models import PlanTask, WorkPlan
from .conftest import YEAR, make_plan, make_task

pytestmark = pytest.mark.django_db


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_a_plan_and_its_task_through_the_api(tree, api_for, a_admin, b_admin):
    api = api_for(a_admin)
    response = api.post(
        "/api/work-plans/",
        {
            "organization": tree.county_a.pk,
            "year": YEAR,
            "title": "2026年伊宁市关心下一代工作要点",
            "sections": ["思想引领", "关爱帮扶"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    response = api.post(
        "/api/plan-tasks/",
        {"plan": plan_id, "section": 2, "text": "走访慰问困难青少年", "target_text": "不少于100人"},
        format="json",
    )
    assert response.status_code == 201, response.content
    task_id = response.json()["id"]
    assert api.post(f"/api/work-plans/{plan_id}/publish/").json()["status"] == "published"
    response = api.post(
        f"/api/plan-tasks/{task_id}/progress/",
        {"status": "in_progress", "percent": 30, "text": "已走访30人"},
        format="json",
    )
    assert response.status_code == 201
    assert PlanTask.objects.get(pk=task_id).percent == 30
    other = api_for(b_admin)
    assert other.get(f"/api/work-plans/{plan_id}/").status_code == 404
    assert plan_id not in [p["id"] for p in other.get("/api/work-plans/").json()["results"]]


def test_adopting_through_the_api(tree, api_for, a_admin, city_plan):
    response = api_for(a_admin).post(f"/api/work-plans/{city_plan.pk}/adopt/", {}, format="json")
    assert response.status_code == 201, response.content
    plan = WorkPlan.objects.get(pk=response.json()["id"])
    assert plan.organization == tree.county_a and plan.tasks.count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {"year": 1800},
        {"year": "明年"},
        {"title": ""},
        {"title": "长" * 201},
        {"sections": "不是列表"},
        {"sections": ["长" * 101]},
        {"organization": 999999},
    ],
)
def test_bad_plans_are_refused(tree, api_for, a_admin, body):
    data = {"organization": tree.county_a.pk, "year": YEAR, "title": "要点", **body}
    response = api_for(a_admin).post("/api/work-plans/", data, format="json")
    assert response.status_code == 400, response.content
    assert chinese(str(response.json())), response.json()
    assert not WorkPlan.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"section": 7},
        {"metric": "activity_sessions"},
        {"metric": "activity_sessions", "target": -1},
        {"metric": "nonsense", "target": 5},
        {"due_date": "2031-13-01"},
        {"due_date": f"{YEAR - 1}-05-01"},
        {"text": ""},
    ],
)
def test_bad_tasks_are_refused(tree, api_for, a_admin, body):
    plan = make_plan(a_admin, tree.county_a)
    data = {"plan": plan.pk, "section": 1, "text": "开展宣讲", **body}
    response = api_for(a_admin).post("/api/plan-tasks/", data, format="json")
    assert response.status_code == 400, response.content
    assert not plan.tasks.exists()


def test_bad_progress_is_refused(tree, api_for, a_admin):
    task = make_task(a_admin, make_plan(a_admin, tree.county_a))
    api = api_for(a_admin)
    for body in (
        {"status": "finished", "text": "x"},
        {"status": "done", "percent": 300, "text": "x"},
        {"status": "done", "text": ""},
    ):
        response = api.post(f"/api/plan-tasks/{task.pk}/progress/", body, format="json")
        assert response.status_code == 400, body
    assert not task.reports.exists()
