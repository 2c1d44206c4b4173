"""A task's figure is the statistics layer's figure for the plan's subtree and year so far,
and each adopting organisation's is its own subtree's."""

import datetime

import pytest

from guangong.activities.tests.conftest import record
from guangong.core import dates
from guangong.stats.activities import summary

from ..figures import measure, year_so_far
from ..services import plans
from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_the_target_progress_is_the_statistics_figure(tree, city_admin, a_admin, types, city_plan):
    record(city_admin, tree.township, types["talk"], day=datetime.date(YEAR, 2, 3))
    record(city_admin, tree.county_a, types["talk"], day=datetime.date(YEAR, 4, 9))
    record(city_admin, tree.county_b, types["talk"], day=datetime.date(YEAR, 5, 1))
    record(city_admin, tree.county_b, types["training"], day=datetime.date(YEAR, 5, 2))
    record(city_admin, tree.county_b, types["talk"], day=datetime.date(YEAR - 1, 5, 2))
    task = city_plan.tasks.get(section=1)
    period = year_so_far(YEAR, dates.today())

    def talks(org):
        stats = summary(org, period, compare=False, count_youth=False, rate=False)
        return next(r["sessions"] for r in stats["by_type"] if r["type"] == types["talk"].pk)

    measured = measure(task)
    assert measured.value == talks(tree.city) == 3
    assert measured.target == 60 and measured.percent == 5 and not measured.met
    assert measured.before == 1  # the same days a year earlier
    county = plans.adopt(a_admin, city_plan, tree.county_a).tasks.get(source=task)
    assert measure(county).value == talks(tree.county_a) == 2


def test_a_year_not_begun_has_no_figure(tree, city_admin, types):
    from .conftest import make_plan, make_task

    plan = make_plan(city_admin, tree.city, year=dates.today().year + 1)
    task = make_task(city_admin, plan, metric="activity_sessions", target=5)
    assert measure(task) is None
