"""Logs an operator can search: JSON lines with the request id, user, path, status and time;
slow statements logged without their values."""

import json
import logging

import pytest
from django.db import connection

from guangong.core.observability import JsonFormatter, RequestFilter


@pytest.fixture
def lines():
    """What the console handler would print, as parsed JSON objects."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(handler.format(r)) for r in records]
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_each_request_is_one_json_line_with_its_id_user_status_and_duration(
    client_for, a_admin, lines
):
    client = client_for(a_admin)
    response = client.get("/orgs/", HTTP_X_REQUEST_ID="req-12345")
    assert response.status_code == 200

    entries = [e for e in lines() if e["logger"] == "guangong.request"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["request_id"] == "req-12345"
    assert entry["user_id"] == a_admin.pk
    assert entry["path"] == "/orgs/"
    assert entry["method"] == "GET"
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert entry["time"].endswith("+08:00")  # local time, as the operators read it


def test_lines_logged_during_a_request_carry_its_id(client, lines, monkeypatch, db):
    from guangong.accounts import views

    original = views.LoginView.get

    def noisy(self, request, *args, **kwargs):
        logging.getLogger("guangong.accounts").warning("something worth a look")
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(views.LoginView, "get", noisy)
    client.get("/accounts/login/", HTTP_X_REQUEST_ID="abc-77")

    warning = next(e for e in lines() if e["message"] == "something worth a look")
    assert warning["request_id"] == "abc-77"
    assert warning["path"] == "/accounts/login/"


def test_a_slow_statement_is_logged_with_its_text_and_never_its_values(settings, lines, db):
    settings.SLOW_QUERY_MS = 0.0001  # every statement counts as slow
    connection.ensure_connection()  # connections get the timer as they open (connection_created)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", ["110101199003077777"])

    slow = [e for e in lines() if e["logger"] == "guangong.db.slow"]
    assert slow
    assert all("110101199003077777" not in json.dumps(e) for e in slow)
    assert any("SELECT" in e["message"] and e["duration_ms"] >= 0 for e in slow)
