"""Plans, tasks, publication, adoption and progress through the services: what is refused,
what is copied, what each change leaves in the audit log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guangong.audit.models import AuditLog
from guangong.core.scope import OutOfScope
from guangong.meetings.tests.conftest import make_unit

from ..models import PlanStatus, TaskStatus, WorkPlan
from ..services import plans, tasks
from .conftest import YEAR, make_plan, make_task

pytestmark = pytest.mark.django_db


def test_a_task_is_numbered_within_its_section(tree, a_admin):
    plan = make_plan(a_admin, tree.county_a)
    first = make_task(a_admin, plan, section=2)
    second = make_task(a_admin, plan, text="开展家风家教活动", section=2)
    other = make_task(a_admin, plan, text="建立五老队伍", section=3)
    assert (first.number, second.number, other.number) == (1, 2, 1)


def test_one_plan_an_organisation_a_year(tree, a_admin):
    make_plan(a_admin, tree.county_a)
    with pytest.raises(ValidationError) as exc:
        make_plan(a_admin, tree.county_a, title="又一份")
    assert "year" in exc.value.message_dict


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"section": 9}, "section"),
        ({"due_date": datetime.date(YEAR + 1, 1, 5)}, "due_date"),
        ({"metric": "no_such"}, "metric"),
        ({"metric": "activity_sessions"}, "target"),
        (
            {"metric": "activity_sessions", "metric_param": "group:nonsense", "target": 3},
            "metric_param",
        ),
        ({"text": "长" * 2001}, "text"),
    ],
)
def test_bad_tasks_are_refused_with_the_field_named(tree, a_admin, fields, field):
    plan = make_plan(a_admin, tree.county_a)
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_task(a_admin, plan, **fields)
    assert field in exc.value.message_dict
    assert AuditLog.objects.count() == before
    assert not plan.tasks.exists()


def test_lead_and_cooperating_units_are_the_plans_organisations(tree, a_admin, b_admin):
    plan = make_plan(a_admin, tree.county_a)
    mine = make_unit(a_admin, tree.county_a, label="教育局")
    theirs = make_unit(b_admin, tree.county_b, label="妇联")
    task = make_task(a_admin, plan, lead_unit=mine, units=[mine])
    assert task.lead_name == mine.name
    assert list(task.cooperating_units.all()) == [mine]
    with pytest.raises(ValidationError) as exc:
        make_task(a_admin, plan, units=[theirs])
    assert "cooperating_units" in exc.value.message_dict
    with pytest.raises(ValidationError):
        make_task(a_admin, plan, lead_unit=mine, lead_org=tree.county_a)


def test_publishing_needs_tasks_and_happens_once(tree, a_admin):
    plan = make_plan(a_admin, tree.county_a)
    with pytest.raises(ValidationError):
        plans.publish(a_admin, plan)
    make_task(a_admin, plan)
    plan = plans.publish(a_admin, plan)
    assert plan.status == PlanStatus.PUBLISHED and plan.published_at
    with pytest.raises(ValidationError):
        plans.publish(a_admin, plan)
    with pytest.raises(ValidationError):
        plans.delete_plan(a_admin, plan)


def test_a_county_adopts_the_citys_plan(tree, a_admin, city_plan):
    plan = plans.adopt(a_admin, city_plan, tree.county_a)
    assert plan.organization == tree.county_a and plan.status == PlanStatus.DRAFT
    assert plan.source == city_plan and plan.sections == city_plan.sections
    copies = list(plan.tasks.order_by("section", "number"))
    sources = list(city_plan.tasks.order_by("section", "number"))
    assert [c.source for c in copies] == sources
    assert [c.text for c in copies] == [s.text for s in sources]
    assert copies[0].metric == "activity_sessions" and copies[0].target == 60
    assert copies[0].lead_org == tree.county_a
    # Adopting again copies nothing twice; an own task stays.
    make_task(a_admin, plan, text="县里自己的任务", section=3)
    again = plans.adopt(a_admin, city_plan, tree.county_a)
    assert again.pk == plan.pk and again.tasks.count() == 3
    assert AuditLog.objects.filter(message__contains=city_plan.title).count() == 2


def test_a_draft_cannot_be_adopted_nor_adopted_sideways(tree, city_admin, a_admin, b_admin):
    draft = make_plan(city_admin, tree.city)
    make_task(city_admin, draft)
    with pytest.raises(ValidationError):
        plans.adopt(city_admin, draft, tree.county_a)
    county_plan = plans.publish(a_admin, make_task(a_admin, make_plan(a_admin, tree.county_a)).plan)
    with pytest.raises(OutOfScope):  # county B does not read county A's plan
        plans.adopt(b_admin, county_plan, tree.county_b)


def test_progress_sets_the_tasks_status_and_keeps_evidence(tree, a_admin, media):
    task = make_task(a_admin, make_plan(a_admin, tree.county_a))
    photo = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    entry = tasks.report(a_admin, task, "已开展宣讲20场", TaskStatus.IN_PROGRESS, 35, photo)
    task.refresh_from_db()
    assert (task.status, task.percent) == (TaskStatus.IN_PROGRESS, 35)
    assert entry.file and entry.kind == "photo"
    tasks.report(a_admin, task, "全部完成", TaskStatus.DONE)
    task.refresh_from_db()
    assert (task.status, task.percent) == (TaskStatus.DONE, 100)
    with pytest.raises(ValidationError):
        tasks.delete_task(a_admin, task)


@pytest.mark.parametrize(
    "text, status, percent",
    [
        ("", "in_progress", None),
        ("x", "finished", None),
        ("x", "done", 101),
        ("长" * 2001, "done", 1),
    ],
)
def test_bad_progress_is_refused(tree, a_admin, text, status, percent):
    task = make_task(a_admin, make_plan(a_admin, tree.county_a))
    with pytest.raises(ValidationError):
        tasks.report(a_admin, task, text, status, percent)
    assert not task.reports.exists()


def test_a_viewer_changes_nothing(tree, a_admin, a_viewer):
    plan = make_plan(a_admin, tree.county_a)
    task = make_task(a_admin, plan)
    with pytest.raises(PermissionDenied):
        tasks.report(a_viewer, task, "x", TaskStatus.DONE)
    with pytest.raises(PermissionDenied):
        plans.save_plan(a_viewer, WorkPlan(organization=tree.county_a, year=2027, title="x"))


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 120, 0)).save(out, format="PNG")
    return out.getvalue()
