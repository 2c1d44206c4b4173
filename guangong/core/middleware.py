import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import context, errors, health

# A proxy's request id is kept if it looks like one (hex, UUID, ULID …); otherwise we mint one.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PUBLIC_PREFIXES = ("/accounts/login/", "/help/", "/static/", "/api/", "/i18n/")


def client_ip(request) -> str | None:
    """The client address, trusting only as many X-Forwarded-For hops as proxies we run."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    return request.META.get("REMOTE_ADDR") or None


class ChineseByDefaultMiddleware:
    """The interface is Chinese unless the user picks another language (the language cookie).

    Browsers announce their own UI language, which says little about what a committee's staff
    read; so Accept-Language is ignored and LANGUAGE_CODE (zh-hans) is the default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestContextMiddleware:
    """Gives each request an id (echoed as X-Request-ID) and records its client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        ctx = context.RequestContext(
            ip=client_ip(request),
            request_id=request_id,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        request.request_id = request_id
        with context.bind(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class LoginRequiredMiddleware:
    """Every page needs a login except the login page, the public help desk (/help/), static
    files and the token-auth API.

    Also keeps the session's two clocks. Absolute: a session ends SESSION_ABSOLUTE_SECONDS after
    login, whatever the activity. Idle: the session expires SESSION_COOKIE_AGE after it was last
    saved, and a request saves it (renewing the expiry) only when the last save is older than
    SESSION_TOUCH_SECONDS, so that an active user's pages do not each write the session table.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.user.is_authenticated:
            session = request.session
            started = session.get("login_at")
            now = int(time.time())
            if started is None:
                session["login_at"] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={path}")
            seen = session.get("seen_at")
            if seen is None or now - seen >= settings.SESSION_TOUCH_SECONDS:
                session["seen_at"] = now  # modified: the session is saved with a new expiry
        elif not path.startswith(PUBLIC_PREFIXES):
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={path}")
        return self.get_response(request)


class HealthProbeMiddleware:
    """Answers ``/healthz`` and ``/readyz`` (``core.health``) before sessions, users, host and
    CSRF checks: a probe sends no cookie, may name the server by its address, and must get
    its answer even when the database is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return health.liveness_response(request)
        if request.path_info == "/readyz":
            return health.readiness_response(request)
        return self.get_response(request)


class RequestSizeMiddleware:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE gets the 413 page before anything reads it.

    Multipart bodies carry uploaded files, which that limit does not count: their other fields
    are measured while the body is parsed, and ``errors.bad_request`` turns that
    ``RequestDataTooBig`` into the same 413.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and not request.content_type.startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return errors.error_response(request, 413)
        return self.get_response(request)


class ErrorPagesMiddleware:
    """A view that fails because the database is down answers the 503 page; one that meets a
    value it cannot decrypt answers the 500 page saying so (``core.errors``).

    Exceptions raised by other middleware never reach ``process_exception``; ``handler500``
    (``errors.server_error``) gives them the same pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return errors.exception_response(request, exception)
