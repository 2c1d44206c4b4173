"""A ledger of activities across the fixture tree (see guangong/conftest.py), recorded through
the activities service so that the live counters are what the pages read."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from guangong.activities.models import Activity, ActivityElder
from guangong.activities.tests.conftest import record, types  # noqa: F401  (fixture)
from guangong.care.tests.conftest import a_care, city_approver  # noqa: F401  (fixtures)
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.orggroups.tests.fixtures import group_sets  # noqa: F401  (fixture)
from guangong.people.tests.conftest import (  # noqa: F401  (fixtures)
    b_revealer,
    categories,
    people,
)

from .pivot_world import world  # noqa: F401  (fixture)

#: The year the fixed part of the ledger lies in (and, a year earlier, its 同比 base).
YEAR = 2025
YEAR_2025 = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))

#: Periods the statistics refuse, as (query, the side in error, msgid): the page and the API
#: share them (the API names the sides "from" / "to").
BAD_PERIODS = [
    ({"from": "2025-13-01", "to": "2025-12-31"}, "start", "Enter a date as YYYY-MM-DD."),
    ({"from": "2025-01-01"}, "end", "Give both the start and the end date, or neither."),
    (
        {"from": "2025-05-01", "to": "2025-04-30"},
        "end",
        "The end date cannot be before the start date.",
    ),
    (
        {"from": "2010-01-01", "to": "2024-12-31"},
        "end",
        "A period can be at most %(n)s years long.",
    ),
]


@pytest.fixture
def ledger(tree, city_admin, people, types):  # noqa: F811
    """Activities at every level in 2024 and 2025, and some this month."""
    e_a, e_t, e_b = (people[k].elder for k in ("county_a", "township", "county_b"))
    today = timezone.localdate()
    plan = [
        (tree.county_a, "talk", datetime.date(2024, 1, 6), 30, {e_a: 2}),
        (tree.county_b, "care", datetime.date(2024, 9, 9), 10, {}),
        (tree.county_a, "talk", datetime.date(2025, 3, 3), 60, {e_a: 2}),
        (tree.township, "talk", datetime.date(2025, 3, 28), 25, {e_t: 3, e_a: 1}),
        (tree.enterprise, "training", datetime.date(2025, 4, 1), 12, {}),
        (tree.county_b, "care", datetime.date(2025, 12, 31), 8, {e_b: "1.5"}),
        (tree.city, "talk", datetime.date(2025, 7, 1), 300, {}),
        (tree.township, "care", today.replace(day=1), 9, {e_t: 2}),
        (tree.county_b, "talk", today, 44, {e_b: 4}),
    ]
    for org, type_key, day, participants, elders in plan:
        record(city_admin, org, types[type_key], day=day, participants=participants, elders=elders)
    return tree


@dataclass
class Count:
    sessions: int
    participants: int
    elder_times: int
    service_hours: Decimal
    elders_engaged: int


def count_ledger(org, period: Period) -> Count:
    """The figures counted row by row from the ledger, independently of the counters."""
    activities = list(
        Activity.objects.filter(
            subtree_q("organization__path", org.path),
            date__gte=period.start,
            date__lte=period.end,
        )
    )
    links = list(ActivityElder.objects.filter(activity__in=activities))
    return Count(
        sessions=len(activities),
        participants=sum(a.participants for a in activities),
        elder_times=len(links),
        service_hours=sum((link.hours for link in links), Decimal(0)),
        elders_engaged=len({link.elder_id for link in links}),
    )
