"""The help desk: an SMS to a requester who agreed when staff reply; the requester answers on
the status page, sees when to expect a reply, and copies the tracking code with one tap."""

import json

import pytest
from django.urls import reverse

from guangong.helpdesk import answers, services
from guangong.helpdesk.models import HelpReply, HelpRequest, Status
from guangong.helpdesk.tests.conftest import PHONE_A, make_request
from guangong.notifications.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def consented(places):
    req = make_request(places.county_a)
    HelpRequest.objects.filter(pk=req.pk).update(sms_consent=True)
    req.refresh_from_db()
    return req


def test_a_public_reply_sends_an_sms_to_a_consenting_requester(
    consented,
    a_care,
    provider,
    committed,
):
    with committed():
        services.reply(a_care, consented, "请于周三来办公室面谈。")
    (query,) = provider.seen
    assert query["PhoneNumbers"] == PHONE_A
    title = json.loads(query["TemplateParam"])["title"]
    assert consented.code in title and "面谈" not in title
    (log,) = Delivery.objects.all()
    assert log.status == DeliveryStatus.SENT and log.recipient.count("*") == 4
    assert PHONE_A not in log.recipient and "面谈" not in log.text


def test_no_sms_without_consent_or_for_a_note(places, consented, a_care, provider, committed):
    other = make_request(places.county_a, phone="13987654321")
    with committed():
        services.reply(a_care, other, "已收到。")
        services.reply(a_care, consented, "内部备注", public=False)
    assert provider.seen == [] and not Delivery.objects.exists()


def lookup(client, req, phone=PHONE_A):
    return client.post(reverse("help:status"), {"code": req.code, "phone": phone})


def test_the_requester_answers_on_the_status_page(client, consented, a_care):
    services.reply(a_care, consented, "请补充孩子的年级。")
    page = lookup(client, consented).content.decode()
    assert 'data-testid="answer-form"' in page
    response = client.post(reverse("help:status"), {"answer": "1", "text": "初二。"})
    assert response.status_code == 200 and "初二。" in response.content.decode()
    answer = HelpReply.objects.get(request=consented, from_requester=True)
    assert answer.public and answer.author is None
    consented.refresh_from_db()
    assert consented.status == Status.IN_PROGRESS  # back with its care workers


def test_answering_needs_a_lookup_first(client, consented):
    response = client.post(reverse("help:status"), {"answer": "1", "text": "冒充"})
    assert response.status_code == 302
    assert not HelpReply.objects.filter(from_requester=True).exists()


def test_an_empty_or_too_long_answer_is_refused(client, consented):
    lookup(client, consented)
    assert client.post(reverse("help:status"), {"answer": "1", "text": ""}).status_code == 400
    long = {"answer": "1", "text": "长" * 2001}
    assert client.post(reverse("help:status"), long).status_code == 400
    assert not HelpReply.objects.filter(from_requester=True).exists()


def test_the_expected_reply_time_is_shown_until_the_committee_answers(
    client,
    settings,
    consented,
    a_care,
):
    settings.HELPDESK_REPLY_HOURS = 48
    page = lookup(client, consented).content.decode()
    assert 'data-testid="expected-reply"' in page and "前回复" in page
    services.reply(a_care, consented, "已受理。")
    assert 'data-testid="expected-reply"' not in lookup(client, consented).content.decode()


def test_the_receipt_has_a_copy_button_and_the_usual_reply_time(client, settings):
    settings.HELPDESK_REPLY_HOURS = 48
    session = client.session
    session["helpdesk_code"] = "ABCDE23456"
    session.save()
    page = client.get(reverse("help:done")).content.decode()
    assert 'data-copy="ABCDE23456"' in page and "复制查询码" in page
    assert "helpdesk/copy.js" in page and "48" in page


def test_the_staff_page_tells_a_requesters_answer_from_a_reply(client, consented, a_care):
    answers.answer_back(None, consented, "初二。")
    client.force_login(a_care)
    page = client.get(consented.get_absolute_url()).content.decode()
    assert "求助人留言" in page
