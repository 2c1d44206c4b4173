"""The demo region's work points: the city's plan in nine sections, the counties' adopted
plans with progress in every status, figures computed from the demo's ledger."""

import pytest

from guangong.demo.loader import load

from ..figures import measure
from ..models import PlanStatus, TaskStatus, WorkPlan

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_citys_work_points_adopted_below():
    result = load("small", 3)
    city = WorkPlan.objects.get(source=None)
    assert city.title == f"{city.year}年全市关心下一代工作要点"
    assert city.status == PlanStatus.PUBLISHED and len(city.sections) == 9
    assert set(city.tasks.values_list("section", flat=True)) == set(range(1, 10))
    adopted = WorkPlan.objects.filter(source=city)
    assert adopted.count() >= 2
    assert {PlanStatus.DRAFT, PlanStatus.PUBLISHED} <= set(adopted.values_list("status", flat=True))
    statuses = set(
        adopted.filter(status=PlanStatus.PUBLISHED).values_list("tasks__status", flat=True)
    )
    assert statuses == set(TaskStatus.values)
    talk = city.tasks.get(section=1, number=1)
    assert talk.adoptions.count() == adopted.count()
    assert measure(talk).value > 0  # the demo's ledger has talks this year
    assert result.organizations
