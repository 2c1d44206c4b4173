"""Plans and tasks for the tests, made through the services (as a user would make them)."""

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import user_fixture
from guangong.activities.tests.conftest import types  # noqa: F401  (fixture)

from ..models import PlanTask, WorkPlan
from ..services import plans, tasks

YEAR = 2026
SECTIONS = ["加强思想建设", "加强组织建设", "加强队伍建设"]


def make_plan(actor, org, year=YEAR, **fields) -> WorkPlan:
    fields.setdefault("title", f"{year}年{org.name}关心下一代工作要点")
    fields.setdefault("sections", list(SECTIONS))
    return plans.save_plan(actor, WorkPlan(organization=org, year=year, **fields))


def make_task(actor, plan, text="组织五老宣讲不少于60场次", units=None, **fields) -> PlanTask:
    return tasks.save_task(actor, PlanTask(plan=plan, text=text, **fields), cooperating_units=units)


@pytest.fixture
def city_plan(tree, city_admin, types):  # noqa: F811
    """The city's published work points: a talk task measured in sessions (at least 60), a
    plain task in the second section."""
    plan = make_plan(city_admin, tree.city, introduction="围绕立德树人根本任务……")
    make_task(
        city_admin,
        plan,
        section=1,
        metric="activity_sessions",
        metric_param=str(types["talk"].pk),
        target=60,
        target_text="组织宣讲不少于60场次",
    )
    make_task(city_admin, plan, text="推动机关单位普遍建立关工委", section=2)
    return plans.publish(city_admin, plan)


t_admin = user_fixture("t_admin", "township", Role.UNIT_ADMIN)
