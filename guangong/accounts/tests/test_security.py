"""Accounts against a stranger or a thief: API tokens that expire and go with the password,
the current password asked before it is changed, and a lockout keyed on the real client."""

import hashlib
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from guangong.accounts.models import ApiToken
from guangong.accounts.tests.factories import PASSWORD
from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import CJK, page_body

NEW_PASSWORD = "Yili-volunteer-2025"
PROXY = "10.0.0.254"


def obtain(user, password=PASSWORD, **extra) -> dict:
    response = APIClient().post(
        "/api/auth/token/", {"username": user.username, "password": password, **extra}
    )
    assert response.status_code == 200, response.content
    return response.json()


def api_with(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def revocations(token_pk: int):
    return AuditLog.objects.filter(
        action=Action.DELETE, object_type="accounts.apitoken", object_id=str(token_pk)
    )


# --- Issuing --------------------------------------------------------------------------------


def test_the_token_endpoint_answers_the_key_and_its_expiry_and_stores_only_a_hash(tree, a_viewer):
    before = timezone.now()

    body = obtain(a_viewer, name="小程序")

    key = body["token"]
    expires = datetime.fromisoformat(body["expires_at"])
    assert body["name"] == "小程序"
    assert before + timedelta(days=30) <= expires <= timezone.now() + timedelta(days=30)
    assert expires.utcoffset() == timedelta(hours=8)  # shown in Beijing time
    token = ApiToken.objects.get(user=a_viewer)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.values().get().values())
    assert key not in stored
    assert api_with(key).get("/api/orgs/").status_code == 200
    issued = AuditLog.objects.get(action=Action.TOKEN)
    assert (issued.user, issued.object_id, issued.parent_id) == (
        a_viewer,
        str(token.pk),
        str(a_viewer.pk),
    )
    assert key not in f"{issued.before}{issued.after}{issued.message}"


def test_each_call_issues_another_named_token_and_both_work(tree, a_viewer, settings):
    settings.API_TOKEN_DAYS = 2

    first = obtain(a_viewer, name="报表同步")
    second = obtain(a_viewer)

    assert first["token"] != second["token"]
    assert second["name"] == "API 令牌"
    assert datetime.fromisoformat(second["expires_at"]) <= timezone.now() + timedelta(days=2)
    assert api_with(first["token"]).get("/api/orgs/").status_code == 200
    assert api_with(second["token"]).get("/api/orgs/").status_code == 200
    assert set(a_viewer.api_tokens.values_list("name", flat=True)) == {"报表同步", "API 令牌"}


def test_an_account_holds_at_most_ten_tokens_the_oldest_goes(tree, a_viewer):
    keys = [obtain(a_viewer, name=f"令牌{i}")["token"] for i in range(11)]

    assert a_viewer.api_tokens.count() == 10
    assert not a_viewer.api_tokens.filter(name="令牌0").exists()
    assert api_with(keys[0]).get("/api/orgs/").status_code == 401
    assert api_with(keys[1]).get("/api/orgs/").status_code == 200
    [record] = AuditLog.objects.filter(action=Action.DELETE, object_type="accounts.apitoken")
    assert (record.user, record.before["name"]) == (a_viewer, "令牌0")


# --- Expiry ---------------------------------------------------------------------------------


def test_an_expired_token_answers_401_in_chinese_and_is_deleted(tree, a_viewer):
    key = obtain(a_viewer)["token"]
    token = ApiToken.objects.get()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = api_with(key).get("/api/orgs/")

    assert response.status_code == 401
    assert "已过期" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    [record] = revocations(token.pk)
    assert record.user is None and record.before["name"] == token.name
    # Deleted: the same key is now simply unknown.
    again = api_with(key).get("/api/orgs/")
    assert again.status_code == 401 and CJK.search(again.json()["detail"])


def test_a_token_used_is_marked_with_the_time(tree, a_viewer):
    key = obtain(a_viewer)["token"]

    api_with(key).get("/api/orgs/")

    assert ApiToken.objects.get().last_used_at is not None


# --- Revoked with the password --------------------------------------------------------------


def test_changing_ones_own_password_revokes_ones_tokens(client_for, tree, a_viewer):
    key = obtain(a_viewer)["token"]
    token = ApiToken.objects.get()
    client = client_for(a_viewer)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert api_with(key).get("/api/orgs/").status_code == 401
    assert not ApiToken.objects.exists()
    [record] = revocations(token.pk)
    assert (record.user, record.parent_id) == (a_viewer, str(a_viewer.pk))
    assert record.org_path == tree.county_a.path


