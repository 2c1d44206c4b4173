"""ID numbers and phones: masked everywhere, revealed only on purpose, and every reveal audited.

PIPL art. 28/31: an ID number (of a minor, often) is sensitive personal information. The clear
number is stored encrypted, shown masked in lists, details, exports and the API, and read only
through an audited reveal by a user holding the ``reveal`` verb.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from guangong.audit.models import Action, AuditLog
from guangong.core import crypto
from guangong.core.tests.support import text, xlsx_rows
from guangong.core.validators import mask_phone
from guangong.people.models import Elder, Youth

from .conftest import PLACE_KEYS, assert_no_clear_id, make_id

#: Every page and endpoint that shows people, by the county A place's objects.
READS = [
    "/people/elders/",
    "/people/youth/",
    "/people/mentorships/",
    "/people/teams/",
    "/people/elders/?export=xlsx",
    "/people/youth/?export=xlsx",
    "/people/elders/{elder}/",
    "/people/elders/{elder}/edit/",
    "/people/youth/{youth}/",
    "/people/youth/{youth}/edit/",
    "/people/teams/{team}/",
    "/people/mentorships/{mentorship}/",
    "/people/elders/choices/",
    "/people/duplicates/?kind=elder",
    "/people/duplicates/?kind=youth",
    "/api/elders/",
    "/api/youth/",
    "/api/elders/{elder}/",
    "/api/youth/{youth}/",
    "/api/mentorships/",
]


def body_of(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxml"):
        return "\n".join(str(c) for row in xlsx_rows(response) for c in row if c is not None)
    return text(response)


def urls(place) -> list[str]:
    ids = {
        "elder": place.elder.pk,
        "youth": place.youth.pk,
        "team": place.team.pk,
        "mentorship": place.mentorship.pk,
    }
    return [url.format(**ids) for url in READS]


def reveal_records():
    return AuditLog.objects.filter(action=Action.REVEAL)


# --- Masking --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["city_admin", "a_admin", "a_viewer", "a_revealer"])
def test_no_page_or_endpoint_carries_a_clear_id_number(client_for, api_for, people, request, who):
    """Not even for a user who may reveal: the clear number comes from a reveal only."""
    user = request.getfixturevalue(who)
    client = client_for(user)
    api = api_for(user)

    for url in urls(people["county_a"]):
        response = (api if url.startswith("/api/") else client).get(url)
        assert response.status_code in (200, 403), url  # the duplicates page is for admins
        body = body_of(response)
        assert_no_clear_id(body, people)
        for key in PLACE_KEYS:  # ciphertexts neither
            assert people[key].elder.id_number_enc not in body


def test_lists_and_exports_show_the_masked_number(client_for, people, a_admin):
    client = client_for(a_admin)
    masked = people["county_a"].elder.id_number_masked
    assert masked.startswith("654002") and "********" in masked

    assert masked in text(client.get("/people/elders/"))
    rows = xlsx_rows(client.get("/people/elders/", {"export": "xlsx"}))
    assert masked in {cell for row in rows for cell in row}
    api_row = client.get(f"/api/elders/{people['county_a'].elder.pk}/").json()
    assert api_row["id_number_masked"] == masked
    assert "id_number" not in api_row
    assert not {"id_number_enc", "id_number_hash"} & set(api_row)


@pytest.mark.parametrize(("who", "clear"), [("a_admin", False), ("a_revealer", True)])
def test_phones_are_masked_for_users_without_reveal(
    client_for, api_for, people, request, who, clear
):
    user = request.getfixturevalue(who)
    client, api = client_for(user), api_for(user)
    p = people["county_a"]
    shown = p.elder.phone if clear else mask_phone(p.elder.phone)
    hidden = mask_phone(p.elder.phone) if clear else p.elder.phone
    guardian = p.youth.guardian_phone if clear else mask_phone(p.youth.guardian_phone)

    list_body = text(client.get("/people/elders/"))
    export = body_of(client.get("/people/elders/", {"export": "xlsx"}))
    detail = text(client.get(f"/people/elders/{p.elder.pk}/"))
    api_row = api.get(f"/api/elders/{p.elder.pk}/").json()
    youth_row = api.get(f"/api/youth/{p.youth.pk}/").json()
    youth_detail = text(client.get(f"/people/youth/{p.youth.pk}/"))

    for body in (list_body, export, detail):
        assert shown in body
        assert hidden not in body
    assert api_row["phone"] == shown
    assert youth_row["guardian_phone"] == guardian
    assert guardian in youth_detail


# --- Revealing on the page ------------------------------------------------------------------


def test_the_reveal_button_is_for_users_who_may_reveal(client_for, people, a_admin, a_revealer):
    url = f"/people/elders/{people['county_a'].elder.pk}/"
    reveal_url = reverse("people:elder_reveal", args=[people["county_a"].elder.pk])

    assert reveal_url in text(client_for(a_revealer).get(url))
    assert reveal_url not in text(client_for(a_admin).get(url))


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("kind", ["elder", "youth"])
def test_a_reveal_shows_the_number_once_and_is_audited(client_for, people, a_revealer, htmx, kind):
    place = people["county_a"]
    person = getattr(place, kind)
    clear = getattr(place, f"{kind}_id")
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = client_for(a_revealer).post(
        reverse(f"people:{kind}_reveal", args=[person.pk]),
        {"reason": "核对助学金申请"},
        **headers,
    )

    assert response.status_code == 200
    assert clear in text(response)
    assert response["Cache-Control"] == "no-store"
    assert ("<html" in text(response)) is not htmx  # htmx swaps a fragment in
    [entry] = reveal_records()
    assert (entry.user, entry.object_id, entry.object_type) == (
        a_revealer,
        str(person.pk),
        person._meta.label_lower,
    )
    assert "核对助学金申请" in entry.message
    assert entry.org_path == person.organization.path
    assert clear not in f"{entry.before}{entry.after}{entry.message}"
    # Never kept: the next page shows the masked number again.
    again = client_for(a_revealer).get(person.get_absolute_url())
    assert clear not in text(again)
    assert clear not in str(dict(again.wsgi_request.session))


@pytest.mark.parametrize("who", ["a_admin", "a_viewer", "city_admin"])
def test_a_reveal_without_the_verb_is_refused(client_for, people, request, who):
    person = people["county_a"].elder

    response = client_for(request.getfixturevalue(who)).post(
        reverse("people:elder_reveal", args=[person.pk]), {"reason": "想看看"}
    )

    assert response.status_code == 403
    assert_no_clear_id(text(response), people)
    assert not reveal_records().exists()


def test_a_reveal_outside_the_scope_is_404(client_for, people, b_revealer):
    person = people["county_a"].elder

    response = client_for(b_revealer).post(
        reverse("people:elder_reveal", args=[person.pk]), {"reason": "核对"}
    )

    assert response.status_code == 404
    assert_no_clear_id(text(response), people)
    assert person.name not in text(response)
    assert not reveal_records().exists()


def test_a_reveal_needs_a_reason_and_a_post(client_for, people, a_revealer):
    client = client_for(a_revealer)
    url = reverse("people:elder_reveal", args=[people["county_a"].elder.pk])

    empty = client.post(url, {"reason": "  "})
    fetched = client.get(url)

    assert empty.status_code == 400
    assert fetched.status_code == 405
    for response in (empty, fetched):
        assert_no_clear_id(text(response), people)
    assert not reveal_records().exists()


# --- Revealing through the API --------------------------------------------------------------


def test_api_reveal(api_for, people, a_revealer, a_admin, b_revealer):
    place = people["county_a"]
    url = f"/api/elders/{place.elder.pk}/reveal/"

    ok = api_for(a_revealer).post(url, {"reason": "核对"}, format="json")
    refused = api_for(a_admin).post(url, {"reason": "核对"}, format="json")
    outside = api_for(b_revealer).post(url, {"reason": "核对"}, format="json")
    no_reason = api_for(a_revealer).post(url, {}, format="json")

    assert ok.status_code == 200
    assert ok.json() == {"id_number": place.elder_id}
    assert ok["Cache-Control"] == "no-store"
    assert (refused.status_code, outside.status_code, no_reason.status_code) == (403, 404, 400)
    for response in (refused, outside, no_reason):
        assert_no_clear_id(response.content.decode(), people)
    [entry] = reveal_records()
    assert entry.user == a_revealer


# --- Entering and changing ID numbers -------------------------------------------------------


def elder_data(org, **changes) -> dict:
    data = {"organization": org.pk, "name": "新五老", "active": "on"}
    data.update(changes)
    return data


def test_birth_date_and_sex_follow_from_the_id_number(client_for, tree, a_admin):
    raw = make_id("654002", "19480202", "224")  # even sequence digit: a woman

    response = client_for(a_admin).post(
        "/people/elders/new/", elder_data(tree.county_a, id_number=raw.lower())
    )

    assert response.status_code == 302
    elder = Elder.objects.get(name="新五老")
    assert elder.birth_date == datetime.date(1948, 2, 2)
    assert elder.sex == "F"
    assert crypto.decrypt(elder.id_number_enc) == raw
    assert raw not in str(list(AuditLog.objects.values_list("before", "after", "message")))


def test_the_edit_form_keeps_or_replaces_the_number(client_for, people, a_admin):
    elder = people["county_a"].elder
    client = client_for(a_admin)
    form_page = text(client.get(f"/people/elders/{elder.pk}/edit/"))
    assert elder.id_number_masked in form_page
    assert 'name="id_number" ' in form_page and 'name="id_number" value' not in form_page

    kept = client.post(
        f"/people/elders/{elder.pk}/edit/",
        elder_data(elder.organization, name=elder.name, birth_date="1952-03-14", sex="M"),
    )
    elder.refresh_from_db()
    assert kept.status_code == 302
    assert crypto.decrypt(elder.id_number_enc) == people["county_a"].elder_id

    new = make_id("654002", "19520314", "777")
    replaced = client.post(
        f"/people/elders/{elder.pk}/edit/",
        elder_data(elder.organization, name=elder.name, id_number=new, birth_date="1952-03-14"),
    )
    elder.refresh_from_db()
    assert replaced.status_code == 302
    assert crypto.decrypt(elder.id_number_enc) == new
    assert elder.id_number_masked == new[:6] + "********" + new[-4:]
    assert Elder.objects.with_id_number(new).get() == elder
    assert not Elder.objects.with_id_number(people["county_a"].elder_id).exists()


def test_a_kept_number_still_binds_birth_date_and_sex(client_for, people, a_admin):
    elder = people["county_a"].elder

    response = client_for(a_admin).post(
        f"/people/elders/{elder.pk}/edit/",
        elder_data(elder.organization, name=elder.name, birth_date="1960-01-01", sex="F"),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("birth_date") and form.has_error("sex")
    elder.refresh_from_db()
    assert elder.birth_date == datetime.date(1952, 3, 14)


def test_a_typed_number_is_not_echoed_but_survives_a_correction(client_for, tree, a_admin):
    raw = make_id("654002", "19500505", "135")
    client = client_for(a_admin)

    first = client.post(
        "/people/elders/new/", elder_data(tree.county_a, id_number=raw, phone="12345")
    )

    assert first.status_code == 400
    assert raw not in text(first)
    token = first.context["form"].data["id_number_token"]
    assert token.startswith("v1:") and raw not in token
    second = client.post(
        "/people/elders/new/",
        elder_data(tree.county_a, phone="13912345678", id_number_token=token),
    )
    assert second.status_code == 302
    elder = Elder.objects.get(name="新五老")
    assert crypto.decrypt(elder.id_number_enc) == raw


def test_a_forged_token_is_ignored(client_for, tree, a_admin):
    response = client_for(a_admin).post(
        "/people/elders/new/",
        elder_data(
            tree.county_a, id_number_token="v1:dev:forged", sex="M", birth_date="1950-01-01"
        ),
    )

    assert response.status_code == 302
    assert Elder.objects.get(name="新五老").id_number_enc == ""


def test_without_an_id_number_sex_and_birth_date_are_required(client_for, tree, a_admin):
    """As in the import: nothing else would tell two people of the same name apart."""
    client = client_for(a_admin)
    with translation.override("zh-hans"):
        response = client.post("/people/elders/new/", elder_data(tree.county_a))

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["sex"] == ["未填身份证号时必填。"]
    assert form.errors["birth_date"] == ["未填身份证号时必填。"]
    assert not Elder.objects.filter(name="新五老").exists()
    assert not AuditLog.objects.filter(object_repr="新五老").exists()

    response = client.post(
        "/people/elders/new/", elder_data(tree.county_a, sex="F", birth_date="1951-07-01")
    )
    assert response.status_code == 302
    assert Elder.objects.get(name="新五老").birth_date == datetime.date(1951, 7, 1)


def test_the_api_requires_sex_and_birth_date_without_an_id_number(api_for, tree, a_admin):
    api = api_for(a_admin)
    body = {"organization": tree.county_a.pk, "name": "新五老"}

    refused = api.post("/api/elders/", body, format="json")
    made = api.post("/api/elders/", {**body, "sex": "M", "birth_date": "1950-01-01"}, format="json")

    assert refused.status_code == 400
    assert set(refused.json()) == {"sex", "birth_date"}
    assert made.status_code == 201, made.json()
    assert Elder.objects.filter(name="新五老").count() == 1


def test_the_api_takes_a_clear_number_and_returns_the_masked_one(
    api_for, tree, a_admin, categories
):
    raw = make_id("654002", "20120909", "246")
    api = api_for(a_admin)

    created = api.post(
        "/api/youth/",
        {
            "organization": tree.county_a.pk,
            "name": "新少年",
            "category": categories["student"].pk,
            "id_number": raw,
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert raw not in created.content.decode()
    assert body["id_number_masked"] == raw[:6] + "********" + raw[-4:]
    assert (body["birth_date"], body["sex"]) == ("2012-09-09", "F")
    youth = Youth.objects.get(pk=body["id"])
    kept = api.patch(f"/api/youth/{youth.pk}/", {"school_or_employer": "一中"}, format="json")
    assert kept.status_code == 200
    youth.refresh_from_db()
    assert crypto.decrypt(youth.id_number_enc) == raw
    cleared = api.patch(f"/api/youth/{youth.pk}/", {"id_number": ""}, format="json")
    assert cleared.status_code == 200
    youth.refresh_from_db()
    assert (youth.id_number_enc, youth.id_number_hash, youth.id_number_masked) == ("", "", "")


def test_an_editor_who_may_not_reveal_never_receives_the_stored_phone(
    client_for, people, a_admin, a_revealer
):
    elder = people["county_a"].elder
    stored = elder.phone
    url = reverse("people:elder_edit", args=[elder.pk])

    page = text(client_for(a_admin).get(url))
    assert stored not in page
    assert mask_phone(stored) in page
    assert stored in text(client_for(a_revealer).get(url))  # the revealer edits it as it is


def test_an_empty_phone_keeps_the_stored_one_and_a_new_one_replaces_it(client_for, people, a_admin):
    elder = people["county_a"].elder
    stored = elder.phone
    client = client_for(a_admin)
    url = reverse("people:elder_edit", args=[elder.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value not in (None, [])
    }
    data["notes"] = "已核实"

    response = client.post(url, {**data, "phone": ""})
    assert response.status_code == 302, text(response)
    elder.refresh_from_db()
    assert (elder.phone, elder.notes) == (stored, "已核实")

    client.post(url, {**data, "phone": "13800000000"})
    elder.refresh_from_db()
    assert elder.phone == "13800000000"
