"""The pivot and distribution API and pages: answers, scope, bad input, the schema."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from guangong.core.tests.support import examples
from guangong.orggroups import services as group_services
from guangong.orggroups.models import Assignment, GroupSet, OrgGroup
from guangong.orgs.models import Kind

PIVOT = "/api/stats/pivot/"
DISTRIBUTION = "/api/stats/distribution/"
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture
def sihua(tree, city_admin):
    """四化型工作模式 set by the city: the township has the model."""
    group_set = group_services.save_group_set(
        city_admin, GroupSet(organization=tree.city, name="四化型工作模式")
    )
    built = group_services.save_group(city_admin, OrgGroup(group_set=group_set, name="已建立"))
    group_services.save_group(city_admin, OrgGroup(group_set=group_set, name="未建立"))
    group_services.save_assignment(city_admin, Assignment(organization=tree.township, group=built))
    return group_set


def test_child_by_type(api_for, ledger, city_admin):
    got = api_for(city_admin).get(
        PIVOT, {"org": ledger.city.pk, **YEAR, "rows": "child", "cols": "type"}
    )
    assert got.status_code == 200, got.content
    data = got.json()
    assert data["measure"]["key"] == "sessions" and data["total"] == 5
    names = [r["label"] for r in data["row_headers"]]
    assert names == ["伊犁哈萨克自治州（本级）", "伊宁市", "奎屯市"]
    assert [r["total"] for r in data["row_headers"]] == [1, 3, 1]
    assert sum(c["total"] for c in data["col_headers"]) == 5
    assert [r["share"] for r in data["row_headers"]] == [20.0, 60.0, 20.0]
    assert data["denominator"] == 5
    # Each figure with records names the list of them; its count is the figure.
    assert data["records_note"] == ""
    client = api_for(city_admin)
    for header, cells, urls in zip(
        data["row_headers"], data["cells"], data["records_urls"], strict=True
    ):
        assert header["records_url"].startswith("/activities/?")
        for value, url in zip(cells, urls, strict=True):
            assert (url is None) == (value == 0)
    own = data["row_headers"][0]["records_url"]
    assert f"owner={ledger.city.pk}" in own and f"org={ledger.city.pk}" in own
    listed = client.get("/api/activities/", dict(parse_qsl(own.split("?", 1)[1])))
    assert listed.status_code == 200 and listed.json()["count"] == 1


def test_the_seeds_township_share(api_for, ledger, city_admin, sihua, tree):
    """“N个乡镇(街道)中，已建立…的有x个，占y%”: townships by group, the denominator stated."""
    got = api_for(city_admin).get(
        PIVOT,
        {
            "org": tree.city.pk,
            "measure": "organizations",
            "rows": "group",
            "set": sihua.pk,
            "kind": Kind.TOWNSHIP,
        },
    )
    data = got.json()
    assert got.status_code == 200, data
    rows = {r["label"]: (r["total"], r["share"]) for r in data["row_headers"]}
    assert rows["已建立"] == (1, 100.0)
    assert rows["未建立"] == (0, 0.0)
    assert data["denominator"] == 1


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"rows": "planet"}, "rows", "未知的维度"),
        ({"measure": "money"}, "measure", "未知的统计指标"),
        ({"measure": "hours", "rows": "role"}, "rows", "不能按"),
        ({"rows": "type", "cols": "type"}, "cols", "不同"),
        ({"rows": "group"}, "set", "分组类别"),
        ({"from": "2010-01-01", "to": "2024-12-31"}, "to", "年"),
        ({"from": "2025-01-01"}, "to", "日期"),
        ({"from": "2025-02-30", "to": "2025-03-01"}, "from", "日期"),
        ({"kind": "moon"}, "kind", "组织类型"),
    ],
)
def test_bad_input_is_a_400_in_chinese(api_for, ledger, city_admin, query, field, message):
    got = api_for(city_admin).get(PIVOT, query, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert got.status_code == 400, got.content
    errors = got.json()
    assert field in errors and message in errors[field][0], errors


def test_out_of_scope_is_404(api_for, ledger, a_admin, tree, sihua):
    api = api_for(a_admin)
    assert api.get(PIVOT, {"org": tree.county_b.pk}).status_code == 404
    assert api.get(PIVOT, {"org": 10**9}).status_code == 404
    assert api.get(DISTRIBUTION, {"org": tree.county_b.pk}).status_code == 404
    # The city's set reaches down: county A reads it; county B's own set would not.
    assert api.get(PIVOT, {"rows": "group", "set": sihua.pk}).status_code == 200


def test_a_county_counts_only_its_subtree(api_for, ledger, a_admin):
    data = api_for(a_admin).get(PIVOT, {**YEAR, "rows": "type"}).json()
    assert data["organization"]["name"] == "伊宁市" and data["total"] == 3


def test_distribution_of_teams(api_for, ledger, city_admin, tree, people):
    data = api_for(city_admin).get(DISTRIBUTION, {"org": tree.city.pk, "of": "teams"}).json()
    buckets = {b["key"]: b["organizations"] for b in data["buckets"]}
    # County A has its own team and the township's below it; county B its own.
    assert buckets == {"0-0": 0, "1-4": 2, "5-": 0}
    assert data["denominator"] == 2
    bad = api_for(city_admin).get(DISTRIBUTION, {"of": "teams", "bins": "5,1"})
    assert bad.status_code == 400 and "bins" in bad.json()


def test_distribution_of_roster(api_for, ledger, city_admin, tree, roster):
    data = api_for(city_admin).get(DISTRIBUTION, {"org": tree.city.pk, "of": "roster"}).json()
    assert sum(b["organizations"] for b in data["buckets"]) == data["denominator"] == 2


def test_schema_describes_the_pivot(api_for, city_admin):
    schema = api_for(city_admin).get("/api/schema/", {"format": "json"}).json()
    assert "/api/stats/pivot/" in schema["paths"]
    assert "/api/stats/distribution/" in schema["paths"]
    assert "/api/org-group-sets/" in schema["paths"] and "/api/org-groups/" in schema["paths"]


def test_page_table_link_and_export(client_for, ledger, city_admin, tree):
    client = client_for(city_admin)
    url = reverse("stats:pivot")
    page = client.get(url, {"org": tree.city.pk, **YEAR, "rows": "child", "cols": "month"})
    body = page.content.decode()
    assert page.status_code == 200
    total = re.search(r'data-testid="pivot-total"><a href="([^"]+)"[^>]*>5<', body)
    assert total, "the total links to its records"
    listed = client.get(unescape(total.group(1)))
    assert listed.context["totals"]["sessions"] == 5
    assert body.count('data-testid="pivot-link"') > 5  # the cells and totals too
    assert "rows=child" in body and "cols=month" in body  # the shareable link
    assert 'data-testid="as-of"' not in body  # 2025 is over
    this_year = client.get(url, {"org": tree.city.pk, "rows": "child"}).content.decode()
    assert f'data-testid="as-of">截至{timezone.localdate():%Y-%m-%d}<' in this_year
    export = client.get(url, {"org": tree.city.pk, **YEAR, "rows": "child", "export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.get(url, {"rows": "planet"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and "未知的维度" in bad.content.decode()
    dist = client.get(reverse("stats:distribution"), {"org": tree.city.pk, "of": "activities"})
    assert dist.status_code == 200


def test_the_chart_stacks_only_figures_that_add_up(client_for, ledger, city_admin, tree):
    """Quarters of different elders do not add up to the year's: their bars stand side by
    side; sessions by type stack to the row's total."""
    client = client_for(city_admin)
    url = reverse("stats:pivot")

    def chart(**query):
        page = client.get(url, {"org": tree.city.pk, **YEAR, "rows": "child", **query})
        return page.context["chart"]

    assert chart(cols="type")["stacked"] is True
    assert chart(measure="elders", cols="quarter")["stacked"] is False
    assert chart(cols="team")["stacked"] is False  # an activity of two teams is in both


