"""Finding someone by full ID number: a POST of its own, for users who may reveal, audited.

A query string lands in addresses, browser history and server logs, so the full number is never
in one: not in the form's target, not in the redirect, and the list's name search neither finds
by it nor logs it.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import text

from .conftest import assert_chinese, make_id


def reveals():
    return AuditLog.objects.filter(action=Action.REVEAL)


def masked(number: str) -> str:
    return f"{number[:6]}********{number[-4:]}"


def assert_no_number_in_urls(response, number: str) -> None:
    """Neither the request's address nor any redirect holds the number (raw or spaced)."""
    for url, _status in getattr(response, "redirect_chain", []):
        assert number not in url
    assert number not in response.request["PATH_INFO"]
    assert number not in response.request.get("QUERY_STRING", "")
    assert number not in response.get("Location", "")


@pytest.mark.parametrize("kind", ["elder", "youth"])
def test_a_revealer_finds_a_person_in_scope_by_post(client_for, people, a_revealer, kind):
    place = people["county_a"]
    number = getattr(place, f"{kind}_id")
    person = getattr(place, kind)
    client = client_for(a_revealer)
    before = reveals().count()

    response = client.post(reverse(f"people:{kind}_find"), {"id_number": number})

    assert response.status_code == 303
    assert response["Location"] == person.get_absolute_url()
    assert_no_number_in_urls(response, number)
    assert reveals().count() == before + 1
    log = reveals().latest("pk")
    assert log.username == a_revealer.username
    assert log.object_id == str(person.pk)
    assert number not in log.message
    assert masked(number) in log.message
    assert_chinese(log.message, "Searched by ID number %(masked)s: %(n)d found")


def test_the_number_may_be_typed_loosely(client_for, people, a_revealer):
    number = people["county_a"].elder_id
    spaced = f" {number[:6]} {number[6:14]} {number[14:].lower()} "
    response = client_for(a_revealer).post(reverse("people:elder_find"), {"id_number": spaced})
    assert response.status_code == 303
    assert response["Location"] == people["county_a"].elder.get_absolute_url()


def test_out_of_scope_reads_exactly_like_nobody(client_for, people, a_revealer):
    """County B's elder and a number nobody holds give the same page and the same log."""
    client = client_for(a_revealer)
    url = reverse("people:elder_find")
    outside = people["county_b"].elder_id
    nobody = make_id("654002", "19600101", "777")

    pages, logs = [], []
    for number in (outside, nobody):
        response = client.post(url, {"id_number": number})
        assert response.status_code == 200
        assert "Location" not in response
        body = text(response)
        assert number not in body  # the typed number is not sent back
        assert people["county_b"].elder.name not in body
        assert people["county_b"].elder.organization.name not in body
        # CSRF tokens differ on every page; all else must be the same.
        pages.append(re.sub(r"[A-Za-z0-9]{64}", "TOKEN", body))
        log = reveals().latest("pk")
        assert log.object_id == ""
        assert "0" in log.message.replace(masked(number), "")
        logs.append(log.message.replace(masked(number), "MASK"))
        assert response.context["form"].errors["id_number"]
        assert_chinese(response.context["form"].errors["id_number"][0])
    assert pages[0] == pages[1]
    assert logs[0] == logs[1]


@pytest.mark.parametrize("who", ["a_admin", "a_viewer", "a_clerk"])
def test_without_the_reveal_verb_the_form_is_absent_and_a_post_refused(
    client_for, people, request, who
):
    user = request.getfixturevalue(who)
    client = client_for(user)
    before = AuditLog.objects.count()
    page = client.get(reverse("people:elder_list"))
    assert 'data-testid="find-by-id"' not in text(page)
    response = client.post(reverse("people:elder_find"), {"id_number": people["county_a"].elder_id})
    assert response.status_code == 403
    assert AuditLog.objects.count() == before


def test_a_revealer_sees_the_post_form_on_both_lists(client_for, people, a_revealer):
    client = client_for(a_revealer)
    for kind in ("elder", "youth"):
        body = text(client.get(reverse(f"people:{kind}_list")))
        assert 'data-testid="find-by-id"' in body
        assert f'action="{reverse(f"people:{kind}_find")}"' in body
        assert 'method="post"' in body


def test_the_form_is_csrf_protected(people, a_revealer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(a_revealer)
    before = reveals().count()
    response = client.post(reverse("people:elder_find"), {"id_number": people["county_a"].elder_id})
    assert response.status_code == 403
    assert reveals().count() == before


def test_a_get_is_not_allowed(client_for, people, a_revealer):
    number = people["county_a"].elder_id
    response = client_for(a_revealer).get(reverse("people:elder_find"), {"id_number": number})
    assert response.status_code == 405


def test_an_invalid_number_is_refused_without_a_log(client_for, people, a_revealer):
    number = people["county_a"].elder_id
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    before = reveals().count()
    response = client_for(a_revealer).post(reverse("people:elder_find"), {"id_number": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert reveals().count() == before


@pytest.mark.parametrize("who", ["a_revealer", "a_admin"])
def test_the_name_search_no_longer_takes_an_id_number(client_for, people, request, who):
    user = request.getfixturevalue(who)
    number = people["county_a"].elder_id
    client = client_for(user)
    before = AuditLog.objects.count()

    response = client.get(reverse("people:elder_list"), {"q": number, "sex": "M"})

    # The address loses the number at once; the other filters stay; a hint is shown.
    assert response.status_code == 303
    assert number not in response["Location"]
    assert "sex=M" in response["Location"]
    page = client.get(response["Location"])
    hint = [str(m) for m in page.context["messages"]]
    assert len(hint) == 1
    assert_chinese(hint[0])
    assert AuditLog.objects.count() == before  # nothing logged with the number


def test_the_api_finds_by_post_only(api_for, people, a_revealer, a_admin, b_revealer):
    number = people["county_a"].youth_id
    api = api_for(a_revealer)
    before = reveals().count()

    response = api.post("/api/youth/find-by-id-number/", {"id_number": number}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == people["county_a"].youth.name
    assert response.json()["id_number_masked"] == masked(number)
    assert number not in response.content.decode()
    assert reveals().count() == before + 1

    # Out of scope: 404 like a number nobody holds (and still logged as a look-up).
    outside = api_for(b_revealer).post(
        "/api/youth/find-by-id-number/", {"id_number": number}, format="json"
    )
    assert outside.status_code == 404
    assert reveals().count() == before + 2

    # No reveal verb: 403, nothing logged.
    refused = api_for(a_admin).post(
        "/api/youth/find-by-id-number/", {"id_number": number}, format="json"
    )
    assert refused.status_code == 403
    assert reveals().count() == before + 2

    # A query string holding a full number is refused, and finds nobody.
    listed = api.get("/api/youth/", {"q": number})
    assert listed.status_code == 400
    assert_chinese(listed.json()["q"][0])
    assert reveals().count() == before + 2
