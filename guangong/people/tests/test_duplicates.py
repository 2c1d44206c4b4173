"""The same person twice: refused or confirmed at entry, listed for administrators, merged.

At entry, a second record of an ID number is refused — naming the organisation that holds the
first only when it is within the user's scope (test_security: outside it, audited and limited
per day) — and a second record of a name and birth date needs the user to confirm it is a
different person. Administrators (manage_users) see the pairs left in their
subtree and merge them: histories move to the survivor, the duplicate points at it, and both
records get an audit entry.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import text
from guangong.home.tests.support import badge_queries
from guangong.people.merging import merge_people
from guangong.people.models import Elder, Mentorship, Team, Youth
from guangong.people.services.persons import save_person
from guangong.people.services.teams import save_team

from .conftest import ELDER_BIRTH, namesake, new_mentorship, twin_elders, youth_of

BIRTH = datetime.date(1952, 3, 14)  # the conftest elders' birth date


def counts():
    """People, and audit records other than answers about records outside the scope."""
    probes = AuditLog.objects.filter(action=Action.DUPLICATE_PROBE).count()
    return Elder.objects.count(), Youth.objects.count(), AuditLog.objects.count() - probes


# --- At entry -------------------------------------------------------------------------------


@pytest.mark.parametrize("via", ["page", "api"])
def test_the_same_id_number_in_another_county_is_refused_naming_nothing_of_it(
    client_for, api_for, tree, people, b_admin, via
):
    a = people["county_a"]
    data = {"organization": tree.county_b.pk, "name": "另一个名字", "id_number": a.elder_id}
    client = client_for(b_admin) if via == "page" else api_for(b_admin)  # (a token is audited)
    before = counts()

    if via == "page":
        response = client.post("/people/elders/new/", data)
        [error] = response.context["form"].errors["id_number"]
        assert "管辖范围以外" in error
    else:
        response = client.post("/api/elders/", data, format="json")
        assert set(response.json()) == {"id_number"}

    assert response.status_code == 400
    body = text(response)
    assert tree.county_a.name not in body
    for detail in (a.elder.name, a.elder.id_number_masked, a.elder.phone, a.elder_id, ELDER_BIRTH):
        assert detail not in body
    assert "1952-03-14" not in body
    assert counts() == before


def namesake_data(tree, **more) -> dict:
    """What a form at county B posts for an elder of the name and birth date of county A's."""
    return {
        "organization": tree.county_b.pk,
        "name": "阿依古丽",
        "birth_date": "1952-03-14",
        "sex": "F",
        **more,
    }


def test_the_same_name_and_birth_date_needs_confirmation(client_for, tree, people, b_admin):
    client = client_for(b_admin)
    data = namesake_data(tree)
    before = counts()

    asked = client.post("/people/elders/new/", data)

    assert asked.status_code == 400
    form = asked.context["form"]
    assert form.has_error("name", "duplicate_name")
    assert tree.county_a.name not in text(asked)
    assert 'name="allow_same_name"' in text(asked)
    assert people["county_a"].elder.id_number_masked not in text(asked)
    assert counts() == before

    confirmed = client.post("/people/elders/new/", {**data, "allow_same_name": "on"})

    assert confirmed.status_code == 302
    assert Elder.objects.filter(name="阿依古丽").count() == 2


def test_the_api_takes_the_confirmation_as_a_flag(api_for, tree, people, b_admin):
    api = api_for(b_admin)
    body = namesake_data(tree)

    asked = api.post("/api/elders/", body, format="json")
    confirmed = api.post("/api/elders/", {**body, "allow_same_name": True}, format="json")

    assert asked.status_code == 400
    assert set(asked.json()) == {"name"}
    assert confirmed.status_code == 201


def test_a_confirmed_pair_is_not_asked_again_on_every_edit(client_for, tree, people, b_admin):
    twin = namesake(b_admin, tree.county_b)

    response = client_for(b_admin).post(
        f"/people/elders/{twin.pk}/edit/", namesake_data(tree, former_unit="奎屯一中")
    )

    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.former_unit == "奎屯一中"


# --- The duplicates page --------------------------------------------------------------------


@pytest.fixture
def twins(tree, people, city_admin):
    """County B's record of county A's elder (same name and birth date, confirmed), and a
    young person at county B with county A's young person's ID number (as legacy data has)."""
    elder = namesake(city_admin, tree.county_b)
    youth = save_person(
        city_admin, youth_of(tree.county_b, "程晓雨", people["county_a"].youth.category)
    )
    # Legacy rows bypassed the entry check; only a test may write this directly.
    Youth.objects.filter(pk=youth.pk).update(
        id_number_hash=people["county_a"].youth.id_number_hash,
        id_number_masked=people["county_a"].youth.id_number_masked,
    )
    return elder, youth


def pair_ids(response) -> set[frozenset]:
    return {frozenset((p.first.pk, p.second.pk)) for p in response.context["pairs"]}


@pytest.mark.parametrize("persona", ["city", "a", "b"])
def test_the_duplicates_page_lists_pairs_within_the_subtree(
    client_for, people, personas, twins, persona
):
    elder, youth = twins
    client = client_for(personas[persona])

    elders = client.get("/people/duplicates/", {"kind": "elder"})
    young = client.get("/people/duplicates/", {"kind": "youth"})

    assert elders.status_code == young.status_code == 200
    if persona == "city":
        assert pair_ids(elders) == {frozenset((people["county_a"].elder.pk, elder.pk))}
        assert pair_ids(young) == {frozenset((people["county_a"].youth.pk, youth.pk))}
        assert "程晓雨" in text(young)
    else:
        assert pair_ids(elders) == pair_ids(young) == set()
        other = "county_b" if persona == "a" else "county_a"
        assert people[other].youth.name not in text(young)


