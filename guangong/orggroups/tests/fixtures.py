"""Organisation groups over the fixture tree (guangong/conftest.py), shared by the tests of
coverage, the statistics and report totals (import the fixture ``group_sets``).

四化型工作模式 (the city's): 已建立 = the township and county B, 未建立 = the enterprise; the
city, county A and the province are in none. 示范点 (the city's) has a group with nobody in
it. 奎屯示范 is county B's own set: county A's users do not see it.
"""

from dataclasses import dataclass

import pytest

from guangong.orggroups import services
from guangong.orggroups.models import Assignment, GroupSet, OrgGroup


@dataclass
class Groups:
    sihua: GroupSet
    built: OrgGroup
    unbuilt: OrgGroup
    demo: GroupSet
    empty: OrgGroup
    b_set: GroupSet
    b_group: OrgGroup


@pytest.fixture
def group_sets(tree, city_admin, b_admin) -> Groups:
    def group_set(actor, org, name, *labels):
        made = services.save_group_set(actor, GroupSet(organization=org, name=name))
        groups = [
            services.save_group(actor, OrgGroup(group_set=made, name=label, order=i))
            for i, label in enumerate(labels)
        ]
        return made, groups

    sihua, (built, unbuilt) = group_set(city_admin, tree.city, "四化型工作模式", "已建立", "未建立")
    demo, (empty,) = group_set(city_admin, tree.city, "示范点", "省级示范点")
    b_set, (b_group,) = group_set(b_admin, tree.county_b, "奎屯示范", "示范单位")
    for org, group, actor in (
        (tree.township, built, city_admin),
        (tree.county_b, built, city_admin),
        (tree.enterprise, unbuilt, city_admin),
        (tree.county_b, b_group, b_admin),
    ):
        services.save_assignment(actor, Assignment(organization=org, group=group))
    return Groups(sihua, built, unbuilt, demo, empty, b_set, b_group)
