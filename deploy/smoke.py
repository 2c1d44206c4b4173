"""Production smoke test: start the stack the README's Production section describes, on
loopback, and crawl it as every demo persona.

    .venv/bin/python deploy/smoke.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
                                     [--redis-url redis://127.0.0.1:6379/5] [--pages 300]

It makes a scratch PostgreSQL database, runs ``migrate`` and ``collectstatic`` with
``GUANGONG_ENV=production``, loads the small demo region, starts gunicorn (deploy/gunicorn.conf.py)
and one huey worker against Redis, then signs in as each demo account and follows every link of
the site up to ``--pages`` pages each, fetches every static file the pages name and every API list
of the OpenAPI schema with a token. It prints a table and exits 1 on any 5xx, any static file not
served, or a sign-in that fails. Everything it starts it stops; the scratch database is dropped.
"""

from __future__ import annotations

import argparse
import collections
import html.parser
import http.client
import json
import sys
import time
import urllib.parse

from stack import Stack

PERSONAS = [
    "demo-city",
    "demo-county-a",
    "demo-county-b",
    "demo-town-a",
    "demo-unit-a",
    "demo-care-a",
]
PASSWORD = "guangong-demo"  # the demo accounts' published password
SKIP = ("/accounts/logout/", "/i18n/", "/api/docs/", "/admin/")


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []
        self.csrf = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.assets.append(a["href"])
        elif tag in ("script", "img") and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "input" and a.get("name") == "csrfmiddlewaretoken":
            self.csrf = a.get("value", "")


class Browser:
    """Just enough of a browser: cookies by hand (the site's are Secure; we speak plain HTTP
    to gunicorn and say X-Forwarded-Proto: https, as the TLS proxy would)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        head = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Referer": f"https://127.0.0.1{path}",
            **(headers or {}),
        }
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=head)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                cookie, _, content = pair.partition("=")
                self.cookies[cookie.strip()] = content.strip()
        conn.close()
        return response.status, dict(response.getheaders()), data

    def login(self, username: str) -> bool:
        status, _, data = self.request("GET", "/accounts/login/")
        parser = Links()
        parser.feed(data.decode("utf-8", "replace"))
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": parser.csrf}
        )
        status, headers, _ = self.request(
            "POST",
            "/accounts/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status == 302


def crawl(port: int, username: str, limit: int, failures: list, assets: set, notes: list) -> dict:
    browser = Browser(port)
    if not browser.login(username):
        failures.append(f"{username}: sign-in failed")
        return {}
    statuses: collections.Counter = collections.Counter()
    queue = collections.deque(["/"])
    seen = {"/"}
    came_from = {"/": "-"}
    while queue and sum(statuses.values()) < limit:
        path = queue.popleft()
        status, headers, data = browser.request("GET", path)
        statuses[status // 100 * 100] += 1
        if status >= 500:
            failures.append(f"{username}: {status} GET {path}")
            continue
        if status >= 400:  # a link a page offers that leads nowhere: worth a look, not a failure
            notes.append(f"{username}: {status} GET {path} (linked from {came_from[path]})")
        if "text/html" not in headers.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(data.decode("utf-8", "replace"))
        assets.update(a for a in parser.assets if a.startswith("/"))
        for href in parser.links:
            url = urllib.parse.urljoin(path, href)
            parts = urllib.parse.urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or parts.path.startswith(SKIP):
                continue
            # One page of each list is enough: drop sort and page parameters' variety.
            if any(p in parts.query for p in ("page=", "sort=")) and len(seen) > limit // 2:
                continue
            seen.add(target)
            came_from[target] = path
            queue.append(target)
    return dict(statuses)


def crawl_api(port: int, username: str, failures: list) -> dict:
    browser = Browser(port)
    body = json.dumps({"username": username, "password": PASSWORD})
    status, _, data = browser.request(
        "POST", "/api/auth/token/", body, {"Content-Type": "application/json"}
    )
    if status != 200:
        failures.append(f"{username}: token {status}")
        return {}
    token = json.loads(data)["token"]
    auth = {"Authorization": f"Token {token}", "Accept": "application/json"}
    status, _, data = browser.request("GET", "/api/schema/?format=json", headers=auth)
    if status != 200:
        failures.append(f"{username}: schema {status}")
        return {}
    statuses: collections.Counter = collections.Counter()
    for path, operations in json.loads(data)["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        status, _, _ = browser.request("GET", path, headers=auth)
        statuses[status // 100 * 100] += 1
        if status >= 500:
            failures.append(f"{username}: {status} GET {path} (API)")
    return dict(statuses)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--pages", type=int, default=300, help="pages to visit per persona")
    args = parser.parse_args()

    failures: list[str] = []
    started = time.monotonic()
    with Stack(database_url=args.database_url, redis_url=args.redis_url) as stack:
        port = stack.port
        results = {}
        assets: set[str] = set()
        notes: list[str] = []
        for username in PERSONAS:
            results[username] = crawl(port, username, args.pages, failures, assets, notes)
            results[f"{username} (API)"] = crawl_api(port, username, failures)
        static = Browser(port)
        for asset in sorted(assets):
            status, _, _ = static.request("GET", asset)
            if status != 200:
                failures.append(f"static {asset}: {status}")
        results["static files"] = {200: len(assets)}
        for probe in ("/healthz", "/readyz", "/metrics"):
            status, _, data = Browser(port).request("GET", probe)
            results[probe] = {status // 100 * 100: 1}
            if status != 200:
                failures.append(f"{probe} {status}: {data.decode()[:300]}")
    for note in notes[:40]:
        print("  4xx:", note)
    return report(failures, results, started)


def report(failures: list[str], results: dict, started: float) -> int:
    print(f"\n{'who':<28}{'2xx':>7}{'3xx':>7}{'4xx':>7}{'5xx':>7}")
    for who, counts in results.items():
        row = "".join(f"{counts.get(c, 0):>7}" for c in (200, 300, 400, 500))
        print(f"{who:<28}{row}")
    print(f"\n{time.monotonic() - started:.0f} s")
    if failures:
        print(f"\nFAILED: {len(failures)} problems")
        for failure in failures[:100]:
            print("  ", failure)
        return 1
    print("production smoke test passed: no 5xx, every static file served")
    return 0


if __name__ == "__main__":
    sys.exit(main())
