"""The public help desk against a stranger: a challenge token gets one answer, and wrong
guesses at a tracking code from one client do not lock its owner out."""

import pytest

from guangong.helpdesk import protection
from guangong.helpdesk.models import HelpRequest

from .conftest import PHONE_A, form_data, make_request

PROXY = "10.0.0.254"


@pytest.fixture
def fill_at_once(settings):
    """The fresh question of a re-rendered form may be answered at once."""
    settings.HELPDESK_MIN_FILL_SECONDS = 0


def wrong(answer: str) -> str:
    return str(int(answer) % 18 + 1)  # 2..18, never the right one


def page_token(response) -> str:
    return response.context["form"].data["token"]


# --- One answer per challenge ---------------------------------------------------------------


def test_a_wrong_answer_spends_the_token_and_the_form_asks_a_new_question(
    client, places, fill_at_once
):
    data = form_data(places.county_a)

    refused = client.post("/help/", {**data, "answer": wrong(data["answer"])})
    again = client.post("/help/", data)  # the same token, now with the right answer

    assert refused.status_code == 400
    body = refused.content.decode()
    assert "验证问题的答案不对" in body
    assert again.status_code == 400
    assert "表单已过期或无效" in again.content.decode()
    assert not HelpRequest.objects.exists()
    # The form came back with what was typed and a fresh question, which goes through.
    fresh = page_token(refused)
    assert fresh != data["token"]
    assert f'value="{fresh}"' in body and data["token"] not in body
    assert data["description"] in body and PHONE_A in body and "小王" in body
    assert refused.context["form"].question == protection.question(fresh)
    sent = client.post("/help/", {**data, "token": fresh, "answer": protection.answer(fresh)})
    assert sent.status_code == 302
    assert HelpRequest.objects.count() == 1


def test_a_mistake_in_another_field_spends_the_token_too(client, places, fill_at_once):
    data = form_data(places.county_a)

    refused = client.post("/help/", {**data, "description": "短"})
    again = client.post("/help/", data)

    assert refused.status_code == 400
    assert page_token(refused) != data["token"]
    assert again.status_code == 400
    assert not HelpRequest.objects.exists()


def test_guessing_every_answer_with_one_token_gets_nowhere(client, places, fill_at_once):
    data = form_data(places.county_a)
    right = int(data["answer"])
    guesses = [n for n in range(2, 19) if n != right] + [right]  # every sum, the right one last

    statuses = {client.post("/help/", {**data, "answer": str(n)}).status_code for n in guesses}

    assert statuses == {400}
    assert not HelpRequest.objects.exists()


# --- Status look-ups: limited per client ----------------------------------------------------


def look_up(client, code, phone, **meta):
    return client.post("/help/status/", {"code": code, "phone": phone}, **meta)


def wrong_guesses(client, code, count: int, **meta) -> list[int]:
    """The answers to ``count`` look-ups of ``code`` with phones that are not its own."""
    return [look_up(client, code, f"1390000{i:04d}", **meta).status_code for i in range(count)]


def test_a_strangers_wrong_guesses_do_not_lock_the_owner_out(client, places):
    req = make_request(places.county_a)

    stranger = wrong_guesses(client, req.code, 12, REMOTE_ADDR="203.0.113.9")
    owner = look_up(client, req.code, PHONE_A, REMOTE_ADDR="198.51.100.7")

    assert stranger == [404] * 10 + [429, 429]
    assert owner.status_code == 200
    assert "已回复" in owner.content.decode() or "新提交" in owner.content.decode()


def test_behind_a_proxy_the_limit_follows_the_forwarded_client(client, places, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    req = make_request(places.county_a)

    stranger = wrong_guesses(
        client, req.code, 11, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    owner = look_up(
        client, req.code, PHONE_A, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )

    assert stranger[-1] == 429
    assert owner.status_code == 200


def test_a_forged_forwarded_header_neither_escapes_the_limit_nor_blames_another(
    client, places, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    req = make_request(places.county_a)

    stranger = wrong_guesses(
        client,
        req.code,
        11,
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",  # the owner's address, forged
    )
    owner = look_up(client, req.code, PHONE_A, REMOTE_ADDR="198.51.100.7")

    assert stranger[-1] == 429
    assert owner.status_code == 200


def test_the_per_code_backstop_is_far_above_one_clients_limit(settings):
    per_client = settings.HELPDESK_LIMITS["lookup_ip_code"]
    per_code = settings.HELPDESK_LIMITS["lookup_code"]

    assert per_client == (10, 3600)
    assert per_code == (100, 3600)
