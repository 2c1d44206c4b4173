"""What protects every page: login required, security headers, request ids, client addresses,
and settings that refuse an unsafe production start."""

import re

import pytest

from guangong.audit.models import Action, AuditLog
from guangong.core import crypto
from guangong.core.tests.support import start_django
from guangong.orgs.models import Organization

GOOD_SECRET = "k7Qm2vX9pL4rT8wZ1cF6hJ3nB5yD0sGa"  # 32 characters, not the default

# --- Anonymous visitors ---------------------------------------------------------------------

PAGES = [
    "/",
    "/orgs/",
    "/orgs/{org}/",
    "/orgs/{org}/edit/",
    "/orgs/new/",
    "/orgs/coverage/",
    "/orgs/tree/",
    "/orgs/choices/?q=伊",
    "/audit/",
    "/accounts/users/",
    "/accounts/users/new/",
    "/accounts/password/",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, tree, url):
    path = url.format(org=tree.county_a.pk)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path.split('?')[0]}"
    assert "伊" not in response.content.decode()


def test_anonymous_posts_change_nothing(client, tree):
    count = Organization.objects.count()

    response = client.post(
        f"/orgs/new/?parent={tree.county_a.pk}", {"name": "匿名单位", "kind": "agency"}
    )

    assert response.status_code == 302
    assert Organization.objects.count() == count


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/orgs/"),
        ("get", "/api/orgs/{org}/"),
        ("post", "/api/orgs/"),
        ("patch", "/api/orgs/{org}/"),
        ("delete", "/api/orgs/{org}/"),
        ("get", "/api/positions/"),
        ("post", "/api/positions/"),
    ],
)
def test_anonymous_api_calls_are_unauthorised(client, tree, method, url):
    response = getattr(client, method)(url.format(org=tree.county_a.pk))

    assert response.status_code == 401
    assert "伊" not in response.content.decode()
    assert Organization.objects.filter(pk=tree.county_a.pk).exists()


def test_the_login_page_and_health_check_are_public(client, db):
    assert client.get("/accounts/login/").status_code == 200
    health = client.get("/healthz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})


# --- Headers --------------------------------------------------------------------------------


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/",
        "/orgs/",
        "/orgs/{org}/",
        "/orgs/{org}/edit/",
        "/orgs/coverage/",
        "/audit/",
    ],
)
def test_pages_carry_a_strict_content_security_policy(client, tree, city_admin, url):
    if url != "/accounts/login/":
        client.force_login(city_admin)

    response = client.get(url.format(org=tree.county_a.pk))

    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive in policy.values():
        assert "'unsafe-inline'" not in directive
        assert "'unsafe-eval'" not in directive
    html = response.content.decode()
    # What the policy would block must not be on the page: inline scripts, handlers, styles.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert not re.search(r"\sstyle\s*=", html)
    assert "javascript:" not in html


def test_pages_carry_the_other_security_headers(client, tree, city_admin):
    client.force_login(city_admin)

    response = client.get("/orgs/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# --- Request ids and client addresses -------------------------------------------------------


@pytest.mark.parametrize("url", ["/healthz", "/accounts/login/", "/orgs/", "/api/orgs/"])
def test_a_clean_request_id_is_echoed(client, db, url):
    response = client.get(url, HTTP_X_REQUEST_ID="abc123DEF")

    assert response["X-Request-ID"] == "abc123DEF"


def test_a_proxy_uuid_request_id_is_kept(client, db):
    """A reverse proxy's UUID (with dashes) ties our audit rows to its access log."""
    sent = "0b6f3c1e-8a7d-4f8e-9c61-2d3e4f5a6b7c"

    assert client.get("/healthz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent", ["", "with space", "semi;colon", "a" * 65, "-leading-dash", "<script>"], ids=repr
)
def test_an_unsafe_request_id_is_replaced(client, db, sent):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)

    assert response["X-Request-ID"] != sent
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_gets_its_own_id(client, db):
    ids = {client.get("/healthz")["X-Request-ID"] for _ in range(3)}

    assert len(ids) == 3


