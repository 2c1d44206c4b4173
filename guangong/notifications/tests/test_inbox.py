"""The inbox page, the header's count, the API, the channels page and the delivery log."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.audit.models import AuditLog
from guangong.notifications.models import Delivery, Event, Message, Preference

pytestmark = pytest.mark.django_db


def message(user, title="报表已退回：季报", url="/reports/1/", **kw):
    return Message.objects.create(
        recipient=user,
        event=Event.REPORT_RETURNED,
        title=title,
        url=url,
        key=f"{user.pk}{title}",
        **kw,
    )


def test_the_header_counts_unread_messages_and_the_inbox_lists_them(client, t_clerk):
    message(t_clerk, "第一条")
    message(t_clerk, "第二条")
    client.force_login(t_clerk)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="unread-count">2<' in page
    assert "第一条" in page and "第二条" in page and "未读" in page


def test_opening_a_message_marks_it_read_and_goes_to_its_thing(client, t_clerk):
    found = message(t_clerk)
    client.force_login(t_clerk)
    response = client.post(reverse("notifications:message_open", args=[found.pk]))
    assert response.status_code == 302 and response["Location"] == "/reports/1/"
    found.refresh_from_db()
    assert found.read_at is not None
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="unread-count"' not in page


def test_an_outside_link_is_not_followed(client, t_clerk):
    found = message(t_clerk, url="https://example.com/")
    client.force_login(t_clerk)
    response = client.post(reverse("notifications:message_open", args=[found.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_mark_all_read(client, t_clerk, t_writer):
    message(t_clerk, "一")
    message(t_clerk, "二")
    other = message(t_writer, "三")
    client.force_login(t_clerk)
    client.post(reverse("notifications:read_all"))
    assert not Message.objects.filter(recipient=t_clerk, read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_anyone_elses_message_is_a_404_like_a_missing_one(client, t_clerk, city_admin):
    found = message(t_clerk)
    client.force_login(city_admin)  # even the city's administrator
    url = reverse("notifications:message_open", args=[found.pk])
    missing = reverse("notifications:message_open", args=[found.pk + 1000])
    assert client.get(url).status_code == client.get(missing).status_code == 404
    assert client.post(url).status_code == 404
    found.refresh_from_db()
    assert found.read_at is None
    assert "报表已退回" not in client.get(reverse("notifications:inbox")).content.decode()


def test_the_api_lists_only_the_callers_messages_and_marks_read(t_clerk, t_writer):
    mine = message(t_clerk)
    theirs = message(t_writer, "别人的")
    api = APIClient()
    api.force_authenticate(t_clerk)
    data = api.get("/api/messages/").json()
    assert [m["id"] for m in data["results"]] == [mine.pk]
    assert data["results"][0]["unread"] is True
    assert api.post(f"/api/messages/{theirs.pk}/read/").status_code == 404
    answer = api.post(f"/api/messages/{mine.pk}/read/")
    assert answer.status_code == 200 and answer.json()["unread"] is False
    assert api.post("/api/messages/read-all/").json() == {"unread": 0}


def test_choosing_channels_is_saved_and_audited(client, t_clerk):
    client.force_login(t_clerk)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert "c***@example.org" in page
    response = client.post(
        reverse("notifications:preferences"),
        {f"{Event.REPORT_RETURNED}-email": "on", f"{Event.CASE_STEP}-sms": "on"},
    )
    assert response.status_code == 302
    returned = Preference.objects.get(user=t_clerk, event=Event.REPORT_RETURNED)
    assert (returned.email, returned.sms) == (True, False)
    assert Preference.objects.get(user=t_clerk, event=Event.CASE_STEP).sms
    log = AuditLog.objects.filter(action="update", object_id=str(t_clerk.pk)).last()
    assert log is not None and log.message == "message channels"


def test_a_channel_without_an_address_is_refused(client, tree):
    user = UserFactory(username="nophone", organization=tree.township, role=Role.CLERK, phone="")
    client.force_login(user)
    response = client.post(reverse("notifications:preferences"), {f"{Event.CASE_STEP}-sms": "on"})
    assert response.status_code == 400
    assert "没有手机号" in response.content.decode()
    assert not Preference.objects.filter(user=user, sms=True).exists()


def test_the_delivery_log_is_for_system_administrators(client, tree, t_clerk, city_admin):
    Delivery.objects.create(
        key="k1",
        channel="sms",
        event="x",
        recipient="138****5678",
        subject="报表已退回",
        org_path=tree.township.path,
        status="failed",
        attempts=6,
        error="isv.BUSINESS_LIMIT_CONTROL",
    )
    sysadmin = UserFactory(username="sys", organization=tree.city, role=Role.SYSTEM_ADMIN)
    client.force_login(sysadmin)
    page = client.get(reverse("notifications:delivery_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "138****5678" in body and "isv.BUSINESS_LIMIT_CONTROL" in body
    client.force_login(city_admin)
    assert client.get(reverse("notifications:delivery_list")).status_code == 403


def visible_english(html: str) -> list[str]:
    """Latin words in the page's text (not in tags, scripts or the e-mail address)."""
    import re

    body = html.split("<main", 1)[-1].split(">", 1)[-1]
    text = re.sub(r"<[^>]+>", " ", body)
    text = text.replace("example.org", "")
    return re.findall(r"\b[A-Za-z]{3,}\b", text)


def test_the_pages_speak_chinese(client, settings, tree, t_clerk):
    settings.PASSWORD_RESET_BY_SMS = True
    found = message(t_clerk)
    Delivery.objects.create(
        key="k2",
        channel="email",
        event="x",
        recipient="c***@example.org",
        subject="报表已退回",
        org_path=tree.township.path,
    )
    sysadmin = UserFactory(username="sys2", organization=tree.city, role=Role.SYSTEM_ADMIN)
    pages = {
        t_clerk: [
            reverse("notifications:inbox"),
            reverse("notifications:message_open", args=[found.pk]),
            reverse("notifications:preferences"),
        ],
        sysadmin: [reverse("notifications:delivery_list")],
        None: [reverse("sms_reset:ask"), reverse("sms_reset:code")],
    }
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert visible_english(response.content.decode()) == [], url
