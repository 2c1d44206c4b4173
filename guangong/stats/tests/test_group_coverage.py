"""Coverage by organisation group: the filter, the breakdown by a set with its denominators,
the links to the organisation list, scope and bad input (guangong/orggroups/tests/fixtures.py)."""

import re
from html import unescape

import pytest

from guangong.orgs import services as org_services
from guangong.orgs.models import Status
from guangong.stats.coverage import by_group, coverage

ORG_LINK = re.compile(r'<a href="(/orgs/\?[^"]+)" data-testid="org-link">([\d,]+)<')


@pytest.fixture
def statuses(tree, city_admin):
    """The township's committee is established, county B's consolidated (五好)."""
    org_services.update_organization(city_admin, tree.township, status=Status.ESTABLISHED)
    org_services.update_organization(city_admin, tree.county_b, status=Status.CONSOLIDATED)
    return tree


def test_a_group_counts_only_its_organisations(statuses, group_sets):
    cov = coverage(statuses.city, group=group_sets.built)
    assert (cov.total.total, cov.total.established) == (2, 2)
    by_child = {kid.name: row.total for kid, row in cov.children}
    assert by_child == {"伊宁市": 1, "奎屯市": 1}
    assert coverage(statuses.county_a, group=group_sets.built).total.total == 1
    assert coverage(statuses.city, group=group_sets.empty).total.total == 0


def test_the_breakdown_states_each_shares_denominator(statuses, group_sets):
    """3 of the city's 5 organisations have a group of 四化: 已建立 2 (67%), 未建立 1; 未分组 2
    of 5 (the city and county A)."""
    result = by_group(statuses.city, group_sets.sihua)
    lines = {line.slot.label: line for line in result.lines}
    assert list(lines) == ["已建立", "未建立", "未分组"]
    built, unbuilt, none = lines.values()
    assert (built.organizations, built.denominator, built.share) == (2, 3, 66.7)
    assert (built.established, built.established_share) == (2, 100.0)
    assert (unbuilt.organizations, unbuilt.share, unbuilt.established) == (1, 33.3, 0)
    assert (none.organizations, none.denominator, none.share) == (2, 5, 40.0)
    assert none.established == 1  # the city (the province lies above it)
    # One kind only: the denominator names it (本辖区乡镇(街道)1个).
    township_only = by_group(statuses.county_a, group_sets.sihua, group_sets.built)
    assert township_only.lines[0].denominator_label == "本辖区乡镇(街道)1个"


def test_the_page_links_each_count_to_the_same_organisations(
    client_for, statuses, group_sets, city_admin
):
    client = client_for(city_admin)
    page = client.get(
        "/orgs/coverage/",
        {"org": statuses.city.pk, "group": group_sets.built.pk, "by_set": group_sets.sihua.pk},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "分母：本辖区" in html and "占" in html
    links = ORG_LINK.findall(html)
    assert len(links) > 6
    for href, text in links:
        listed = client.get(unescape(href))
        assert listed.status_code == 200, href
        assert listed.context["table"].paginator.count == int(text.replace(",", "")), href


def test_another_counties_set_and_bad_ids_are_refused_in_chinese(
    client_for, statuses, group_sets, a_admin
):
    client = client_for(a_admin)
    for query in (
        {"group": group_sets.b_group.pk},  # county B's own set: not county A's to use
        {"by_set": group_sets.b_set.pk},
        {"group": "x"},
        {"by_set": "99999999999999999999999"},
    ):
        page = client.get("/orgs/coverage/", query)
        assert page.status_code == 400, query
        assert "请选择您数据范围内的分组或分组集" in page.content.decode()
    # The city's set is county A's to use: its townships.
    page = client.get("/orgs/coverage/", {"group": group_sets.built.pk})
    assert page.status_code == 200 and page.context["cov"].total.total == 1
    empty = client.get("/orgs/coverage/", {"group": group_sets.empty.pk, "export": "xlsx"})
    assert empty.status_code == 200


def test_the_organisation_list_filters_by_group(
    client_for, statuses, group_sets, a_admin, city_admin
):
    listed = client_for(city_admin).get("/orgs/", {"ungrouped": group_sets.sihua.pk})
    assert {o.name for o in listed.context["table"].data} == {"伊犁哈萨克自治州", "伊宁市"}
    # County A sees only its subtree; another's group is no choice of its list.
    mine = client_for(a_admin).get("/orgs/", {"org_group": group_sets.built.pk})
    assert [o.name for o in mine.context["table"].data] == ["墩买里街道"]
    theirs = client_for(a_admin).get("/orgs/", {"org_group": group_sets.b_group.pk})
    assert theirs.context["filter"].errors
