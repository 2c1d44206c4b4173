"""The pivot tests' world: the statistics ledger, plus activities with teams and an audience,
mentorships of every kind, and a group set sorting the tree (``world``, a fixture)."""

import datetime

import pytest

from guangong.activities.models import Activity
from guangong.activities.tests.conftest import record
from guangong.dicts.models import DictKind
from guangong.orggroups import services as group_services
from guangong.orggroups.models import Assignment, GroupSet, OrgGroup
from guangong.people.services.persons import save_person
from guangong.people.tests.conftest import elder_of, item, new_mentorship, youth_of

#: The organisations a pivot is drawn for in random tests.
KEYS = ["province", "city", "county_a", "township", "county_b"]


#: More mentorships: (organisation, elder's organisation and categories, young person's
#: category, start, end, outcomes), beside the three of ``people`` (begun 2024-03-01, open).
MENTORSHIPS = [
    ("county_a", "county_a", ("cadre", "expert"), "student", (2024, 5, 1), (2024, 12, 31), 2),
    ("township", "township", (), "left_behind", (2025, 6, 15), (2025, 9, 30), 0),
    ("city", "city", ("teacher",), "student", (2025, 12, 31), None, 1),
    ("county_a", "township", (), "student", (2025, 1, 1), (2025, 1, 1), 1),
    ("enterprise", "enterprise", ("cadre",), "left_behind", (2023, 2, 1), (2026, 2, 1), 2),
]


def more_mentorships(city_admin, tree, categories) -> None:
    """``MENTORSHIPS``: ended before, within and after 2025, open, of an elder without a
    category or of two, with no outcome, one or two, at the city itself and below."""
    study = item(DictKind.MENTORSHIP_OUTCOME, "升学")
    outcomes = [categories["outcome_job"], study]
    for i, (org, elder_org, cats, youth_cat, start, end, n) in enumerate(MENTORSHIPS):
        elder = save_person(
            city_admin,
            elder_of(tree[elder_org], f"结对五老{i}"),
            m2m={"categories": [categories[c] for c in cats]},
        )
        youth = save_person(city_admin, youth_of(tree[org], f"结对青年{i}", categories[youth_cat]))
        end = datetime.date(*end) if end else None
        new_mentorship(
            city_admin, tree[org], elder, youth, datetime.date(*start), end, outcomes=outcomes[:n]
        )


@pytest.fixture
def world(ledger, tree, city_admin, people, types, categories, roster):
    """The statistics ledger, plus activities with teams and an audience, mentorships of
    every kind (``MENTORSHIPS``), and a group set sorting the tree."""
    record(
        city_admin,
        tree.township,
        types["talk"],
        day=datetime.date(2025, 5, 20),
        participants=70,
        teams=[people["township"].team, people["county_a"].team],
        elders={people["township"].elder: 2},
    )
    Activity.objects.filter(title__contains="主题宣讲").update(audience=categories["student"])
    mentorship = people["county_b"].mentorship
    mentorship.outcomes.add(categories["outcome_job"])
    more_mentorships(city_admin, tree, categories)
    group_set = group_services.save_group_set(
        city_admin, GroupSet(organization=tree.city, name="四化型工作模式")
    )
    built, _not = (
        group_services.save_group(city_admin, OrgGroup(group_set=group_set, name=name, order=i))
        for i, name in enumerate(("已建立", "未建立"))
    )
    for org in (tree.county_a, tree.township):
        group_services.save_assignment(city_admin, Assignment(organization=org, group=built))
    return tree, group_set
