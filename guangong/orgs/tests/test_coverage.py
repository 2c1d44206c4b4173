"""Coverage (组织覆盖): the numbers committees used to count by hand, for any subtree.

The fixture below extends the shared tree so that every kind × status cell, the established
share, the leadership count (current positions only) and the per-child breakdown have known
values, written out by hand; a second check recomputes them for every node from parent links.
"""

import datetime
import re
from collections import Counter

import pytest
from django.utils import timezone

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import xlsx_rows, zh
from guangong.orgs import rollup
from guangong.orgs.models import Kind, Organization, Position, PositionRole, Status
from guangong.orgs.tests.factories import OrganizationFactory, PositionFactory
from guangong.stats.coverage import coverage

STATUSES = ["none", "preparing", "established", "consolidated"]


@pytest.fixture
def region(tree):
    """The city's subtree with ten organisations in every status, and a leadership roster."""
    today = timezone.localdate()
    days = datetime.timedelta
    set_status = {
        "province": Status.ESTABLISHED,
        "city": Status.CONSOLIDATED,
        "county_a": Status.ESTABLISHED,
        "county_b": Status.PREPARING,
        "township": Status.NONE,
        "enterprise": Status.ESTABLISHED,
    }
    for key, status in set_status.items():
        Organization.objects.filter(pk=tree[key].pk).update(status=status)
    # A bare update bypasses the services that keep the subtree counts; recount them.
    rollup.rebuild()
    OrganizationFactory(
        parent=tree.county_a,
        name="巴彦岱镇",
        kind=Kind.TOWNSHIP,
        division_code="654002002000",
        status=Status.ESTABLISHED,
    )
    OrganizationFactory(
        parent=tree.county_a, name="达达木图乡", kind=Kind.TOWNSHIP, status=Status.NONE
    )
    OrganizationFactory(
        parent=tree.township, name="解放路社区", kind=Kind.VILLAGE, status=Status.PREPARING
    )
    OrganizationFactory(
        parent=tree.county_b, name="奎屯市第一中学", kind=Kind.SCHOOL, status=Status.CONSOLIDATED
    )
    OrganizationFactory(parent=tree.county_b, name="奎屯工业园区", kind=Kind.PARK)
    tree.refresh()

    seat = PositionFactory
    seat(organization=tree.province, role=PositionRole.DIRECTOR)  # outside the city
    seat(organization=tree.city, role=PositionRole.DIRECTOR)
    seat(organization=tree.county_a, role=PositionRole.DEPUTY, start_date=today - days(365))
    # Ended: no longer in the leadership.
    seat(organization=tree.county_a, role=PositionRole.MEMBER, end_date=today - days(30))
    # Not started yet.
    seat(organization=tree.township, role=PositionRole.MEMBER, start_date=today + days(30))
    seat(
        organization=tree.county_b,
        role=PositionRole.SECRETARY_GENERAL,
        end_date=today + days(10),
    )
    # Ends today: still serving today.
    seat(organization=tree.enterprise, role=PositionRole.MEMBER, end_date=today)
    return tree


#: The city's coverage, counted by hand from the fixture above.
CITY_ROWS = {
    "city": {"consolidated": 1},
    "county": {"established": 1, "preparing": 1},
    "township": {"none": 2, "established": 1},
    "village": {"preparing": 1},
    "private": {"established": 1},
    "park": {"none": 1},
    "school": {"consolidated": 1},
}
CITY_TOTAL = {"none": 3, "preparing": 2, "established": 3, "consolidated": 2}
CITY_LEADERS = {
    "director": 1,
    "executive_deputy": 0,
    "deputy": 1,
    "secretary_general": 1,
    "member": 1,
}
CITY_CHILDREN = {
    "伊宁市": {"established": 3, "none": 2, "preparing": 1},
    "奎屯市": {"preparing": 1, "consolidated": 1, "none": 1},
}


def test_city_coverage_matches_the_hand_count(region):
    cov = coverage(region.city)

    assert {r.key: r.by_status for r in cov.rows} == CITY_ROWS
    assert [r.key for r in cov.rows] == list(CITY_ROWS)  # in the order of the kinds
    assert cov.total.by_status == CITY_TOTAL
    assert (cov.total.total, cov.total.established, cov.total.share) == (10, 5, 0.5)
    assert cov.positions_total == 4
    assert [n for _, n in cov.positions_by_role] == list(CITY_LEADERS.values())
    assert {child.name: row.by_status for child, row in cov.children} == CITY_CHILDREN
    assert [(row.total, row.established) for _, row in cov.children] == [(6, 3), (3, 1)]


