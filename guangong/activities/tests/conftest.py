"""Activities in the fixture tree (see guangong/conftest.py and people/tests/conftest.py)."""

import datetime

import pytest

from guangong.activities import services
from guangong.activities.models import Activity
from guangong.dicts.models import DictItem, DictKind
from guangong.people.tests.conftest import (  # noqa: F401  (fixtures)
    People,
    a_revealer,
    categories,
    item,
    people,
)


def activity_type(label: str) -> DictItem:
    return DictItem.objects.get(kind=DictKind.ACTIVITY_TYPE, label=label)


@pytest.fixture
def types(db) -> dict[str, DictItem]:
    return {
        "talk": activity_type("主题宣讲"),
        "training": activity_type("技能培训/讲座"),
        "care": activity_type("关爱帮扶"),
    }


def record(actor, org, type_, day=datetime.date(2026, 3, 5), participants=40, **relations):
    return services.save_activity(
        actor,
        Activity(
            organization=org,
            type=type_,
            title=relations.pop("title", f"{org.name}{type_.label}"),
            date=day,
            participants=participants,
        ),
        **relations,
    )
