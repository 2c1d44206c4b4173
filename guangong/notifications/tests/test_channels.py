"""Channels: the user's choice per kind, e-mail to a local SMTP server, SMS to a fake
provider on 127.0.0.1, retries, and never the same send twice."""

import json

import pytest

from guangong.notifications import sending, sms
from guangong.notifications.models import Delivery, DeliveryStatus, Event, Message, Preference
from guangong.reporting.services import approval, filing
from guangong.reporting.tests.conftest import Q1

pytestmark = pytest.mark.django_db


def returned(form, tree, t_clerk, a_admin, committed, reason="慰问户数有误"):
    report = filing.open_report(t_clerk, form, tree.township, Q1)
    filing.save_values(t_clerk, report, {"B1": "12", "B2": "3600.50"})
    filing.submit(t_clerk, report)
    with committed():
        approval.return_report(a_admin, report, reason)
    return report


def choose(user, event=Event.REPORT_RETURNED, email=False, sms=False):
    Preference.objects.update_or_create(
        user=user, event=event, defaults={"email": email, "sms": sms}
    )


def test_without_a_choice_only_the_inbox(form, tree, t_clerk, a_admin, committed, smtp):
    returned(form, tree, t_clerk, a_admin, committed)
    assert Message.objects.filter(recipient=t_clerk).count() == 1
    assert not Delivery.objects.exists() and smtp.mails == []


def test_an_email_reaches_the_smtp_server(form, tree, t_clerk, a_admin, committed, smtp):
    choose(t_clerk, email=True)
    report = returned(form, tree, t_clerk, a_admin, committed)
    ((to, mail),) = smtp.mails
    assert to == ["clerk@example.org"]
    assert "报表已退回" in mail["Subject"]
    text = mail.get_content()
    assert "慰问户数有误" in text and report.get_absolute_url() in text
    (log,) = Delivery.objects.all()
    assert (log.channel, log.status, log.attempts) == ("email", DeliveryStatus.SENT, 1)
    assert log.recipient == "c***@example.org"


def test_a_choice_for_another_kind_sends_nothing(form, tree, t_clerk, a_admin, committed, smtp):
    choose(t_clerk, event=Event.REPORT_APPROVED, email=True)
    returned(form, tree, t_clerk, a_admin, committed)
    assert smtp.mails == []


def test_an_sms_is_signed_and_sent_to_the_provider(
    form, tree, t_clerk, a_admin, committed, provider
):
    choose(t_clerk, sms=True)
    returned(form, tree, t_clerk, a_admin, committed)
    (query,) = provider.seen
    assert query["Action"] == "SendSms" and query["PhoneNumbers"] == "13812345678"
    assert query["SignName"] == "关工委" and query["TemplateCode"] == "SMS_100"
    assert "报表已退回" in json.loads(query["TemplateParam"])["title"]
    signature = query.pop("Signature")
    assert signature == sms.aliyun_signature(query, "testsecret")
    (log,) = Delivery.objects.all()
    assert log.status == DeliveryStatus.SENT and log.recipient == "138****5678"


def test_the_signature_follows_the_documented_example():
    """Alibaba Cloud's published example of an RPC signature (SignatureNonce and Timestamp as
    in the documentation, secret "testsecret")."""
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert sms.aliyun_signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_a_refusal_is_logged_retried_then_sent(form, tree, t_clerk, a_admin, committed, provider):
    provider.answers = [(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"})]
    choose(t_clerk, sms=True)
    returned(form, tree, t_clerk, a_admin, committed)
    (log,) = Delivery.objects.all()
    assert log.status == DeliveryStatus.PENDING and log.attempts == 1
    assert "isv.BUSINESS_LIMIT_CONTROL" in log.error and "13812345678" not in log.error
    assert sending.attempt(log.pk) == DeliveryStatus.SENT  # the retry
    log.refresh_from_db()
    assert (log.status, log.attempts, log.error) == (DeliveryStatus.SENT, 2, "")
    assert len(provider.seen) == 2


def test_an_http_error_and_an_unreachable_provider_are_failures(settings, provider, t_clerk):
    provider.answers = [(500, {"Code": "ServiceUnavailable", "Message": "忙"})]
    with pytest.raises(sms.SmsError, match="ServiceUnavailable"):
        sms.backend().send("13812345678", text="x", params={"title": "x"})
    settings.SMS_ENDPOINT = "http://127.0.0.1:9/"  # nothing listens there
    with pytest.raises(sms.SmsError, match="无法连接"):
        sms.backend().send("13812345678", text="x", params={"title": "x"})


def test_after_the_last_attempt_it_stays_failed(
    settings, form, tree, t_clerk, a_admin, committed, provider
):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    provider.answers = [(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL"})] * 3
    choose(t_clerk, sms=True)
    returned(form, tree, t_clerk, a_admin, committed)
    (log,) = Delivery.objects.all()
    assert sending.attempt(log.pk) == DeliveryStatus.FAILED
    assert sending.attempt(log.pk) == DeliveryStatus.FAILED  # not tried a third time
    assert len(provider.seen) == 2


def test_the_same_event_is_never_sent_twice(
    form, tree, t_clerk, a_admin, committed, smtp, provider
):
    choose(t_clerk, email=True, sms=True)
    report = returned(form, tree, t_clerk, a_admin, committed)
    with committed():
        sending.notify(Event.REPORT_RETURNED, report=report)  # the event again
    sending.make_messages(Event.REPORT_RETURNED, {"report": report.pk})
    for log in Delivery.objects.all():
        assert sending.attempt(log.pk) == DeliveryStatus.SENT  # a task delivered twice
    assert len(smtp.mails) == 1 and len(provider.seen) == 1
    assert Delivery.objects.count() == 2 and Message.objects.filter(recipient=t_clerk).count() == 1


def test_the_key_is_unique_in_the_database(t_clerk):
    from django.db import IntegrityError, transaction

    Delivery.objects.create(key="k", channel="sms", event="x", recipient="1", subject="s")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(key="k", channel="sms", event="x", recipient="1", subject="s")


def test_the_console_backend_masks_the_phone(caplog):
    with caplog.at_level("WARNING"):
        sms.ConsoleBackend().send("13812345678", text="您好")
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


def test_the_worker_tries_a_failed_send_again_later_and_longer_apart(
    settings, form, tree, t_clerk, a_admin, committed, provider
):
    from huey.exceptions import RetryTask

    from guangong.notifications import tasks

    provider.answers = [(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL"})] * 2
    choose(t_clerk, sms=True)
    returned(form, tree, t_clerk, a_admin, committed)  # the first try, at once (tests)
    (log,) = Delivery.objects.all()
    settings.HUEY = {**settings.HUEY, "immediate": False}  # as in a worker
    with pytest.raises(RetryTask) as retry:
        tasks.send_delivery.call_local(log.pk)
    assert retry.value.delay == 60  # the second failure waits twice the first's 30 s
    assert sending.backoff(1) == 30 and sending.backoff(20) == 3600
