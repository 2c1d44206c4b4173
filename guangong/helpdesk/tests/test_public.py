"""The public help desk: the form, the tracking code, the status look-up and the protections."""

import time

import pytest
from django.core import signing

from guangong.audit.models import AuditLog
from guangong.core import crypto
from guangong.core.tests.support import CJK
from guangong.helpdesk import protection, services
from guangong.helpdesk.models import CODE_ALPHABET, CODE_LENGTH, HelpRequest, Status

from .conftest import PHONE_A, PHONE_B, form_data, make_request

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def post_form(client, data, ip="10.0.0.1"):
    return client.post("/help/", data, REMOTE_ADDR=ip)


def test_form_is_public_and_in_chinese(client, places):
    response = client.get("/help/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "求助" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'name="website"' in body  # the honeypot
    assert "<script>" not in body.split("</head>")[1]  # no inline script in the page body


def test_a_request_is_stored_and_its_code_shown_once(client, places):
    response = post_form(client, form_data(places.county_a))
    assert response.status_code == 302 and response["Location"] == "/help/done/"
    req = HelpRequest.objects.get()
    assert len(req.code) == CODE_LENGTH and set(req.code) <= set(CODE_ALPHABET)
    assert req.organization == places.county_a and req.status == Status.NEW
    assert req.consent_version and req.consent_at
    # The phone is stored encrypted with a keyed hash, never in clear.
    assert PHONE_A not in (req.phone_enc + req.phone_hash + req.phone_masked)
    assert crypto.decrypt(req.phone_enc) == PHONE_A
    done = client.get("/help/done/")
    assert req.code in done.content.decode()
    assert "记下" in done.content.decode() or "截图" in done.content.decode()
    assert client.get("/help/done/").status_code == 302  # shown once
    audit = AuditLog.objects.get(object_id=str(req.pk))
    assert audit.username == "public"
    assert PHONE_A not in str(audit.after) and "情绪" not in str(audit.after)


def test_codes_are_unguessable_and_distinct(places):
    codes = {make_request(places.county_a).code for _ in range(30)}
    assert len(codes) == 30
    assert not set("01OIL") & set("".join(codes))


def test_only_established_committees_may_be_chosen(client, places):
    response = post_form(client, form_data(places.township))  # not established
    assert response.status_code == 400
    assert "请从列表中选择" in response.content.decode() or CJK.search(response.content.decode())
    assert not HelpRequest.objects.exists()


def test_place_search_returns_names_of_established_committees_only(client, places):
    body = client.get("/help/places/", {"q": "伊"}).content.decode()
    assert "伊宁市" in body and "伊犁哈萨克自治州" in body
    body = client.get("/help/places/", {"q": "kts"}).content.decode()  # 奎屯市 by initials
    assert "奎屯市" in body
    body = client.get("/help/places/", {"q": "墩买里"}).content.decode()
    assert "墩买里街道" not in body  # not an established committee
    assert "654002" not in client.get("/help/places/", {"q": "伊宁"}).content.decode()


def test_place_search_is_rate_limited(client, places, settings):
    settings.HELPDESK_LIMITS = {**settings.HELPDESK_LIMITS, "places_ip": (3, 60)}
    codes = [client.get("/help/places/", {"q": "伊"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


# --- The bot challenge ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"token": ""},
        {"token": "forged:token"},
        {"website": "http://spam.example"},
        {"answer": "99"},
    ],
    ids=["missing", "forged", "honeypot", "wrong-answer"],
)
def test_the_challenge_refuses(client, places, change):
    response = post_form(client, form_data(places.county_a, **change))
    assert response.status_code == 400
    assert CJK.search(response.content.decode())
    assert not HelpRequest.objects.exists()


def test_a_token_signed_with_another_key_is_forged(client, places):
    data = form_data(places.county_a)
    payload = signing.loads(data["token"], salt=protection.SALT)
    data["token"] = signing.dumps(payload, key="another-key", salt=protection.SALT)
    assert post_form(client, data).status_code == 400
    assert not HelpRequest.objects.exists()


def test_too_fast_is_refused_and_a_token_serves_once(client, places):
    assert post_form(client, form_data(places.county_a, issued_ago=1)).status_code == 400
    data = form_data(places.county_a)
    assert post_form(client, data).status_code == 302
    data["phone"] = PHONE_B
    assert post_form(client, data).status_code == 400  # replayed
    assert HelpRequest.objects.count() == 1


def test_the_question_is_in_chinese_words():
    token = protection.issue(issued_at=time.time() - 60)
    question = protection.question(token)
    assert question.endswith("等于几？") and "加" in question
    assert not any(ch.isdigit() for ch in question)
    assert protection.chinese_number(12) == "十二" and protection.chinese_number(7) == "七"


def test_an_answer_in_chinese_words_counts(client, places):
    data = form_data(places.county_a)
    data["answer"] = protection.chinese_number(int(data["answer"]))
    assert post_form(client, data).status_code == 302


# --- Size limits and markup -----------------------------------------------------------------


def test_a_description_over_2000_characters_is_refused(client, places):
    response = post_form(client, form_data(places.county_a, description="长" * 2001))
    assert response.status_code == 400
    assert not HelpRequest.objects.exists()


def test_a_body_over_the_limit_is_refused_before_reading(client, places, settings):
    settings.HELPDESK_MAX_BODY = 4096
    response = post_form(client, form_data(places.county_a, requester_name="名" * 3000))
    assert response.status_code == 413
    assert CJK.search(response.content.decode())


def test_markup_is_shown_as_text_on_the_form_again(client, places):
    response = post_form(client, form_data(places.county_a, description=XSS, answer="99"))
    body = response.content.decode()
    assert XSS not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_markup_is_shown_as_text_on_the_status_page(client, places, a_care):
    req = make_request(places.county_a, description=XSS)
    services.reply(a_care, req, XSS, public=True)
    response = client.post("/help/status/", {"code": req.code, "phone": PHONE_A})
    body = response.content.decode()
    assert response.status_code == 200
    assert XSS not in body and "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_wrong_phone_is_refused_and_the_phone_must_be_a_mobile(client, places):
    response = post_form(client, form_data(places.county_a, phone="12345"))
    assert response.status_code == 400
    assert not HelpRequest.objects.exists()


# --- Status look-up -------------------------------------------------------------------------


def test_status_with_code_and_phone_shows_status_and_public_replies_only(client, places, a_care):
    req = make_request(places.county_a)
    services.reply(a_care, req, "内部：先联系学校班主任", public=False)
    services.reply(a_care, req, "您好，我们已安排心理老师与您联系。", public=True)
    response = client.post("/help/status/", {"code": req.code.lower(), "phone": PHONE_A})
    body = response.content.decode()
    assert response.status_code == 200
    assert "已回复" in body
    assert "我们已安排心理老师" in body
    assert "内部：先联系学校班主任" not in body
    assert str(a_care) not in body and "a_care" not in body  # no staff names
    assert "情绪低落" not in body  # not even their own description
    assert "李女士" not in body


@pytest.mark.parametrize("case", ["wrong-phone", "missing-code"])
def test_status_wrong_pair_reads_like_a_missing_code(client, places, case):
    req = make_request(places.county_a)
    code, phone = (req.code, PHONE_B) if case == "wrong-phone" else ("ABCDEFGHJK", PHONE_A)
    response = client.post("/help/status/", {"code": code, "phone": phone})
    assert response.status_code == 404
    body = response.content.decode()
    assert "未找到" in body
    assert 'data-testid="status-result"' not in body and "新提交" not in body


def test_status_guessing_is_rate_limited(client, places, settings):
    settings.HELPDESK_LIMITS = {**settings.HELPDESK_LIMITS, "lookup_code": (3, 3600)}
    req = make_request(places.county_a)
    codes = [
        client.post(
            "/help/status/",
            {"code": req.code, "phone": f"1390000000{i}"},
            REMOTE_ADDR=f"10.1.0.{i}",
        ).status_code
        for i in range(5)
    ]
    assert codes == [404, 404, 404, 429, 429]
    # Even the right phone now waits: guessing one code from many addresses is stopped.
    right = client.post("/help/status/", {"code": req.code, "phone": PHONE_A})
    assert right.status_code == 429
    assert "太多" in right.content.decode() or "频繁" in right.content.decode()


def test_three_requests_per_phone_per_day(client, places):
    codes = [
        post_form(client, form_data(places.county_a), ip=f"10.2.0.{i}").status_code
        for i in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    assert HelpRequest.objects.count() == 3