def test_quarter_headers_and_labels(api_for, ledger, city_admin):
    data = api_for(city_admin).get(PIVOT, {**YEAR, "rows": "quarter"}).json()
    assert len(data["row_headers"]) == 4
    assert datetime.date.fromisoformat(data["period"]["from"]) == datetime.date(2025, 1, 1)


JUNK = [
    "",
    "0",
    "-1",
    "abc",
    "99999999999999999999",
    "child",
    "type",
    "group",
    "2025-01-01",
    "2025-13-40",
    "township",
    "sessions",
    "hours",
    "1,5",
    "5,1",
    "活动",
    "null",
]


@examples(40)
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["org", "from", "to", "measure", "rows", "cols", "set", "kind", "group", "of", "bins"]
        ),
        st.one_of(st.sampled_from(JUNK), st.text(max_size=12)),
        max_size=6,
    ),
    where=st.sampled_from([PIVOT, DISTRIBUTION]),
)
def test_no_query_makes_a_500(api_for, ledger, city_admin, params, where):
    cache.clear()  # the API's rate limit would answer the later examples
    got = api_for(city_admin).get(where, params)
    assert got.status_code in (200, 400, 404), (params, got.status_code, got.content[:300])


def test_mentorship_figures_link_to_the_mentorship_list(api_for, client_for, world, city_admin):
    """Mentorships by child organisation and outcome: the API names the mentorship list of
    every figure with records, active in the period; the page shows each as a link."""
    tree, _set = world
    query = {"org": tree.city.pk, **YEAR, "measure": "mentorships", "rows": "child"}
    data = api_for(city_admin).get(PIVOT, {**query, "cols": "outcome"}).json()
    assert data["records_note"] == "" and data["total"] > 0
    urls = [u for row in data["records_urls"] for u in row if u] + [data["records_url"]]
    for row, links in zip(data["cells"], data["records_urls"], strict=True):
        assert [v == 0 for v in row] == [u is None for u in links]
    for url in urls:
        params = dict(parse_qsl(url.split("?", 1)[1]))
        assert url.startswith("/people/mentorships/?")
        assert (params["active_from"], params["active_to"]) == (YEAR["from"], YEAR["to"])
    client = client_for(city_admin)
    listed = client.get(data["records_url"])
    assert listed.context["table"].paginator.count == data["total"]
    body = client.get(reverse("stats:pivot"), {**query, "cols": "outcome"}).content.decode()
    total = re.search(r'data-testid="pivot-total"><a href="([^"]+)"', body)
    assert total and unescape(total.group(1)) == data["records_url"]
    assert body.count('data-testid="pivot-link"') >= len(urls)