def test_the_duplicates_page_is_for_administrators(client_for, people, a_clerk, a_revealer):
    assert client_for(a_clerk).get("/people/duplicates/").status_code == 403
    assert client_for(a_revealer).get("/people/duplicates/").status_code == 403


def test_the_duplicates_page_takes_few_queries(
    client_for, tree, people, twins, city_admin, django_assert_max_num_queries
):
    for i in range(5):  # more pairs do not mean more queries
        twin_elders(city_admin, tree.township, tree.county_b, f"重名{i}", BIRTH)
    client = client_for(city_admin)

    with django_assert_max_num_queries(12 + badge_queries(city_admin)):  # + the header's
        response = client.get("/people/duplicates/", {"kind": "elder"})

    assert len(response.context["pairs"]) == 6


# --- Merging --------------------------------------------------------------------------------


def merge(client, kind, survivor, duplicate):
    return client.post(
        "/people/duplicates/merge/",
        {"kind": kind, "first": survivor.pk, "second": duplicate.pk, "keep": "first"},
    )


def test_a_merge_moves_the_history_and_keeps_a_pointer(
    client_for, tree, people, twins, city_admin, categories
):
    survivor = people["county_a"].elder
    duplicate, _ = twins
    youth = people["county_b"].youth
    # The duplicate has a history of its own: a mentorship (ended) and a team place.
    old = new_mentorship(
        city_admin,
        tree.county_b,
        duplicate,
        youth,
        datetime.date(2020, 1, 1),
        datetime.date(2021, 1, 1),
    )
    team = people["county_b"].team
    save_team(city_admin, team, members=[people["county_b"].elder, duplicate])
    since = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = merge(client_for(city_admin), "elder", survivor, duplicate)

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert Mentorship.objects.get(pk=old.pk).elder == survivor
    assert set(survivor.mentorships.all()) == {people["county_a"].mentorship, old}
    assert set(Team.objects.get(pk=team.pk).members.all()) == {people["county_b"].elder, survivor}
    records = AuditLog.objects.filter(pk__gt=since, action=Action.UPDATE)
    by_object = {r.object_id: r for r in records}
    assert set(by_object) == {str(survivor.pk), str(duplicate.pk)}
    assert by_object[str(duplicate.pk)].after["merged_into"] == survivor.pk
    assert by_object[str(survivor.pk)].after["mentorships"] == [old.pk]
    assert all(r.user == city_admin for r in records)
    # The duplicate leaves the lists, and its page points at the survivor.
    client = client_for(city_admin)
    listed = client.get("/people/elders/", {"org": tree.county_b.pk})
    assert duplicate.pk not in {row.record.pk for row in listed.context["table"].page.object_list}
    page = client.get(f"/people/elders/{duplicate.pk}/")
    assert 'data-testid="merged-notice"' in text(page)
    assert survivor.get_absolute_url() in text(page)
    assert pair_ids(client.get("/people/duplicates/", {"kind": "elder"})) == set()


def test_a_merge_of_young_people_keeps_the_id_number_lookup_on_the_survivor(
    client_for, people, twins, city_admin
):
    _, duplicate = twins
    survivor = people["county_a"].youth

    response = client_for(city_admin).post(
        "/people/duplicates/merge/",
        {"kind": "youth", "first": duplicate.pk, "second": survivor.pk, "keep": "second"},
    )

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert list(Youth.objects.with_id_number(people["county_a"].youth_id)) == [survivor]


def test_a_merge_outside_the_subtree_is_404(client_for, people, twins, a_admin):
    elder, _ = twins
    client = client_for(a_admin)
    before = AuditLog.objects.count()

    response = merge(client, "elder", people["county_a"].elder, elder)

    assert response.status_code == 404
    elder.refresh_from_db()
    assert elder.merged_into is None
    assert AuditLog.objects.count() == before


def test_a_merge_needs_manage_users(client_for, people, twins, a_clerk):
    response = merge(client_for(a_clerk), "elder", people["county_a"].elder, twins[0])

    assert response.status_code == 403
    assert Elder.objects.get(pk=twins[0].pk).merged_into is None


def test_a_merged_record_cannot_be_merged_again(client_for, people, twins, city_admin):
    survivor, duplicate = people["county_a"].elder, twins[0]
    client = client_for(city_admin)
    merge(client, "elder", survivor, duplicate)

    again = merge(client, "elder", duplicate, people["county_b"].elder)

    assert again.status_code == 404  # a merged record is no longer a choice
    with pytest.raises(ValidationError):
        merge_people(city_admin, Elder.objects.get(pk=duplicate.pk), survivor)


def test_an_earlier_merge_follows_to_the_new_survivor(tree, people, city_admin):
    first = people["county_a"].elder
    second = namesake(city_admin, tree.county_b)
    third = namesake(city_admin, tree.township)
    merge_people(city_admin, second, third)

    merge_people(city_admin, first, second)

    assert Elder.objects.get(pk=third.pk).merged_into == first
    assert Elder.objects.get(pk=second.pk).merged_into == first
