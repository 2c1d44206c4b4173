"""The completeness view: organisations of the subtree that recorded nothing this month or
this quarter, with their place in the tree, counts and share, paginated."""

import datetime

import pytest
from django.utils import timezone

from guangong.activities.models import Activity
from guangong.core.periods import presets
from guangong.core.scope import subtree_q
from guangong.core.tests.support import MATRIX, assert_no_leak, text
from guangong.orgs.models import Kind
from guangong.orgs.tests.factories import OrganizationFactory

URL = "/stats/completeness/"


def silent_by_ledger(root, period) -> set[str]:
    """Names of the organisations of ``root``'s subtree whose subtree has no activity in the
    period's months, counted from the ledger rows."""
    months = period.months()
    start, end = months[0], period.end
    names = set()
    for org in type(root).objects.filter(subtree_q("path", root.path)):
        if not Activity.objects.filter(
            subtree_q("organization__path", org.path), date__gte=start, date__lte=end
        ).exists():
            names.add(org.name)
    return names


@MATRIX
def test_scope(client_for, personas, ledger, persona, key, seen):
    response = client_for(personas[persona]).get(URL, {"org": ledger[key].pk})
    assert response.status_code == (200 if seen else 404)
    if seen:
        assert_no_leak(text(response), ledger, persona)


@pytest.mark.parametrize("window", ["month", "quarter"])
def test_the_silent_organisations_equal_the_ledger(client_for, city_admin, ledger, window):
    response = client_for(city_admin).get(URL, {"org": ledger.city.pk, "window": window})
    period = presets(timezone.localdate())[window]
    names = {org.name for org, _path in response.context["rows"]}
    assert names == silent_by_ledger(ledger.city, period)
    # This month: the township and county B recorded; county A has them through its township.
    assert names == {"恒泰纺织有限公司"}
    assert response.context["silent_count"] == 1
    assert response.context["total"] == 5
    assert response.context["share"] == 20.0
    body = text(response)
    assert 'data-testid="silent-share">20.0%<' in body


def test_path_and_parent_stop_at_the_chosen_organisation(client_for, a_admin, ledger):
    response = client_for(a_admin).get(URL)
    rows = {org.name: path for org, path in response.context["rows"]}
    assert rows == {"恒泰纺织有限公司": ["伊宁市", "墩买里街道"]}
    body = text(response)
    assert "伊宁市 / 墩买里街道" in body
    assert_no_leak(body, ledger, "a")  # never the city above county A


def test_nothing_recorded_anywhere(client_for, b_admin, tree):
    response = client_for(b_admin).get(URL, {"window": "quarter"})
    assert [org.name for org, _ in response.context["rows"]] == ["奎屯市"]
    assert response.context["share"] == 100.0


def test_every_organisation_recorded(client_for, city_admin, ledger, types):
    from .conftest import record

    record(city_admin, ledger.enterprise, types["talk"], day=timezone.localdate())
    response = client_for(city_admin).get(URL, {"org": ledger.county_a.pk})
    assert response.context["silent_count"] == 0
    assert 'data-testid="none-silent"' in text(response)


def test_paginated(client_for, city_admin, tree):
    for i in range(30):
        OrganizationFactory(parent=tree.county_b, name=f"奎屯第{i:02d}中学", kind=Kind.SCHOOL)
    client = client_for(city_admin)
    first = client.get(URL, {"org": tree.county_b.pk})
    assert first.context["silent_count"] == 31
    assert len(first.context["rows"]) == 25
    assert 'data-testid="next-page"' in text(first)
    second = client.get(URL, {"org": tree.county_b.pk, "page": 2})
    assert len(second.context["rows"]) == 6
    seen = {o.pk for o, _ in first.context["rows"]} | {o.pk for o, _ in second.context["rows"]}
    assert len(seen) == 31
    # An unknown window falls back to this month.
    assert (
        client.get(URL, {"window": "decade"}).context["period"]
        == presets(timezone.localdate())["month"]
    )


def test_linked_from_the_statistics_page(client_for, city_admin, ledger):
    body = text(client_for(city_admin).get("/stats/", {"org": ledger.county_a.pk}))
    assert f"/stats/completeness/?org={ledger.county_a.pk}" in body


def test_last_month_does_not_count(client_for, city_admin, ledger, types):
    from .conftest import record

    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    record(city_admin, ledger.enterprise, types["talk"], day=last_month)
    response = client_for(city_admin).get(URL, {"org": ledger.city.pk, "window": "month"})
    assert {org.name for org, _ in response.context["rows"]} == {"恒泰纺织有限公司"}
