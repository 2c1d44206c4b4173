import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import context

# A proxy's request id is kept if it looks like one (hex, UUID, ULID …); otherwise we mint one.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PUBLIC_PREFIXES = ("/accounts/login/", "/help/", "/static/", "/api/", "/i18n/", "/healthz")


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

    Also ends a session absolutely SESSION_ABSOLUTE_SECONDS after login, whatever the activity
    (the idle limit is SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.user.is_authenticated:
            started = request.session.get("login_at")
            now = int(time.time())
            if started is None:
                request.session["login_at"] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={path}")
        elif not path.startswith(PUBLIC_PREFIXES):
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={path}")
        return self.get_response(request)
