"""Help requests in the fixture tree (guangong/conftest.py), made as the public form makes them.

County A (伊宁市) and county B (奎屯市) are made established committees, so that the public
may address them; care workers sit at county A, county B and the city.
"""

import time

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import user_fixture
from guangong.dicts.models import DictItem, DictKind
from guangong.helpdesk import protection, services
from guangong.orgs.models import Organization, Status
from guangong.people.tests.conftest import (  # noqa: F401  (fixtures)
    a_revealer,
    categories,
    people,
)

PHONE_A = "13912345678"
PHONE_B = "13987654321"


def kind(label: str = "心理疏导") -> DictItem:
    return DictItem.objects.get_or_create(kind=DictKind.CASE_KIND, label=label)[0]


@pytest.fixture
def places(tree):
    """County A and county B as established committees (the city is one already)."""
    Organization.objects.filter(pk__in=[tree.county_a.pk, tree.county_b.pk]).update(
        status=Status.ESTABLISHED
    )
    return tree.refresh()


a_care = user_fixture("a_care", "county_a", Role.CARE_WORKER, tree="places")
b_care = user_fixture("b_care", "county_b", Role.CARE_WORKER, tree="places")
city_care = user_fixture(
    "city_care", "city", Role.UNIT_ADMIN, tree="places", can_handle_cases=True, can_reveal=True
)


def make_request(org, phone=PHONE_A, description="孩子最近情绪低落，不愿上学。", **kw):
    return services.submit(
        None,
        kind=kw.pop("kind", None) or kind(),
        organization=org,
        description=description,
        phone=phone,
        requester_name=kw.pop("requester_name", "李女士"),
        relation=kw.pop("relation", "parent"),
        youth_age=kw.pop("youth_age", 13),
        consent=True,
    )


@pytest.fixture
def request_a(places):
    return make_request(places.county_a)


@pytest.fixture
def request_b(places):
    return make_request(places.county_b, phone=PHONE_B, description="家里困难，想申请助学。")


def form_data(org, phone=PHONE_A, issued_ago: float = 60, **overrides) -> dict:
    """What a person posts from the form: a token made ``issued_ago`` seconds ago, answered."""
    token = protection.issue(issued_at=time.time() - issued_ago)
    data = {
        "kind": kind().pk,
        "organization": org.pk,
        "description": "我是初二学生，父母在外打工，想找人聊聊学习压力。",
        "relation": "self",
        "youth_age": "14",
        "requester_name": "小王",
        "phone": phone,
        "consent": "on",
        "token": token,
        "answer": str(protection.answer(token)),
        "website": "",
    }
    data.update(overrides)
    return data
