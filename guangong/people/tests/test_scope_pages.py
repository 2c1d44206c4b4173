"""Every people page for the three personas: seen, or 404 without a trace.

People sit at county A, the township below it and sibling county B (tests/conftest.py). The
city user sees all three places, county A's user county A and the township, county B's user
county B alone. Lists, searches, exports and pickers hold exactly what the persona sees, and
no response carries the name or masked ID number of anyone outside their subtree.
"""

import datetime

import pytest

from guangong.core.tests.support import PERSONAS, SEES, assert_no_leak, text, xlsx_rows
from guangong.people.models import Elder, Mentorship, MentorshipVisit, Team, Youth
from guangong.people.services.mentorships import save_mentorship
from guangong.people.services.persons import save_person
from guangong.people.services.teams import save_team

from .conftest import PLACE_KEYS, assert_no_people_leak, seen_places, sees

PLACE_MATRIX = pytest.mark.parametrize(
    ("persona", "place"), [(persona, place) for persona in SEES for place in PLACE_KEYS]
)

#: page → URL (by the place's objects) and what a persona who sees it finds on it. The generated
#: pages (detail, edit, delete of each resource) are walked by core's scope walk.
PAGES = {
    "mentorship-end": ("/people/mentorships/{mentorship}/end/", "youth"),
    "visit-add": ("/people/mentorships/{mentorship}/visits/new/", "youth"),
    "mentorship-from-elder": ("/people/mentorships/new/?elder={elder}", "elder"),
    "mentorship-from-youth": ("/people/mentorships/new/?youth={youth}", "youth"),
}


def url_of(page: str, place) -> str:
    return PAGES[page][0].format(
        elder=place.elder.pk,
        youth=place.youth.pk,
        team=place.team.pk,
        mentorship=place.mentorship.pk,
    )


def names(response) -> set[str]:
    records = [row.record for row in response.context["table"].page.object_list]
    return {getattr(r, "name", None) or f"{r.elder.name}→{r.youth.name}" for r in records}


def expected_names(people, persona: str, what: str) -> set[str]:
    found = set()
    for key in seen_places(persona):
        place = people[key]
        if what == "mentorship":
            found.add(f"{place.elder.name}→{place.youth.name}")
        else:
            found.add(getattr(place, what).name)
    return found


# --- Reading pages --------------------------------------------------------------------------


@PLACE_MATRIX
def test_every_page_is_seen_or_404(client_for, tree, people, personas, persona, place):
    client = client_for(personas[persona])
    seen = sees(persona, place)

    for page, (_url, shows) in PAGES.items():
        response = client.get(url_of(page, people[place]))

        assert response.status_code == (200 if seen else 404), page
        body = text(response)
        assert_no_people_leak(body, people, persona)
        assert_no_leak(body, tree, persona)
        if seen:
            assert getattr(people[place], shows).name in body, page


LISTS = {
    "elders": ("/people/elders/", "elder"),
    "youth": ("/people/youth/", "youth"),
    "teams": ("/people/teams/", "team"),
    "mentorships": ("/people/mentorships/", "mentorship"),
}


@pytest.mark.parametrize("kind", list(LISTS))
@PERSONAS
def test_list_and_export_hold_exactly_the_users_subtree(
    client_for, tree, people, personas, persona, kind
):
    url, what = LISTS[kind]
    client = client_for(personas[persona])

    response = client.get(url)

    assert response.status_code == 200
    assert names(response) == expected_names(people, persona, what)
    assert_no_people_leak(text(response), people, persona)
    assert_no_leak(text(response), tree, persona)

    export = client.get(url, {"export": "xlsx"})
    rows = xlsx_rows(export)
    cells = "\n".join(str(c) for row in rows for c in row if c is not None)
    assert len(rows) - 1 == len(seen_places(persona))
    assert_no_people_leak(cells, people, persona)
    assert_no_leak(cells, tree, persona)


