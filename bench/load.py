"""Throughput of the production stack under a mixed load, this commit beside a baseline commit.

    .venv/bin/python bench/load.py [--baseline 365fdc8] [--users 25,50,100,200] [--seconds 40]

For each of the two commits it starts the production stack on loopback (deploy/stack.py:
PostgreSQL, Redis, gunicorn with deploy/gunicorn.conf.py, one huey worker, the demo city), then
runs the same scenario at each number of users: every user signs in once and then loops — a page,
a think time of 0.5–1.5 s, the next — over a fixed mix: staff pages (home, lists, details,
statistics, reports) 60 %, API clients (lists and the statistics summary, by token) 25 %,
help-desk visitors (the public form and status page) 15 %. It reports requests per second, p50,
p95 and p99 in milliseconds, errors (5xx and timeouts) and the CPU seconds spent by the web
processes, the worker, the load generator and the rest (PostgreSQL, Redis) during each level.
Users sign in before a level's timed window starts.

A baseline checkout that cannot collect its static files (a vendored file naming a missing
source map) gets an empty map file, so that it can be measured at all.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))

from stack import Stack  # noqa: E402

PASSWORD = "guangong-demo"
STAFF = ["demo-county-a", "demo-town-a", "demo-city", "demo-unit-a", "demo-county-b"]
LISTS = [
    "/",
    "/activities/",
    "/people/elders/",
    "/people/youth/",
    "/orgs/",
    "/stats/",
    "/reports/",
]
API = ["/api/activities/", "/api/elders/", "/api/orgs/", "/api/stats/summary/"]
PUBLIC = ["/help/", "/help/status/"]
DETAIL = re.compile(r'href="(/(?:activities|people/elders|orgs|reports)/\d+/)"')


class Client:
    """One keep-alive HTTP/1.1 connection with its cookies (asyncio streams)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None

    async def request(self, method, path, body=b"", headers=None) -> tuple[int, bytes]:
        for attempt in (1, 2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                return await self._send(method, path, body, headers or {})
            except (ConnectionError, asyncio.IncompleteReadError):
                self.writer = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _send(self, method, path, body, headers):
        head = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"10.0.{random.randrange(256)}.{random.randrange(1, 255)}",
            "Referer": f"https://127.0.0.1{path}",
            "Content-Length": str(len(body)),
            **headers,
        }
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in head.items()), "", ""]
        self.writer.write("\r\n".join(lines).encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.lower() == "close":
                close = True
            elif name == "set-cookie":
                cookie, _, content = value.split(";", 1)[0].partition("=")
                self.cookies[cookie.strip()] = content.strip()
        data = await self.reader.readexactly(length) if length else b""
        if close:
            self.writer.close()
            self.writer = None
        return status, data

    async def login(self, username: str) -> None:
        _, page = await self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        status, _ = await self.request(
            "POST", "/accounts/login/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            raise RuntimeError(f"{username} could not sign in ({status})")

    async def token(self, username: str) -> str:
        body = json.dumps({"username": username, "password": PASSWORD}).encode()
        status, data = await self.request(
            "POST", "/api/auth/token/", body, {"Content-Type": "application/json"}
        )
        if status != 200:
            raise RuntimeError(f"{username} got no token ({status})")
        return json.loads(data)["token"]


async def discover(port: int) -> list[str]:
    """Detail pages to visit: the first links of each list, as county A sees them."""
    client = Client(port)
    await client.login("demo-county-a")
    found: list[str] = []
    for path in LISTS[1:]:
        _, page = await client.request("GET", path)
        found += DETAIL.findall(page.decode("utf-8", "replace"))[:10]
    return sorted(set(found))


async def user(n: int, port: int, details: list[str], window: dict, samples: list, errors: list):
    rng = random.Random(n)
    client = Client(port)
    kind = rng.random()
    if kind < 0.60:
        await client.login(STAFF[n % len(STAFF)])
        paths, headers = LISTS + details, {}
    elif kind < 0.85:
        token = await client.token(STAFF[n % len(STAFF)])
        paths, headers = API, {"Authorization": f"Token {token}", "Accept": "application/json"}
    else:
        paths, headers = PUBLIC, {}
    # Signing in (Argon2, on purpose slow) is not what is measured: every user waits until all
    # have signed in, then the timed window starts.
    window["ready"] += 1
    await window["start"].wait()
    await asyncio.sleep(rng.uniform(0, 1))  # users arrive spread over a second
    while time.monotonic() < window["until"]:
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            status, _ = await asyncio.wait_for(client.request("GET", path, headers=headers), 30)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
            errors.append(f"{path}: {type(error).__name__}")
            client.writer = None
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if status >= 500:
            errors.append(f"{path}: {status}")
        else:
            samples.append(elapsed)
        await asyncio.sleep(rng.uniform(0.5, 1.5))


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def total_cpu_seconds() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = sum(int(v) for i, v in enumerate(fields) if i not in (3, 4))  # all but idle, iowait
    return busy / os.sysconf("SC_CLK_TCK")


def level(stack: Stack, users: int, seconds: int, details: list[str]) -> dict:
    samples: list[float] = []
    errors: list[str] = []
    pids = stack.pids()
    before: dict[str, float] = {}
    timing: dict[str, float] = {}

    async def run():
        window = {"ready": 0, "start": asyncio.Event(), "until": 0.0}
        tasks = [
            asyncio.create_task(user(n, stack.port, details, window, samples, errors))
            for n in range(users)
        ]
        while window["ready"] < users:
            await asyncio.sleep(0.05)
        before.update(
            web=cpu_seconds(pids["web"]),
            worker=cpu_seconds(pids["worker"]),
            total=total_cpu_seconds(),
            load=time.process_time(),
        )
        timing["started"] = time.monotonic()
        window["until"] = timing["started"] + seconds
        window["start"].set()
        await asyncio.gather(*tasks)
        timing["wall"] = time.monotonic() - timing["started"]

    asyncio.run(run())
    wall = timing["wall"]
    web = cpu_seconds(pids["web"]) - before["web"]
    worker = cpu_seconds(pids["worker"]) - before["worker"]
    load = time.process_time() - before["load"]
    total = total_cpu_seconds() - before["total"]
    cpu = {
        "web": web,
        "worker": worker,
        "load generator": load,
        "db and the rest": max(total - web - worker - load, 0.0),
    }
    q = statistics.quantiles(samples, n=100, method="inclusive") if len(samples) > 1 else [0] * 99
    return {
        "users": users,
        "rps": round(len(samples) / wall, 1),
        "p50": round(q[49], 1),
        "p95": round(q[94], 1),
        "p99": round(q[98], 1),
        "errors": len(errors),
        "first_errors": errors[:5],
        "cpu_s": {k: round(v, 1) for k, v in cpu.items()},
    }


def checkout(commit: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix="guangong-baseline-"))
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(target), commit],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for asset in (target / "guangong").rglob("static/**/*.min.js"):
        match = re.search(r"sourceMappingURL=(\S+\.map)", asset.read_text(errors="replace"))
        if match and not (asset.parent / match.group(1)).exists():
            (asset.parent / match.group(1)).write_text("{}")
    return target


