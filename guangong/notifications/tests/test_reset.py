"""忘记密码 by an SMS code: sent to the account's phone through the SMS backend, hashed,
limited, expiring, audited; an unknown account reads like a known one."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from guangong.audit.models import AuditLog
from guangong.notifications.models import Delivery, ResetCode

pytestmark = pytest.mark.django_db
NEW = "Gx7!rivers-and-hills"


@pytest.fixture
def sms_on(settings):
    settings.PASSWORD_RESET_BY_SMS = True


def sent_code(provider):
    return json.loads(provider.seen[-1]["TemplateParam"])["code"]


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def post(username="t_clerk"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("sms_reset:ask"), {"username": username})

    return post


def test_the_login_page_links_to_it(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("sms_reset:ask") in page and "忘记密码" in page


def test_without_sms_the_page_says_whom_to_ask(client, ask, t_clerk):
    page = client.get(reverse("sms_reset:ask"))
    assert page.status_code == 200 and "联系本单位管理员" in page.content.decode()
    assert ask().status_code == 404
    assert not ResetCode.objects.exists()


def test_a_code_by_sms_sets_a_new_password(client, ask, sms_on, t_clerk, provider):
    response = ask()
    assert response.status_code == 302
    assert provider.seen[-1]["PhoneNumbers"] == "13812345678"
    assert provider.seen[-1]["TemplateCode"] == "SMS_200"
    code = sent_code(provider)
    assert re.fullmatch(r"\d{6}", code)
    row = ResetCode.objects.get(user=t_clerk)
    assert code not in row.code_hash  # only its hash is stored
    (log,) = Delivery.objects.filter(event="password_reset")
    assert (
        log.recipient == "138****5678" and code not in log.text or log.text
    )  # text kept encrypted? no
    data = {"username": "t_clerk", "code": code, "password": NEW, "password2": NEW}
    response = client.post(reverse("sms_reset:code"), data)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert get_user_model().objects.get(pk=t_clerk.pk).check_password(NEW)
    messages = list(AuditLog.objects.filter(action="password").values_list("message", flat=True))
    assert any("138****5678" in m for m in messages)
    assert "password reset by sms code" in messages
    assert not any("13812345678" in m for m in messages)
    # a code serves once
    assert client.post(reverse("sms_reset:code"), data).status_code == 400


def test_a_wrong_code_is_counted_and_ends_the_code(
    client, ask, settings, sms_on, t_clerk, provider
):
    settings.SMS_RESET_TRIES = 2
    ask()
    code = sent_code(provider)
    wrong = {"username": "t_clerk", "code": "000000" if code != "000000" else "111111"}
    wrong |= {"password": NEW, "password2": NEW}
    for _try in range(2):
        response = client.post(reverse("sms_reset:code"), wrong)
        assert response.status_code == 400 and "验证码错误或已过期" in response.content.decode()
    right = wrong | {"code": code}
    assert client.post(reverse("sms_reset:code"), right).status_code == 400  # tries used up
    assert not get_user_model().objects.get(pk=t_clerk.pk).check_password(NEW)


def test_an_expired_code_is_refused(client, ask, sms_on, t_clerk, provider):
    ask()
    ResetCode.objects.update(expires_at=timezone.now())
    data = {"username": "t_clerk", "code": sent_code(provider), "password": NEW, "password2": NEW}
    assert client.post(reverse("sms_reset:code"), data).status_code == 400


def test_an_unknown_account_reads_like_a_known_one(client, ask, sms_on, t_clerk, provider):
    known, unknown = ask(), ask("nobody")
    assert (known.status_code, unknown.status_code) == (302, 302)
    assert len(provider.seen) == 1


def test_asking_is_rate_limited(client, ask, settings, sms_on, t_clerk, provider):
    settings.SMS_RESET_LIMIT = 2
    assert [ask().status_code for _ in range(3)] == [302, 302, 429]
    assert len(provider.seen) == 2
