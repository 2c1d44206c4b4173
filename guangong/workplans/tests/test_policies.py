"""Who reads a plan: its side and those above always, the subtree below once published;
who writes it: its own side. Out of scope answers as a missing id."""

import pytest
from django.urls import reverse

from guangong.core.resources import policy_for
from guangong.core.tests.support import page_body

from ..models import PlanTask, WorkPlan
from ..services import plans
from .conftest import make_plan, make_task

pytestmark = pytest.mark.django_db


def readers(plan, *users):
    policy = policy_for(WorkPlan)
    return [policy.allows(u, "read", plan) for u in users]


def test_a_draft_is_read_by_its_side_and_above_only(tree, city_admin, a_admin, b_admin, t_admin):
    draft = make_plan(a_admin, tree.county_a)
    assert readers(draft, city_admin, a_admin, b_admin, t_admin) == [True, True, False, False]


def test_a_published_plan_is_read_by_the_subtree_below(tree, city_admin, a_admin, b_admin, t_admin):
    plan = make_plan(a_admin, tree.county_a)
    task = make_task(a_admin, plan)
    plans.publish(a_admin, plan)
    plan.refresh_from_db()
    assert readers(plan, city_admin, a_admin, b_admin, t_admin) == [True, True, False, True]
    tasks = policy_for(PlanTask)
    assert tasks.allows(t_admin, "read", task) and not tasks.allows(b_admin, "read", task)
    # Reading is not writing: the township does not change the county's plan.
    assert not policy_for(WorkPlan).allows(t_admin, "write", plan)
    assert policy_for(WorkPlan).allows(city_admin, "write", plan)


def test_the_citys_plan_reaches_both_counties_once_published(tree, city_plan, a_admin, b_admin):
    assert readers(city_plan, a_admin, b_admin) == [True, True]


def test_pages_out_of_scope_answer_like_missing_ones(tree, a_admin, client_for):
    plan = make_plan(a_admin, tree.county_a)
    task = make_task(a_admin, plan)
    from guangong.accounts.tests.factories import UserFactory

    other = UserFactory(username="b_other", organization=tree.county_b, role="unit_admin")
    client = client_for(other)
    for name, pk, missing in (
        ("workplans:workplan_detail", plan.pk, plan.pk + 999),
        ("workplans:plantask_detail", task.pk, task.pk + 999),
        ("workplans:workplan_export", plan.pk, plan.pk + 999),
        ("workplans:workplan_overview", plan.pk, plan.pk + 999),
    ):
        seen = client.get(reverse(name, args=[pk]))
        absent = client.get(reverse(name, args=[missing]))
        assert seen.status_code == absent.status_code == 404, name
        assert page_body(seen) == page_body(absent)
