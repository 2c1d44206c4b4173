"""Logs an operator can search: one JSON object a line, each carrying the request it belongs to.

- ``JsonFormatter`` writes ``time`` (local, ISO 8601), ``level``, ``logger``, ``message`` and,
  inside a request, ``request_id``, ``user_id``, ``path``; the request log adds ``method``,
  ``status`` and ``duration_ms``. Exceptions come as ``exc``.
- ``RequestLogMiddleware`` writes one line per request to the ``guangong.request`` logger.
- ``log_slow_queries`` (connected to ``connection_created``) logs every SQL statement slower than
  ``SLOW_QUERY_MS`` to ``guangong.db.slow``: the statement's text and time, never its parameters
  (they can hold names and ID numbers).

``LOG_FORMAT`` chooses ``json`` (the default in production) or ``text``; ``LOG_LEVEL`` the level.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from contextvars import ContextVar

from django.conf import settings

from . import context

request_log = logging.getLogger("guangong.request")
slow_log = logging.getLogger("guangong.db.slow")

# Who and what the current request is, for every line logged while it runs.
_request: ContextVar[dict | None] = ContextVar("guangong_log_request", default=None)

STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class RequestFilter(logging.Filter):
    """Adds the current request's id, user and path to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = _request.get()
        if current:
            for key, value in current.items():
                if not hasattr(record, key):
                    setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.datetime.fromtimestamp(record.created, datetime.UTC).astimezone()
        entry = {
            "time": stamp.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in STANDARD and not key.startswith("_"):
                entry[key] = (
                    value if isinstance(value, (int, float, bool, type(None))) else str(value)
                )
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestLogMiddleware:
    """One log line per request: method, path, status, duration, request id and user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        ctx = context._current.get()
        fields = {
            "request_id": getattr(request, "request_id", ctx.request_id if ctx else ""),
            "path": request.path,
        }
        token = _request.set(fields)
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            fields["user_id"] = user.pk if user is not None and user.is_authenticated else None
            duration = round((time.perf_counter() - started) * 1000, 1)
            level = logging.WARNING if response.status_code >= 500 else logging.INFO
            request_log.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": duration,
                },
            )
            return response
        finally:
            _request.reset(token)


def _slow_query_wrapper(execute, sql, params, many, ctx):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, ctx)
    finally:
        elapsed = (time.perf_counter() - started) * 1000
        if elapsed >= settings.SLOW_QUERY_MS:
            slow_log.warning(
                "slow query (%.0f ms): %s",
                elapsed,
                sql[:2000],
                extra={"duration_ms": round(elapsed, 1), "database": ctx["connection"].alias},
            )


def log_slow_queries(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: time every statement of the new connection."""
    if settings.SLOW_QUERY_MS > 0 and _slow_query_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_slow_query_wrapper)


KEPT_HEADERS = ("user-agent", "x-request-id")


def _scrub(event: dict, hint: dict) -> dict:
    """What leaves for the error service: the request's method, path and id, never its body,
    query string, cookies or headers beyond the user agent (they can hold ID numbers)."""
    request = event.get("request") or {}
    headers = request.get("headers") or {}
    event["request"] = {
        "method": request.get("method"),
        "url": request.get("url"),
        "headers": {
            k: v for k, v in headers.items() if k.lower() in ("user-agent", "x-request-id")
        },
    }
    event.pop("user", None)
    ctx = context._current.get()
    if ctx:
        event.setdefault("tags", {})["request_id"] = ctx.request_id
    return event


def init_error_reporting(dsn: str, *, environment: str, transport=None) -> None:
    """Send unhandled errors to Sentry (or a compatible service) at ``dsn``."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    options = {
        "dsn": dsn,
        "environment": environment,
        "integrations": [DjangoIntegration()],
        # Only the integrations named here: the automatic ones patch libraries (the task queue's
        # task headers, say) in every process that loads this, reporting or not.
        "auto_enabling_integrations": False,
        "max_request_body_size": "never",
        "include_local_variables": False,  # locals can hold decrypted values
        "before_send": _scrub,
        "traces_sample_rate": 0,
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