def measure(name: str, source: Path, users: list[int], seconds: int) -> list[dict]:
    rows = []
    with Stack(source, scale="city", workers=int(os.environ.get("GUNICORN_WORKERS", 4))) as stack:
        details = asyncio.run(discover(stack.port))
        for n in users:
            row = level(stack, n, seconds, details)
            row["commit"] = name
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="365fdc8", help="commit to compare with")
    parser.add_argument("--users", default="25,50,100,200")
    parser.add_argument("--seconds", type=int, default=40, help="duration of each level")
    parser.add_argument("--only-current", action="store_true")
    args = parser.parse_args()
    users = [int(n) for n in args.users.split(",")]
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    rows = []
    if not args.only_current:
        baseline = checkout(args.baseline)
        try:
            rows += measure(args.baseline, baseline, users, args.seconds)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)],
                check=False,
            )
    rows += measure(head, ROOT, users, args.seconds)
    print(
        "\n| commit | users | req/s | p50 ms | p95 ms | p99 ms | errors | CPU s: web / worker / "
        "load / db+rest |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        cpu = list(r["cpu_s"].values())
        print(
            f"| {r['commit']} | {r['users']} | {r['rps']} | {r['p50']} | {r['p95']} | "
            f"{r['p99']} | {r['errors']} | {' / '.join(str(c) for c in cpu)} |"
        )


if __name__ == "__main__":
    main()
