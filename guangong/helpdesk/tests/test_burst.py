"""A hundred requests from one address within a minute: the limit holds, and no accepted
request is lost."""

import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import pytest
from django.core.cache import cache
from django.db import connection

from guangong.helpdesk.models import HelpRequest

from .conftest import form_data

BURST = 100
CODE_RE = re.compile(r'data-testid="tracking-code">([A-Z0-9]+)<')


def phone(i: int) -> str:
    return f"1390000{i:04d}"  # a different phone each: only the per-address limit applies


def test_a_sequential_burst_from_one_address(client, places, settings):
    cache.clear()
    allowed = settings.HELPDESK_LIMITS["submit_ip"][0]
    statuses, codes = [], []
    for i in range(BURST):
        response = client.post("/help/", form_data(places.county_a, phone=phone(i)))
        statuses.append(response.status_code)
        if response.status_code == 302:
            done = client.get(response["Location"]).content.decode()
            codes.append(CODE_RE.search(done).group(1))
        else:
            assert response.status_code == 429
            assert "请求过于频繁" in response.content.decode()
    assert statuses.count(302) == allowed
    assert statuses[:allowed] == [302] * allowed
    assert set(HelpRequest.objects.values_list("code", flat=True)) == set(codes)
    assert len(codes) == allowed


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(base_url: str, data: dict) -> tuple[int, str]:
    """One requester with its own cookies: the CSRF pair, the form, then the code page."""
    csrf = secrets.token_hex(16)  # an unmasked 32-character token matching the cookie
    opener = urllib.request.build_opener(_NoRedirect)
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": csrf}).encode()
    request = urllib.request.Request(
        f"{base_url}/help/", data=body, headers={"Cookie": f"csrftoken={csrf}"}
    )
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            return exc.code, exc.read().decode()
        session = SimpleCookie(exc.headers["Set-Cookie"])["sessionid"].value
        location = exc.headers["Location"]
    done = urllib.request.Request(base_url + location, headers={"Cookie": f"sessionid={session}"})
    with opener.open(done, timeout=60) as response:
        return 302, response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_burst_from_one_address(live_server, places, settings):
    """Sixteen clients at once against the live server. On SQLite the test database lives in
    memory and the live server shares one connection among its threads, which cannot serve
    simultaneous requests; the burst runs on PostgreSQL (the sequential burst runs on both)."""
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database cannot serve concurrent requests")
    cache.clear()
    allowed = settings.HELPDESK_LIMITS["submit_ip"][0]
    forms = [form_data(places.county_a, phone=phone(i)) for i in range(BURST)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda data: _post(live_server.url, data), forms))
    accepted = [body for status, body in results if status == 302]
    refused = [body for status, body in results if status == 429]
    assert len(accepted) == allowed, sorted({status for status, _ in results})
    assert len(refused) == BURST - allowed
    assert all("请求过于频繁" in body for body in refused)
    codes = {CODE_RE.search(body).group(1) for body in accepted}
    assert len(codes) == allowed
    assert set(HelpRequest.objects.values_list("code", flat=True)) == codes
