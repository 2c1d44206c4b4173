"""Every figure of the statistics page links to the ledger rows behind it, and the list it
opens sums those rows to the same number (口径 traceable, docs/statistics.md)."""

import datetime
import re
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guangong.activities.tests.conftest import record
from guangong.core.tests.support import examples

DAYS = [
    datetime.date(2025, 3, 3),
    datetime.date(2025, 3, 28),
    datetime.date(2025, 4, 1),
    datetime.date(2025, 12, 31),
    datetime.date(2026, 1, 1),
    datetime.date(2026, 3, 31),
]
LINK = re.compile(r'<a[^>]*href="(/activities/\?[^"]+)"[^>]*data-testid="([\w-]+)"[^>]*>([^<]+)<')
FIGURES = ("sessions", "participants", "elder_times", "elders_engaged", "service_hours")


@pytest.fixture
def ledger(tree, city_admin, people, types):
    """Activities at every level, with elders and hours, and a joint activity that counts
    once, for its owner (county B) and never for its co-organiser (county A)."""
    e_a, e_t, e_b = (people[k].elder for k in ("county_a", "township", "county_b"))
    plan = [
        (tree.county_a, "talk", DAYS[0], 60, {e_a: 2}, ()),
        (tree.township, "talk", DAYS[1], 25, {e_t: 3, e_a: 1}, ()),
        (tree.enterprise, "training", DAYS[2], 12, {}, ()),
        (tree.county_b, "care", DAYS[3], 8, {e_b: "1.5"}, (tree.county_a,)),
        (tree.city, "talk", DAYS[4], 300, {}, ()),
        (tree.township, "care", DAYS[5], 9, {e_t: 2}, ()),
        (tree.county_a, "training", DAYS[5], 20, {e_a: 1, e_t: 1}, ()),
    ]
    for org, type_key, day, participants, elders, joint in plan:
        record(
            city_admin,
            org,
            types[type_key],
            day=day,
            participants=participants,
            elders=elders,
            co_organizers=list(joint),
        )
    return tree


def figure(text: str):
    return text.strip().replace(",", "")


def listed(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals is not None, url
    # The list's own row count (the paginator) says the same as its totals line.
    assert response.context["table"].paginator.count == totals["sessions"]
    return totals


@examples(15)
@given(
    key=st.sampled_from(["city", "county_a", "township", "county_b"]),
    start=st.dates(datetime.date(2025, 1, 1), datetime.date(2026, 3, 31)),
    days=st.integers(min_value=0, max_value=450),
)
def test_every_linked_figure_equals_its_list(ledger, city_admin, client, key, start, days):
    client.force_login(city_admin)
    end = start + datetime.timedelta(days=days)
    org = ledger[key]
    page = client.get("/stats/", {"org": org.pk, "from": start.isoformat(), "to": end.isoformat()})
    assert page.status_code == 200
    result = page.context["result"]
    links = [
        (unescape(href), testid, figure(text))
        for href, testid, text in LINK.findall(page.content.decode())
    ]
    cards = {testid: (href, text) for href, testid, text in links if testid.startswith("total-")}
    assert set(cards) == {f"total-{name}" for name in FIGURES}
    href, _text = cards["total-sessions"]
    totals = listed(client, href)
    for name in FIGURES:
        assert totals[name] == result["totals"][name], name
        assert cards[f"total-{name}"][1] == (
            f"{totals[name]:.1f}" if name == "service_hours" else str(totals[name])
        )
    # Each row of the breakdowns: its sessions figure opens exactly its activities.
    rows = [(href, text) for href, testid, text in links if testid == "ledger-link"]
    assert len(rows) == len(result["by_group"]) + len(result["by_type"]) + len(result["by_child"])
    for href, text in rows:
        assert listed(client, href)["sessions"] == int(text), href


def test_the_list_is_summed_only_for_one_subtree_and_period(ledger, city_admin, client):
    """A list of everything (no period) shows no totals line: it is not a figure."""
    client.force_login(city_admin)
    assert client.get("/activities/", {"org": ledger["city"].pk}).context["totals"] is None
    response = client.get(
        "/activities/",
        {"org": ledger["county_a"].pk, "date_from": "2025-01-01", "date_to": "2025-12-31"},
    )
    # County A's own, its township's and its enterprise's; the joint one is county B's.
    assert response.context["totals"]["sessions"] == 3
    assert 'data-testid="ledger-totals"' in response.content.decode()


@examples(10)
@given(
    key=st.sampled_from(["city", "county_a", "county_b"]),
    chosen=st.sampled_from(["built", "unbuilt", "empty", None]),
    start=st.dates(datetime.date(2025, 1, 1), datetime.date(2026, 3, 31)),
    days=st.integers(min_value=0, max_value=450),
)
def test_every_figure_of_a_group_equals_its_list(
    ledger, group_sets, city_admin, client, key, chosen, start, days
):
    """With an organisation group chosen and a breakdown by 四化, each figure (cards, the
    breakdowns, the rows per group and 未分组) opens the list of exactly its activities."""
    client.force_login(city_admin)
    end = start + datetime.timedelta(days=days)
    query = {"org": ledger[key].pk, "from": start.isoformat(), "to": end.isoformat()}
    query["by_set"] = group_sets.sihua.pk
    if chosen:
        query["group"] = getattr(group_sets, chosen).pk
    page = client.get("/stats/", query)
    assert page.status_code == 200
    result = page.context["result"]
    links = [
        (unescape(href), testid, figure(text))
        for href, testid, text in LINK.findall(page.content.decode())
    ]
    cards = {testid: href for href, testid, _text in links if testid.startswith("total-")}
    totals = listed(client, cards["total-sessions"])
    for name in FIGURES:
        assert totals[name] == result["totals"][name], name
    by_org_group = page.context["by_org_group"]
    assert sum(line["sessions"] for line in by_org_group) == result["totals"]["sessions"]
    rows = [(href, text) for href, testid, text in links if testid == "ledger-link"]
    assert len(rows) == (
        len(result["by_group"])
        + len(result["by_type"])
        + len(result["by_child"])
        + len(by_org_group)
    )
    for href, text in rows:
        assert listed(client, href)["sessions"] == int(text), href