def test_a_password_set_by_an_administrator_revokes_the_tokens(client_for, tree, a_admin, a_viewer):
    key = obtain(a_viewer)["token"]
    other = obtain(a_admin)["token"]

    response = client_for(a_admin).post(
        f"/accounts/users/{a_viewer.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert api_with(key).get("/api/orgs/").status_code == 401
    assert api_with(other).get("/api/orgs/").status_code == 200  # the admin's own stays
    assert AuditLog.objects.filter(action=Action.DELETE, user=a_admin).count() == 1


# --- Listed and revoked on the account's page -----------------------------------------------


def test_a_user_lists_and_revokes_their_own_tokens(client_for, tree, a_viewer):
    key = obtain(a_viewer, name="手机小程序")["token"]
    api_with(key).get("/api/orgs/")
    token = ApiToken.objects.get()
    client = client_for(a_viewer)

    page = client.get("/accounts/me/")
    revoked = client.post(f"/accounts/tokens/{token.pk}/revoke/")

    body = page.content.decode()
    assert page.status_code == 200
    assert "手机小程序" in body and "API 令牌" in body
    local = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")
    assert local in body  # Beijing time
    assert key not in body
    assert revoked.status_code == 302 and revoked["Location"] == "/accounts/me/"
    assert "已撤销 API 令牌" in client.get("/accounts/me/").content.decode()
    assert api_with(key).get("/api/orgs/").status_code == 401
    [record] = revocations(token.pk)
    assert (record.user, record.before["name"]) == (a_viewer, "手机小程序")


def test_revoking_needs_a_post(client_for, tree, a_viewer):
    obtain(a_viewer)
    token = ApiToken.objects.get()

    response = client_for(a_viewer).get(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 405
    assert ApiToken.objects.exists()


def test_an_administrator_lists_and_revokes_the_tokens_of_an_account_in_scope(
    client_for, tree, a_admin, a_viewer
):
    key = obtain(a_viewer, name="数据对接")["token"]
    token = ApiToken.objects.get()
    client = client_for(a_admin)

    page = client.get(f"/accounts/users/{a_viewer.pk}/")
    revoked = client.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert "数据对接" in page.content.decode()
    assert revoked.status_code == 302
    assert revoked["Location"] == f"/accounts/users/{a_viewer.pk}/"
    assert api_with(key).get("/api/orgs/").status_code == 401
    [record] = revocations(token.pk)
    assert (record.user, record.org_path) == (a_admin, tree.county_a.path)


@pytest.mark.parametrize("who", ["b_admin", "a_clerk"])
def test_a_token_out_of_reach_answers_like_a_missing_one(
    client_for, tree, a_viewer, b_admin, a_clerk, who
):
    key = obtain(a_viewer)["token"]
    token = ApiToken.objects.get()
    client = client_for({"b_admin": b_admin, "a_clerk": a_clerk}[who])
    records = AuditLog.objects.count()

    theirs = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    missing = client.post(f"/accounts/tokens/{token.pk + 1000}/revoke/")

    assert (theirs.status_code, missing.status_code) == (404, 404)
    assert page_body(theirs) == page_body(missing)
    assert api_with(key).get("/api/orgs/").status_code == 200
    assert AuditLog.objects.count() == records


# --- The current password -------------------------------------------------------------------


@pytest.mark.parametrize("given", [None, "", "Wrong-password-1"])
def test_changing_ones_password_asks_for_the_current_one(client_for, tree, a_viewer, given):
    client = client_for(a_viewer)
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    if given is not None:
        data["old_password"] = given

    response = client.post("/accounts/password/", data)

    assert response.status_code == 400
    [error] = response.context["form"].errors["old_password"]
    assert CJK.search(error)
    a_viewer.refresh_from_db()
    assert a_viewer.check_password(PASSWORD)
    assert not AuditLog.objects.filter(action=Action.PASSWORD).exists()


def test_a_wrong_current_password_is_audited(client_for, tree, a_viewer):
    client = client_for(a_viewer)

    response = client.post(
        "/accounts/password/",
        {"old_password": "Wrong-password-1", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert "当前密码不正确" in response.content.decode()
    [record] = AuditLog.objects.filter(action=Action.LOGIN_FAILED)
    assert (record.user, record.username, record.object_id) == (
        a_viewer,
        "a_viewer",
        str(a_viewer.pk),
    )
    assert CJK.search(record.message) and record.org_path == tree.county_a.path
    assert "Wrong-password-1" not in f"{record.before}{record.after}{record.message}"


def test_wrong_current_passwords_count_towards_the_lockout(client, client_for, tree, a_viewer):
    client_for(a_viewer)
    wrong = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}

    statuses = [
        client.post("/accounts/password/", {**wrong, "old_password": f"wrong-{i}"}).status_code
        for i in range(5)
    ]
    right = client.post("/accounts/password/", {**wrong, "old_password": PASSWORD})

    assert statuses == [400, 400, 400, 400, 429]
    assert right.status_code == 429
    a_viewer.refresh_from_db()
    assert a_viewer.check_password(PASSWORD)
    client.logout()
    login = client.post("/accounts/login/", {"username": "a_viewer", "password": PASSWORD})
    assert login.status_code == 429


# --- Lockout per account and client ---------------------------------------------------------


def log_in(client, password, **meta):
    return client.post(
        "/accounts/login/", {"username": "a_admin", "password": password}, **meta
    ).status_code


def test_lockout_keys_on_the_client_address_the_audit_log_records(client, tree, a_admin, settings):
    # Behind one proxy: failures from X lock X out of the account, but not Y.
    settings.TRUSTED_PROXY_COUNT = 1
    x = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    y = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.6"}

    failures = [log_in(client, f"wrong-{i}", **x) for i in range(5)]

    assert failures == [200, 200, 200, 200, 429]
    assert log_in(client, PASSWORD, **x) == 429
    assert {r.ip for r in AuditLog.objects.filter(action=Action.LOGIN_FAILED)} == {"203.0.113.5"}
    assert log_in(client, PASSWORD, **y) == 302
    client.post("/accounts/logout/", **y)

    # Without proxies a forged X-Forwarded-For is ignored: the connection's address counts.
    settings.TRUSTED_PROXY_COUNT = 0
    forged = [
        log_in(client, f"wrong-{i}", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
        for i in range(5)
    ]

    assert forged == [200, 200, 200, 200, 429]
    assert (
        log_in(client, PASSWORD, REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="10.9.9.99") == 429
    )
    assert (
        log_in(client, PASSWORD, REMOTE_ADDR="192.0.2.8", HTTP_X_FORWARDED_FOR="192.0.2.7") == 302
    )
