"""Error pages and error answers: in Chinese, with the request id, and safe to render when the
database is down.

An HTML error page is ``core/error.html`` rendered without the request, so no context processor
runs (none of them may query the database or load the user); if even that fails (a missing
static manifest, say), a plain page is written by hand. Paths under ``/api/`` get JSON:
``{"detail": "…", "request_id": "…"}``.

Where each error comes from:

- 400/403/404/500: Django's handlers (``guangong/urls.py``: ``handler400`` …) and
  ``CSRF_FAILURE_VIEW``; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` found while parsing (a
  ``RequestDataTooBig`` reaching ``handler400``) is a 413.
- 413: ``core.middleware.RequestSizeMiddleware`` before anything reads the body.
- 503: a database that cannot be reached (``OperationalError``/``InterfaceError``), raised by a
  view (``core.middleware.ErrorPagesMiddleware``) or by a middleware, such as the session being
  loaded (``handler500`` looks at the exception being handled). A form whose view names
  ``outage_kept_fields`` gets what the user typed back, read-only, to copy.
- 500 with its own message: a stored value that does not decrypt (``crypto.DecryptionError``).
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import get_template
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from rest_framework.views import exception_handler

from . import context, crypto

log = logging.getLogger("guangong.errors")

PAGES = {
    400: (
        _("Bad request"),
        _("The request could not be understood. Go back, reload the page and try again."),
    ),
    403: (_("Not allowed"), _("You may not do this.")),
    404: (_("Not found"), _("This page does not exist, or you may not see it.")),
    413: (
        _("Too large"),
        _(
            "What you sent is too large. Shorten the text, or send fewer or smaller files, "
            "and try again."
        ),
    ),
    500: (
        _("Something went wrong"),
        _(
            "Something went wrong on the server and it has been recorded. Please try again "
            "later; if it happens again, give its request ID to your administrator."
        ),
    ),
    503: (
        _("Temporarily unavailable"),
        _(
            "The system cannot reach its database at the moment, so nothing could be saved "
            "or shown. Please try again in a few minutes."
        ),
    ),
}
DECRYPTION_FAILED = _(
    "This information cannot be decrypted: the server's encryption keys do not match the "
    "stored data. Please give the request ID to your system administrator."
)
CSRF_FAILED = _(
    "This page has expired or where it was sent from could not be verified. Reload the page "
    "and try again."
)
KEPT_INPUT = _(
    "What you entered was NOT saved. It is shown below: copy it and enter it again once the "
    "system is back."
)


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def request_id(request: HttpRequest) -> str:
    return getattr(request, "request_id", "") or context.current().request_id


def _language(request: HttpRequest) -> str:
    """The language LocaleMiddleware would pick: the user's choice (cookie), else Chinese.

    Computed here because an error may come before LocaleMiddleware has run.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return settings.LANGUAGE_CODE


def _html(status: int, title: str, message: str, rid: str, kept: list[tuple[str, str]]) -> str:
    ctx = {
        "status": status,
        "title": title,
        "message": message,
        "request_id": rid,
        "kept": kept,
        "kept_text": "\n".join(f"{label}：{value}" for label, value in kept),
        "kept_message": KEPT_INPUT,
    }
    try:
        return get_template("core/error.html").render(ctx)
    except Exception:  # the error page must come out whatever else is broken
        log.exception("The error page could not be rendered; a plain one was sent.")
        return format_html(
            '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{}</title>'
            "<h1>{}</h1><p>{}</p><p>{}: <code>{}</code></p></html>",
            title,
            title,
            message,
            _("Request ID"),
            rid,
        )


def error_response(
    request: HttpRequest,
    status: int,
    *,
    message=None,
    kept: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The error page (or, under ``/api/``, the JSON answer) of ``status``."""
    rid = request_id(request)
    with translation.override(_language(request)):
        title, default = PAGES[status]
        text = str(message or default)
        if is_api(request):
            response = JsonResponse(
                {"detail": text, "request_id": rid},
                status=status,
                json_dumps_params={"ensure_ascii": False},
            )
        else:
            response = HttpResponse(_html(status, str(title), text, rid, kept or []), status=status)
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = "60"
    return response


# --- The database is down -------------------------------------------------------------------


def kept_input(request: HttpRequest) -> list[tuple[str, str]]:
    """``(label, value)`` of what the user typed into a form that asks for it to be kept.

    The view names the fields (``outage_kept_fields``) and the form their labels
    (``outage_form_class``). Only a POST that passes the CSRF check is echoed back, so another
    site cannot make the page show text of its choosing.
    """
    if request.method != "POST":
        return []
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    view_class = getattr(match.func, "view_class", None)
    names = getattr(view_class, "outage_kept_fields", ())
    form_class = getattr(view_class, "outage_form_class", None)
    if not names:
        return []
    try:
        if CsrfViewMiddleware(lambda r: None).process_view(request, match.func, (), {}):
            return []
        data = request.POST
    except Exception:
        return []
    kept = []
    for name in names:
        value = data.get(name, "").strip()
        if not value:
            continue
        field = form_class.base_fields.get(name) if form_class else None
        label = field.label if field is not None and field.label else name
        kept.append((str(label), value[:4000]))
    return kept


def database_unavailable(request: HttpRequest) -> HttpResponse:
    return error_response(request, 503, kept=kept_input(request))


def exception_response(request: HttpRequest, exc: BaseException | None) -> HttpResponse | None:
    """The page of an exception that has one of its own; ``None`` for the general 500."""
    if isinstance(exc, OperationalError | InterfaceError):
        log.error("The database cannot be reached (%s).", request.path, exc_info=exc)
        return database_unavailable(request)
    if isinstance(exc, crypto.DecryptionError):
        log.error("A stored value does not decrypt (%s).", request.path, exc_info=exc)
        return error_response(request, 500, message=DECRYPTION_FAILED)
    return None


# --- Django's handlers (guangong/urls.py) ---------------------------------------------------


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413)
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    # Our own PermissionDenied messages are written for users (and translated); Django's bare
    # ones have none.
    message = exception.args[0] if exception is not None and exception.args else None
    return error_response(request, 403, message=message)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    # Never the exception's text: "not found" and "out of scope" must read the same.
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, so it is still the current one.
    return exception_response(request, sys.exc_info()[1]) or error_response(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(request, 403, message=CSRF_FAILED)


def api_exception_handler(exc, context_):
    """DRF's answer, with the request id beside its ``detail``."""
    response = exception_handler(exc, context_)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("request_id", request_id(context_["request"]))
    return response
