"""The mentorship list's filters the pivot's cells link with: ``active_from`` / ``active_to``
(active at some time between the two days, ``active_in_q``, boundaries included), the
outcome, the young person's and the elder's category, ``without`` and ``owner``, on the page
and the API alike; a date that is no date is a Chinese form error, never a 500."""

import datetime

import pytest

from guangong.people.models import Mentorship, active_in_q
from guangong.people.services.persons import save_person

from .conftest import assert_chinese, elder_of, new_mentorship, youth_of

FROM, TO = datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)
D = datetime.date

#: The young person's name → (start, end) of their mentorship at county A.
SPANS = {
    "二月止": (D(2025, 1, 1), D(2025, 2, 28)),  # ended the day before FROM
    "三月初止": (D(2025, 1, 1), D(2025, 3, 1)),  # ended on FROM
    "月末起": (D(2025, 3, 31), None),  # starts on TO
    "四月起": (D(2025, 4, 1), None),  # starts the day after TO
    "早就在": (D(2024, 1, 1), None),  # open-ended, begun before
    "跨三月": (D(2025, 2, 1), D(2025, 5, 1)),  # begun before, ended after
    "三月中": (D(2025, 3, 10), D(2025, 3, 20)),  # within
}
IN_MARCH = {"三月初止", "月末起", "早就在", "跨三月", "三月中"}


@pytest.fixture
def spans(tree, categories, city_admin):
    """One mentorship per span at county A, each of its own elder and young person; the
    first two of the township's elder (no category), with an outcome on every other."""
    made = {}
    bare = save_person(city_admin, elder_of(tree.township, "无类别老人"))
    for i, (name, (start, end)) in enumerate(SPANS.items()):
        elder = bare if i < 2 else None
        if elder is None:
            elder = save_person(
                city_admin,
                elder_of(tree.county_a, f"老人{name}"),
                m2m={"categories": [categories["cadre"]]},
            )
        youth = save_person(
            city_admin,
            youth_of(tree.county_a, name, categories["student" if i % 2 else "left_behind"]),
        )
        outcomes = [categories["outcome_job"]] if i % 2 else []
        made[name] = new_mentorship(
            city_admin, tree.county_a, elder, youth, start, end, outcomes=outcomes
        )
    return made


def listed(client, **query) -> set[str]:
    response = client.get("/people/mentorships/", query)
    assert response.status_code == 200
    assert not response.context["filter"].errors
    return {m.youth.name for m in response.context["table"].data}


def test_active_between_two_days_on_the_page_and_the_api(client_for, api_for, spans, a_admin):
    client = client_for(a_admin)
    assert listed(client, active_from=FROM, active_to=TO) == IN_MARCH
    # One end only: the other is open.
    assert listed(client, active_from=FROM) == IN_MARCH | {"四月起"}
    assert listed(client, active_to=TO) == IN_MARCH | {"二月止"}
    assert listed(client, active_from=TO, active_to=TO) == IN_MARCH - {"三月初止", "三月中"}
    response = api_for(a_admin).get("/api/mentorships/", {"active_from": FROM, "active_to": TO})
    assert response.status_code == 200
    assert {spans[n].pk for n in IN_MARCH} == {row["id"] for row in response.json()["results"]}


def test_the_filter_is_the_statistics_definition(spans):
    """The one ``active_in_q`` is what the list filters and the pivot counts (as a reference
    count made row by row)."""
    for start, end in (
        (FROM, TO),
        (TO, TO),
        (D(2025, 2, 28), D(2025, 2, 28)),
        (D(2026, 1, 1), None),
    ):
        want = {
            m.pk
            for m in Mentorship.objects.all()
            if (end is None or m.start_date <= end) and (m.end_date is None or m.end_date >= start)
        }
        assert (
            set(Mentorship.objects.filter(active_in_q(start, end)).values_list("pk", flat=True))
            == want
        )


def test_the_pivot_dimensions_as_filters(client_for, spans, tree, a_admin, categories):
    client = client_for(a_admin)
    with_job = {n for i, n in enumerate(SPANS) if i % 2}
    assert listed(client, outcome=categories["outcome_job"].pk) == with_job
    assert listed(client, without="outcome") == set(SPANS) - with_job
    assert listed(client, youth_category=categories["student"].pk) == with_job
    assert listed(client, elder_category=categories["cadre"].pk) == set(list(SPANS)[2:])
    assert listed(client, without="elder_category") == set(list(SPANS)[:2])
    # ``owner``: the organisation's own mentorships, not those of the subtree below it.
    assert listed(client, owner=tree.township.pk) == set()
    assert listed(client, owner=tree.county_a.pk) == set(SPANS)
    assert listed(client, org_kind="township") == set()


@pytest.mark.parametrize(
    "query",
    [
        {"active_from": "2025-13-01"},
        {"active_to": "2025-02-30"},
        {"active_from": "昨天", "active_to": TO.isoformat()},
    ],
)
def test_a_bad_date_is_a_chinese_form_error(client_for, api_for, spans, a_admin, query):
    field = next(iter(query))
    response = client_for(a_admin).get("/people/mentorships/", query)
    assert response.status_code == 200
    errors = response.context["filter"].errors
    assert field in errors, errors
    assert_chinese(errors[field][0])
    assert list(response.context["table"].data) == []
    answer = api_for(a_admin).get("/api/mentorships/", query)
    assert answer.status_code == 400
    assert_chinese(answer.json()[field][0])