@pytest.mark.parametrize("kind", list(LISTS))
@PLACE_MATRIX
def test_list_subtree_filter(client_for, tree, people, personas, persona, place, kind):
    url, what = LISTS[kind]

    response = client_for(personas[persona]).get(url, {"org": tree[place].pk})

    assert response.status_code == 200
    below = {"county_a": {"county_a", "township"}, "township": {"township"}}.get(place, {place})
    expected = set()
    if sees(persona, place):
        for key in below:
            p = people[key]
            expected.add(
                f"{p.elder.name}→{p.youth.name}" if what == "mentorship" else getattr(p, what).name
            )
    assert names(response) == expected
    assert_no_people_leak(text(response), people, persona)


#: search text → the places whose elder it finds
ELDER_SEARCHES = {
    "阿依": {"county_a"},  # part of a name
    "aygl": {"county_a"},  # pinyin initials of 阿依古丽
    "batuer": {"county_b"},  # full pinyin of 巴图尔
    "aek": {"township"},
}


@pytest.mark.parametrize("q", list(ELDER_SEARCHES))
@PERSONAS
def test_search_stays_in_scope(client_for, people, personas, persona, q):
    response = client_for(personas[persona]).get("/people/elders/", {"q": q})

    expected = {people[k].elder.name for k in ELDER_SEARCHES[q] & seen_places(persona)}
    assert names(response) == expected
    assert_no_people_leak(text(response).replace(f'value="{q}"', ""), people, persona)


@PERSONAS
def test_searches_of_the_other_lists_stay_in_scope(client_for, people, personas, persona):
    client = client_for(personas[persona])
    seen = seen_places(persona)

    assert names(client.get("/people/youth/", {"q": "dxm"})) == (
        {"丁晓梅"} if "county_b" in seen else set()
    )
    assert names(client.get("/people/teams/", {"q": "xjt"})) == {
        people[k].team.name for k in {"county_a", "county_b"} & seen
    }
    assert names(client.get("/people/mentorships/", {"q": "fsy"})) == (
        {"艾尔肯→范思远"} if "township" in seen else set()
    )


@pytest.mark.parametrize(
    ("url", "what"), [("/people/elders/choices/", "elder"), ("/people/youth/choices/", "youth")]
)
@PERSONAS
def test_pickers_offer_only_people_in_scope(client_for, people, personas, persona, url, what):
    client = client_for(personas[persona])

    response = client.get(url, {"q": ""})

    assert {p.name for p in response.context["found"]} == {
        getattr(people[k], what).name for k in seen_places(persona)
    }
    assert_no_people_leak(text(response), people, persona)

    # Ids of unseen people sent as "keep" do not come back as named options.
    others = [str(getattr(people[k], what).pk) for k in PLACE_KEYS]
    response = client.get(url, {"q": "zzz", "keep": "members", "members": others})
    assert {p.name for p in response.context["kept"]} == {
        getattr(people[k], what).name for k in seen_places(persona)
    }
    assert_no_people_leak(text(response), people, persona)


@PERSONAS
def test_forms_offer_only_people_and_organisations_in_scope(
    client_for, tree, people, personas, persona
):
    """A posted id from outside the scope never comes back as a named option."""
    client = client_for(personas[persona])
    all_elders = [people[k].elder.pk for k in PLACE_KEYS]
    data = {
        "organization": tree.county_b.pk,
        "name": "新团队",
        "kind": people["county_a"].team.kind_id,
        "leader": people["county_b"].elder.pk,
        "members": all_elders,
    }

    response = client.post("/people/teams/new/", data)

    body = text(response)
    assert_no_people_leak(body, people, persona)
    assert_no_leak(body, tree, persona)
    if persona == "a":
        assert response.status_code == 400
        assert not Team.objects.filter(name="新团队").exists()


# --- Changing through the pages -------------------------------------------------------------


