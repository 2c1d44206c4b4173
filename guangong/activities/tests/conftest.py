"""Activities in the fixture tree (see guangong/conftest.py and people/tests/conftest.py)."""

import datetime

import pytest

from guangong.accounts.models import User
from guangong.activities import services
from guangong.activities.models import Activity
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs import services as org_services
from guangong.orgs.models import Kind, Organization
from guangong.people.models import Elder
from guangong.people.services.persons import save_person
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


def api_body(tree, types, **fields) -> dict:
    """What a client posts to /api/activities/: a training at county A, with ``fields``."""
    return {
        "organization": tree.county_a.pk,
        "type": types["training"].pk,
        "title": "电商技能培训",
        "date": "2026-02-03",
        "participants": 60,
        **fields,
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


#: Activities of the ``ledger`` fixture: (title, owner key, co-organiser keys).
LEDGER = {
    "county_a": ("甲县主题宣讲会", "county_a", ()),
    "township": ("街道关爱走访", "township", ()),
    "county_b": ("乙县技能讲座", "county_b", ()),
    "joint": ("两县联合招聘会", "county_b", ("county_a",)),
}
#: Which of them each persona sees (a joint activity reaches its co-organisers' subtrees).
LEDGER_SEEN = {
    "city": {"county_a", "township", "county_b", "joint"},
    "a": {"county_a", "township", "joint"},
    "b": {"county_b", "joint"},
}
#: Which of them each persona may change (only the owner's side).
LEDGER_EDITS = {
    "city": {"county_a", "township", "county_b", "joint"},
    "a": {"county_a", "township"},
    "b": {"county_b", "joint"},
}


@pytest.fixture
def ledger(tree, city_admin, people, types) -> dict[str, Activity]:  # noqa: F811
    """One activity at county A, its township and county B, each with the local elder, team
    and young person, and a joint one of county B co-organised by county A."""
    made = {}
    for key, (title, owner, co_orgs) in LEDGER.items():
        place = people[owner]
        made[key] = record(
            city_admin,
            tree[owner],
            types["talk"] if key != "county_b" else types["training"],
            title=title,
            participants=30 + len(made),
            elders={place.elder: "2.0"},
            teams=[place.team],
            youths=[place.youth],
            co_organizers=[tree[k] for k in co_orgs],
        )
    return made


@pytest.fixture
def world(db):
    """A small deep tree (made through the services), five elders and three types."""
    actor = User.objects.create_superuser("stats-root", password="Guangong-test-2025!")
    make = org_services.create_organization
    root = make(actor, None, name="省", kind=Kind.PROVINCE)
    a = make(actor, root, name="甲", kind=Kind.AGENCY)
    b = make(actor, root, name="乙", kind=Kind.AGENCY)
    a1 = make(actor, a, name="甲一", kind=Kind.AGENCY)
    make(actor, a1, name="甲一一", kind=Kind.AGENCY)
    make(actor, b, name="乙一", kind=Kind.AGENCY)
    orgs = list(Organization.objects.order_by("pk"))
    elders = [
        save_person(
            actor,
            Elder(
                organization=orgs[i % len(orgs)],
                name=f"老{i}",
                sex="M",
                birth_date=datetime.date(1950, 1, 1),
            ),
        )
        for i in range(5)
    ]
    types = list(DictItem.objects.filter(kind=DictKind.ACTIVITY_TYPE).order_by("pk")[:3])
    return actor, elders, types
