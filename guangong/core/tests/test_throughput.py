"""What keeps each request cheap: sessions written only when needed, kept database connections,
compiled templates kept in memory."""

import os
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.template import engines

from guangong.accounts.tests.factories import PASSWORD

COOKIE = settings.SESSION_COOKIE_NAME


@pytest.fixture
def active(client, a_admin):
    """A logged-in user who has just opened a first page (the session is fresh)."""
    client.post("/accounts/login/", {"username": "a_admin", "password": PASSWORD})
    client.get("/")
    return client


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_pages_within_a_minute_do_not_write_the_session(active):
    expiry = stored_expiry(active)

    response = active.get("/orgs/")

    assert response.status_code == 200
    assert COOKIE not in response.cookies  # nothing saved, nothing sent again
    assert stored_expiry(active) == expiry


def test_a_page_after_a_minute_renews_the_idle_limit(active):
    session = active.session
    session["seen_at"] = int(time.time()) - settings.SESSION_TOUCH_SECONDS - 1
    session.save()
    expiry = stored_expiry(active)
    time.sleep(1)  # the new expiry is at least a second later

    response = active.get("/orgs/")

    assert int(response.cookies[COOKIE]["max-age"]) == settings.SESSION_COOKIE_AGE
    assert stored_expiry(active) > expiry


def test_the_idle_limit_still_ends_a_session(active):
    Session.objects.filter(session_key=active.session.session_key).delete()

    assert active.get("/orgs/").status_code == 302


@pytest.mark.skipif(
    bool(os.environ.get("CONN_MAX_AGE") or os.environ.get("CONN_HEALTH_CHECKS")),
    reason="the environment sets its own connection lifetime",
)
def test_database_connections_are_kept_and_checked_by_default():
    database = settings.DATABASES["default"]

    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_compiled_templates_are_kept_when_debug_is_off():
    """Django caches compiled templates unless ``loaders`` is set by hand: keep it unset."""
    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    loader = engines["django"].engine.template_loaders[0]
    assert type(loader).__module__ == "django.template.loaders.cached"