@PLACE_MATRIX
def test_posts_are_seen_or_404(client_for, tree, people, personas, persona, place):
    """Edits, deletes, visits and ends of objects outside the subtree answer 404 and change
    nothing; inside, they work."""
    p = people[place]
    seen = sees(persona, place)
    client = client_for(personas[persona])
    counts = (Elder.objects.count(), Youth.objects.count(), Team.objects.count())

    edit = client.post(
        f"/people/elders/{p.elder.pk}/edit/",
        {"organization": p.elder.organization_id, "name": p.elder.name, "former_unit": "新单位"},
    )
    visit = client.post(
        f"/people/mentorships/{p.mentorship.pk}/visits/new/",
        {"date": "2025-01-10", "content": "家访", "duration_minutes": 45},
    )
    end = client.post(f"/people/mentorships/{p.mentorship.pk}/end/", {"end_date": "2025-02-01"})
    delete_team = client.post(f"/people/teams/{p.team.pk}/delete/")

    responses = (edit, visit, end, delete_team)
    p.elder.refresh_from_db()
    p.mentorship.refresh_from_db()
    if seen:
        assert [r.status_code for r in responses] == [302] * 4
        assert p.elder.former_unit == "新单位"
        assert MentorshipVisit.objects.filter(mentorship=p.mentorship).count() == 1
        assert str(p.mentorship.end_date) == "2025-02-01"
        assert not Team.objects.filter(pk=p.team.pk).exists()
    else:
        assert [r.status_code for r in responses] == [404] * 4
        assert p.elder.former_unit == ""
        assert not MentorshipVisit.objects.exists()
        assert p.mentorship.end_date is None
        assert (Elder.objects.count(), Youth.objects.count(), Team.objects.count()) == counts
        for r in responses:
            assert_no_people_leak(text(r), people, persona)


@PLACE_MATRIX
def test_create_at_an_organisation_is_seen_or_refused(
    client_for, tree, people, personas, persona, place, categories
):
    client = client_for(personas[persona])

    response = client.post(
        "/people/youth/new/",
        {
            "organization": tree[place].pk,
            "name": "新来的孩子",
            "sex": "F",
            "birth_date": "2012-03-04",
            "category": categories["student"].pk,
        },
    )

    created = Youth.objects.filter(name="新来的孩子").first()
    if sees(persona, place):
        assert response.status_code == 302
        assert created.organization == tree[place]
    else:
        assert response.status_code == 400  # the organisation is not a choice
        assert created is None
        assert_no_leak(text(response), tree, persona)


def test_a_viewer_reads_but_cannot_change(client_for, people, a_viewer):
    client = client_for(a_viewer)
    p = people["county_a"]

    assert client.get(f"/people/elders/{p.elder.pk}/").status_code == 200
    assert client.get("/people/elders/new/").status_code == 403
    assert client.post(f"/people/elders/{p.elder.pk}/delete/").status_code == 403
    assert client.post(f"/people/mentorships/{p.mentorship.pk}/end/").status_code == 403
    assert Elder.objects.filter(pk=p.elder.pk).exists()
    assert Mentorship.objects.get(pk=p.mentorship.pk).end_date is None


def test_anonymous_visitors_are_sent_to_the_login_page(client, people):
    p = people["county_a"]
    for url in ("/people/elders/", f"/people/elders/{p.elder.pk}/", "/people/duplicates/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client.post(f"/people/elders/{p.elder.pk}/reveal/", {"reason": "x"}).status_code == 302


@pytest.mark.parametrize("url", [*(u for u, _ in LISTS.values()), "/people/elders/?export=xlsx"])
def test_lists_take_as_many_queries_for_more_rows(client_for, tree, people, city_admin, url):
    """No query per row: the count of queries does not grow with the rows shown."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(city_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)  # the first page after login also renews the session: not a list's cost
    few = queries()
    for i in range(3):  # three more of everything, at the enterprise below the township
        place = people["county_a"]
        elder = save_person(
            city_admin,
            Elder(
                organization=tree.enterprise,
                name=f"加{i}",
                sex="M",
                birth_date=datetime.date(1950, 1, 1),
            ),
            m2m={"categories": list(place.elder.categories.all())},
        )
        youth = save_person(
            city_admin,
            Youth(
                organization=tree.enterprise,
                name=f"少{i}",
                category=place.youth.category,
                sex="M",
                birth_date=datetime.date(2000, 6, 1),
            ),
        )
        save_team(
            city_admin,
            Team(organization=tree.enterprise, name=f"队{i}", kind=place.team.kind, leader=elder),
            members=[elder],
        )
        save_mentorship(
            city_admin,
            Mentorship(
                organization=tree.enterprise,
                elder=elder,
                youth=youth,
                start_date=place.mentorship.start_date,
            ),
        )

    assert queries() == few