def independent_count(root: Organization):
    """Subtree, kind × status, children and current leaders recomputed from parent links."""
    nodes = list(Organization.objects.all())
    parent = {
        n.pk: (
            Organization.objects.get_parent(n).pk if Organization.objects.get_parent(n) else None
        )
        for n in nodes
    }

    def under(node_pk: int, top_pk: int) -> bool:
        while node_pk is not None:
            if node_pk == top_pk:
                return True
            node_pk = parent[node_pk]
        return False

    subtree = [n for n in nodes if under(n.pk, root.pk)]
    cells = Counter((n.kind, n.status) for n in subtree)
    children = {
        c.name: Counter(n.status for n in subtree if under(n.pk, c.pk))
        for c in nodes
        if parent[c.pk] == root.pk
    }
    today = timezone.localdate()
    leaders = Counter(
        p.role
        for p in Position.objects.all()
        if under(p.organization_id, root.pk)
        and (p.start_date is None or p.start_date <= today)
        and (p.end_date is None or p.end_date >= today)
    )
    return cells, children, leaders


@pytest.mark.parametrize("key", ["province", "city", "county_a", "county_b", "township"])
def test_coverage_of_every_subtree_matches_an_independent_count(region, key):
    cells, children, leaders = independent_count(region[key])

    cov = coverage(region[key])

    assert {(r.key, status): n for r in cov.rows for status, n in r.by_status.items()} == dict(
        cells
    )
    assert cov.total.total == sum(cells.values())
    assert cov.total.established == sum(
        n for (_, status), n in cells.items() if status in ("established", "consolidated")
    )
    assert {c.name: dict(row.by_status) for c, row in cov.children} == {
        name: dict(counter) for name, counter in children.items()
    }
    assert cov.positions_total == sum(leaders.values())
    assert [n for _, n in cov.positions_by_role] == [leaders[r] for r in PositionRole.values]


def test_coverage_page_shows_the_numbers(client_for, region, city_admin):
    response = client_for(city_admin).get(f"/orgs/coverage/?org={region.city.pk}")

    assert response.status_code == 200
    html = response.content.decode()

    def stat(testid):
        return re.search(rf'data-testid="{testid}">([^<]*)<', html).group(1)

    assert (stat("total"), stat("established"), stat("share"), stat("leaders")) == (
        "10",
        "5",
        "50%",
        "4",
    )
    rows = re.findall(r'<tr data-kind="(\w+)">(.*?)</tr>', html, re.S)
    cells = {  # a count is a link to the organisations it counts: its text is the number
        kind: [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td class="num">(.*?)</td>', body)]
        for kind, body in rows
    }
    assert cells["township"] == ["2", "0", "1", "0", "3", "1", "33%"]
    assert cells["county"] == ["0", "1", "1", "0", "2", "1", "50%"]
    assert set(cells) == set(CITY_ROWS)


def test_coverage_defaults_to_the_users_organisation(client_for, region, a_admin):
    response = client_for(a_admin).get("/orgs/coverage/")

    assert response.status_code == 200
    assert response.context["cov"].root == region.county_a
    assert response.context["cov"].total.total == 6


def test_coverage_export_holds_the_numbers(client_for, region, city_admin):
    client = client_for(city_admin)
    exports = AuditLog.objects.filter(action=Action.EXPORT).count()

    response = client.get(f"/orgs/coverage/?org={region.city.pk}&export=xlsx")

    assert response.status_code == 200
    rows = xlsx_rows(response)
    by_label = {row[0]: list(row[1:]) for row in rows if row and row[0] is not None}
    assert by_label[zh("County / district")] == [0, 1, 1, 0, 2, 1, "50.0%"]
    assert by_label[zh("Township / subdistrict")] == [2, 0, 1, 0, 3, 1, "33.3%"]
    assert by_label[zh("Industrial park")] == [1, 0, 0, 0, 1, 0, "0.0%"]
    assert by_label[zh("Total")] == [3, 2, 3, 2, 10, 5, "50.0%"]
    assert by_label["伊宁市"] == [2, 1, 3, 0, 6, 3, "50.0%"]
    assert by_label["奎屯市"] == [1, 1, 0, 1, 3, 1, "33.3%"]
    assert by_label[zh("Leadership members")] == [4]
    assert by_label[zh("Director")] == [1]
    assert by_label[zh("Executive deputy director")] == [0]
    # Exporting is itself audited.
    assert AuditLog.objects.filter(action=Action.EXPORT).count() == exports + 1
