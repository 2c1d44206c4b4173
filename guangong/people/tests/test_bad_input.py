"""Bad input: a Chinese message on the field (page) or a 400 with field errors (API), and
nothing saved — neither a record nor an audit entry."""

import pytest

from guangong.audit.models import AuditLog
from guangong.core import idnumber
from guangong.people.models import Elder, Mentorship, Team, Youth

from .conftest import assert_chinese, make_id

GOOD_ID = make_id("654002", "19550307", "123")
WRONG_CHECK = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")

#: case → (field, the value, the msgid of our message when it is ours)
ELDER_CASES = {
    "id-check-character": (
        "id_number",
        WRONG_CHECK,
        "The check character (the last one) of this ID number is wrong. Check the number for a "
        "mistyped or missing digit.",
    ),
    "id-impossible-date": (
        "id_number",
        (lambda first: first + idnumber.checksum_char(first))("65400219551332123"),
        "The birth date in this ID number (characters 7–14: %(digits)s) is not a real date.",
    ),
    "id-too-short": (
        "id_number",
        GOOD_ID[:15],
        "An ID number has 18 characters, but this one has %(count)d.",
    ),
    "mobile": ("phone", "12345678901", None),
    "name-too-long": ("name", "长" * 51, None),
    "name-missing": ("name", "", None),
    "organisation-missing": ("organization", "", None),
    "bad-birth-date": ("birth_date", "1955-02-30", None),
}


def counts():
    return (
        Elder.objects.count(),
        Youth.objects.count(),
        Team.objects.count(),
        Mentorship.objects.count(),
        AuditLog.objects.count(),
    )


def elder_data(tree, **changes):
    data = {"organization": tree.county_a.pk, "name": "新五老", "phone": "13912345678"}
    data.update(changes)
    return data


@pytest.mark.parametrize("case", list(ELDER_CASES))
def test_the_page_shows_a_chinese_message_on_the_field(client_for, tree, a_admin, case):
    field, value, msgid = ELDER_CASES[case]
    client = client_for(a_admin)
    before = counts()

    response = client.post("/people/elders/new/", elder_data(tree, **{field: value}))

    assert response.status_code == 400
    errors = response.context["form"].errors.get(field)
    assert errors, response.context["form"].errors
    assert counts() == before
    assert_chinese(errors[0], msgid)


@pytest.mark.parametrize("case", list(ELDER_CASES))
def test_the_api_answers_400_with_the_field(api_for, tree, a_admin, case):
    field, value, msgid = ELDER_CASES[case]
    api = api_for(a_admin)
    before = counts()
    body = elder_data(tree, **{field: value})
    if value == "":
        del body[field]

    response = api.post("/api/elders/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert counts() == before
    assert_chinese(response.json()[field][0], msgid)


def test_an_edit_with_bad_input_changes_nothing(client_for, api_for, people, a_admin):
    elder = people["county_a"].elder
    client = client_for(a_admin)
    api = api_for(a_admin)
    before = counts()

    page = client.post(
        f"/people/elders/{elder.pk}/edit/",
        {"organization": elder.organization_id, "name": elder.name, "id_number": WRONG_CHECK},
    )
    patch = api.patch(f"/api/elders/{elder.pk}/", {"name": "改了名", "phone": "123"}, format="json")

    assert page.status_code == patch.status_code == 400
    assert counts() == before
    fresh = Elder.objects.get(pk=elder.pk)
    assert (fresh.name, fresh.phone, fresh.id_number_enc) == (
        elder.name,
        elder.phone,
        elder.id_number_enc,
    )


def test_a_young_person_needs_a_category_and_a_valid_guardian_phone(client_for, tree, a_admin):
    client = client_for(a_admin)
    before = counts()

    response = client.post(
        "/people/youth/new/",
        {"organization": tree.county_a.pk, "name": "新少年", "guardian_phone": "12"},
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("category") and form.has_error("guardian_phone")
    assert_chinese(form.errors["category"][0])
    assert_chinese(form.errors["guardian_phone"][0])
    assert counts() == before


def test_a_half_valid_team_is_not_half_saved(api_for, tree, people, a_admin, categories):
    """The team would be valid, its members are not: neither is saved."""
    api = api_for(a_admin)
    before = counts()

    response = api.post(
        "/api/teams/",
        {
            "organization": tree.township.pk,
            "name": "半截团队",
            "kind": categories["care"].pk,
            "members": [people["county_a"].elder.pk],  # at county A, above the township
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"members"}
    assert counts() == before
