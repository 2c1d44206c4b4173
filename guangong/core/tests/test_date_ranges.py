"""A list filtered by a date range whose end is before its start says so in Chinese and lists
nothing (the page), or answers 400 (the API): never a 500, never a silent empty list."""

import pytest
from django.urls import reverse

from guangong.activities.tests.conftest import record, types  # noqa: F401  (fixture)

REVERSED = {"date_from": "2026-03-10", "date_to": "2026-03-01"}
MESSAGE = "结束日期不能早于开始日期"


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("activities:activity_list", REVERSED),
        ("people:mentorship_list", {"active_from": "2026-03-10", "active_to": "2026-03-01"}),
        ("people:mentorship_list", {"started_from": "2026-03-10", "started_to": "2026-03-01"}),
        ("meetings:meeting_list", REVERSED),
    ],
)
def test_a_reversed_range_is_refused_on_the_page(client, city_admin, tree, url_name, query):
    client.force_login(city_admin)
    page = client.get(reverse(url_name), query, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert MESSAGE in page.content.decode()


def test_a_reversed_range_is_a_400_on_the_api(api_for, city_admin, tree, types):  # noqa: F811
    record(city_admin, tree.county_a, types["talk"])
    api = api_for(city_admin)
    bad = api.get("/api/activities/", REVERSED, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400
    assert MESSAGE in bad.content.decode()
    same_day = api.get("/api/activities/", {"date_from": "2026-03-05", "date_to": "2026-03-05"})
    assert same_day.status_code == 200 and same_day.json()["count"] == 1