def test_an_error_response_has_a_request_id_too(client, tree, b_admin):
    client.force_login(b_admin)

    response = client.get(f"/orgs/{tree.county_a.pk}/")

    assert response.status_code == 404
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.parametrize(
    ("proxies", "forwarded", "ip"),
    [
        # Without a trusted proxy (the default), X-Forwarded-For is ignored.
        (None, "203.0.113.9", "127.0.0.1"),
        # Behind one: the hop our own proxy added, not what the client claimed before it.
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
    ],
    ids=["no-trusted-proxy", "one-trusted-proxy"],
)
def test_the_audited_address_is_the_clients(
    client, tree, a_admin, password, settings, proxies, forwarded, ip
):
    if proxies is not None:
        settings.TRUSTED_PROXY_COUNT = proxies
    client.post(
        "/accounts/login/",
        {"username": "a_admin", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
    )

    assert AuditLog.objects.get(action=Action.LOGIN).ip == ip


# --- Production refuses unsafe settings -----------------------------------------------------


#: Real (random) field-encryption keys, as production must set them.
FIELD_KEYS = {
    "FIELD_ENCRYPTION_KEYS": "k1:" + crypto.generate_key(),
    "FIELD_HASH_KEY": crypto.generate_key(),
}


@pytest.mark.parametrize(
    ("env", "starts"),
    [
        ({}, True),  # the embedded default needs no variable at all
        ({"GUANGONG_ENV": "production"}, False),  # default secret
        ({"GUANGONG_ENV": "production", "SECRET_KEY": GOOD_SECRET, **FIELD_KEYS}, True),
        ({"GUANGONG_ENV": "production", "SECRET_KEY": GOOD_SECRET}, False),  # no field keys
        ({"GUANGONG_ENV": "production", "SECRET_KEY": GOOD_SECRET, "DEBUG": "1"}, False),
        ({"GUANGONG_ENV": "production", "SECRET_KEY": "short-secret"}, False),
        (
            {
                "GUANGONG_ENV": "production",
                "SECRET_KEY": "guangong-insecure-development-key-change-me",
            },
            False,
        ),
        ({"DEBUG": "0"}, False),  # DEBUG off is production-like: the default secret is refused
        ({"DEBUG": "0", "SECRET_KEY": GOOD_SECRET}, True),
        ({"DEBUG": "maybe"}, False),  # a typo is an error, not a silent default
    ],
    ids=[
        "default",
        "production-default-secret",
        "production-good",
        "production-no-field-keys",
        "production-debug",
        "production-short-secret",
        "production-spelled-out-default-secret",
        "debug-off-default-secret",
        "debug-off-good",
        "debug-typo",
    ],
)
def test_production_refuses_to_start_unsafely(tmp_path, env, starts):
    start_django(tmp_path, starts, **env)


# --- Exports and language -------------------------------------------------------------------


def test_an_exported_name_never_runs_as_a_formula(client, tree, city_admin):
    from guangong.core.tests.support import xlsx_rows
    from guangong.orgs.tests.factories import OrganizationFactory

    OrganizationFactory(parent=tree.county_b, name='=HYPERLINK("http://evil.example","点我")')
    client.force_login(city_admin)

    rows = xlsx_rows(client.get("/orgs/", {"export": "xlsx"}))

    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","点我")' in names
    assert not any(str(n).startswith("=") for n in names)


def test_an_export_is_audited_with_its_filters(client, tree, a_admin):
    client.force_login(a_admin)

    client.get("/orgs/", {"export": "xlsx", "q": "墩买里"})

    record = AuditLog.objects.get(action=Action.EXPORT)
    assert (record.user, record.org_path) == (a_admin, tree.county_a.path)
    assert "1" in record.message
    assert "q=" in record.message


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "de", "zh-CN"])
def test_pages_are_chinese_whatever_the_browser_asks(client, db, accept):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept)

    assert '<html lang="zh-hans">' in response.content.decode()


def test_a_user_may_switch_to_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    response = client.get("/accounts/login/")

    assert '<html lang="en">' in response.content.decode()


# --- API schema and docs ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_api_schema_and_docs_are_for_signed_in_users(client, client_for, tree, a_viewer, url):
    assert client.get(url).status_code == 401

    response = client_for(a_viewer).get(url)

    assert response.status_code == 200
    if url == "/api/docs/":
        # Swagger UI comes from our own origin: no CDN in a page the CSP would block anyway.
        body = response.content.decode()
        assert "/static/drf_spectacular_sidecar/" in body
        assert "cdn" not in body.lower()
