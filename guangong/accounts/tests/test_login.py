"""Logging in and out through the real login page: audit, lockout, and how long a session
lasts."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.test import APIClient

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import CJK

LOGIN = "/accounts/login/"
REQUEST_ID = "loginreq42"


def log_in(client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in_as(client):
    return client.session.get("_auth_user_id")


# --- Audit ----------------------------------------------------------------------------------


def test_login_is_audited(client, tree, a_admin, password):
    response = log_in(client, "a_admin", password, HTTP_X_REQUEST_ID=REQUEST_ID)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) == str(a_admin.pk)
    [record] = AuditLog.objects.all()
    assert record.action == Action.LOGIN
    assert (record.user, record.username, record.ip) == (a_admin, "a_admin", "127.0.0.1")
    assert record.request_id == REQUEST_ID == response["X-Request-ID"]
    assert record.org_path == tree.county_a.path
    a_admin.refresh_from_db()
    assert a_admin.last_login is not None


def test_logout_is_audited_and_ends_the_session(client, tree, a_admin, password):
    log_in(client, "a_admin", password)

    response = client.post("/accounts/logout/", HTTP_X_REQUEST_ID=REQUEST_ID)

    assert response.status_code == 302
    assert logged_in_as(client) is None
    record = AuditLog.objects.get(action=Action.LOGOUT)
    assert (record.user, record.username, record.ip) == (a_admin, "a_admin", "127.0.0.1")
    assert record.request_id == REQUEST_ID
    assert client.get("/orgs/").status_code == 302


def test_logout_needs_a_post(client, tree, a_admin, password):
    """A link (GET) cannot log anyone out, so another site cannot either."""
    log_in(client, "a_admin", password)

    client.get("/accounts/logout/")

    assert logged_in_as(client) == str(a_admin.pk)


def test_failed_login_of_a_known_user_is_audited(client, tree, a_admin):
    response = log_in(client, "a_admin", "wrong-password", HTTP_X_REQUEST_ID=REQUEST_ID)

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert CJK.search(error)
    assert logged_in_as(client) is None
    [record] = AuditLog.objects.all()
    assert record.action == Action.LOGIN_FAILED
    assert record.user is None  # nobody acted: someone tried
    assert record.username == "a_admin"
    assert (record.object_type, record.object_id) == ("accounts.user", str(a_admin.pk))
    assert record.org_path == tree.county_a.path  # the county's admin reads it
    assert (record.ip, record.request_id) == ("127.0.0.1", REQUEST_ID)


def test_failed_login_of_an_unknown_name_is_audited(client, tree):
    log_in(client, "nobody", "wrong-password")

    [record] = AuditLog.objects.all()
    assert record.action == Action.LOGIN_FAILED
    assert (record.username, record.object_id, record.org_path) == ("nobody", "", "")


def test_failed_login_never_stores_the_password(client, tree, a_admin):
    log_in(client, "a_admin", "Secret-guess-123")

    record = AuditLog.objects.get()
    stored = f"{record.before}{record.after}{record.message}{record.object_repr}"
    assert "Secret-guess-123" not in stored


def test_inactive_account_cannot_log_in(client, tree, a_admin, password):
    a_admin.is_active = False
    a_admin.save()

    response = log_in(client, "a_admin", password)

    assert response.status_code == 200
    assert logged_in_as(client) is None


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("/orgs/", "/orgs/"), ("https://evil.example/", "/"), ("//evil.example/", "/")],
)
def test_login_returns_only_to_our_own_pages(client, tree, a_admin, password, next_url, lands_on):
    response = client.post(LOGIN, {"username": "a_admin", "password": password, "next": next_url})

    assert response["Location"] == lands_on


# --- Lockout --------------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_against_the_right_password(
    client, tree, a_admin, b_admin, password
):
    statuses = [log_in(client, "a_admin", f"wrong-{i}").status_code for i in range(5)]

    sixth = log_in(client, "a_admin", password)

    assert statuses == [200, 200, 200, 200, 429]
    assert sixth.status_code == 429
    assert logged_in_as(client) is None
    assert not AuditLog.objects.filter(action=Action.LOGIN).exists()
    assert AuditLog.objects.filter(action=Action.LOGIN_FAILED, username="a_admin").count() >= 5
    # The API does not hand out a token to a locked account either.
    token = APIClient().post("/api/auth/token/", {"username": "a_admin", "password": password})
    assert token.status_code == 400
    assert "token" not in token.json()
    # The lock is per account (and address): another account still logs in.
    assert log_in(client, "b_admin", password).status_code == 302


def test_four_failures_do_not_lock(client, tree, a_admin, password):
    for i in range(4):
        log_in(client, "a_admin", f"wrong-{i}")

    response = log_in(client, "a_admin", password)

    assert response.status_code == 302
    assert logged_in_as(client) == str(a_admin.pk)


def test_a_success_resets_the_failure_count(client, tree, a_admin, password):
    for i in range(4):
        log_in(client, "a_admin", f"wrong-{i}")
    log_in(client, "a_admin", password)
    client.post("/accounts/logout/")

    statuses = [log_in(client, "a_admin", f"again-{i}").status_code for i in range(4)]

    assert statuses == [200, 200, 200, 200]
    assert log_in(client, "a_admin", password).status_code == 302


def test_lockout_settings():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.5  # hours
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


# --- Session lifetime -----------------------------------------------------------------------


def test_session_settings():
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    # The idle timer is renewed by core.middleware.LoginRequiredMiddleware, at most once a minute.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_TOUCH_SECONDS == 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_every_page_extends_the_idle_limit(client, tree, a_admin, password):
    log_in(client, "a_admin", password)

    response = client.get("/orgs/")

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 2 * 3600
    assert cookie["httponly"]


def test_an_idle_session_ends(client, tree, a_admin, password):
    log_in(client, "a_admin", password)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )

    response = client.get("/orgs/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def set_login_time(client, seconds_ago: int) -> None:
    session = client.session
    session["login_at"] = int(time.time()) - seconds_ago
    session.save()


def test_login_time_is_recorded_on_the_first_page(client, tree, a_admin, password):
    log_in(client, "a_admin", password)
    before = int(time.time())

    client.get("/")

    assert before - 1 <= client.session["login_at"] <= int(time.time())


def test_a_session_within_the_absolute_limit_goes_on(client, tree, a_admin, password):
    log_in(client, "a_admin", password)
    client.get("/")
    set_login_time(client, 8 * 3600 - 60)

    assert client.get("/orgs/").status_code == 200


def test_a_session_past_the_absolute_limit_ends_however_active(client, tree, a_admin, password):
    log_in(client, "a_admin", password)
    client.get("/")
    set_login_time(client, 8 * 3600 + 1)

    response = client.get("/orgs/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/orgs/"
    assert logged_in_as(client) is None
    assert AuditLog.objects.filter(action=Action.LOGOUT, user=a_admin).count() == 1
    # And stays ended: the next page asks for a login again.
    assert client.get("/").status_code == 302


def test_a_new_login_starts_a_new_absolute_limit(client, tree, a_admin, password):
    log_in(client, "a_admin", password)
    client.get("/")
    set_login_time(client, 8 * 3600 + 1)
    client.get("/orgs/")  # ended

    log_in(client, "a_admin", password)

    assert client.get("/orgs/").status_code == 200
