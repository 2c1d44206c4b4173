"""Speed of the to-do centre (待办) for the demo city's administrator.

    .venv/bin/python bench/todo.py [--db sqlite|postgres|both] [--repeat 30] [--warmup 3]

Uses its own databases — var/bench-todo.sqlite3 and
postgres://postgres@127.0.0.1:5432/guangong_todo (created if missing; BENCH_TODO_SQLITE_URL and
BENCH_TODO_POSTGRES_URL override them) — and loads ``guangong demo --scale city`` into them
once (reused while scale, seed and organisation count match). Then, as the demo's city account
(``demo-city``, a system administrator of the city who also works on cases):

* the header's badge: ``home.todo.Todo(user).count`` (what every page adds);
* the to-do list: ``Todo(user).items()``;
* the pages: GET /todo/ and GET /api/todo/ through django.test.Client.

Each is warmed up, then repeated; the median, the 95th percentile and the SQL queries of one
run are printed as a Markdown table (target: p95 under 80 ms for the badge and the list).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from common import VAR, configure, machine, measure, percentile

DATABASES = {
    "sqlite": os.environ.get("BENCH_TODO_SQLITE_URL", f"sqlite:///{VAR / 'bench-todo.sqlite3'}"),
    "postgres": os.environ.get(
        "BENCH_TODO_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/guangong_todo"
    ),
}
TARGET_MS = 80
USERNAME = "demo-city"


def ensure_region(db: str, scale: str, seed: int) -> int:
    from django.core.management import call_command
    from django.db import connection

    from guangong.demo.loader import load
    from guangong.orgs.models import Organization

    call_command("migrate", verbosity=0)
    marker = VAR / f"bench-todo-{db}.json"
    wanted = {"scale": scale, "seed": seed}
    if marker.exists():
        saved = json.loads(marker.read_text())
        count = Organization.objects.count()
        if {k: saved.get(k) for k in wanted} == wanted and saved.get("organizations") == count:
            print(f"Reusing the {scale} region (seed {seed}, {count:,} organisations).")
            return count
    print(f"Loading the {scale} region (seed {seed}) into the {db} bench database…", flush=True)
    result = load(scale, seed, reset=True)
    print(f"  {result.organizations:,} organisations in {result.seconds:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    marker.write_text(json.dumps({**wanted, "organizations": result.organizations}))
    return result.organizations


def timed(fn, repeat: int, warmup: int) -> tuple[list[float], int]:
    """Milliseconds of ``repeat`` calls after ``warmup``, and the SQL queries of one call."""
    from django.db import connection

    for _ in range(warmup):
        fn()
    queries = []

    def note(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, len(queries)


def run(db: str, repeat: int, warmup: int, scale: str, seed: int) -> None:
    configure(DATABASES[db])
    from django.test import Client
    from django.utils import timezone

    from guangong.accounts.models import User
    from guangong.home.todo import KINDS, Todo

    total = ensure_region(db, scale, seed)
    user = User.objects.select_related("organization").get(username=USERNAME)
    runs = (repeat, warmup)
    found = Todo(user).groups()
    rows = [
        ("badge (count)", *timed(lambda: Todo(user).count, *runs)),
        ("list (items)", *timed(lambda: Todo(user).items(), *runs)),
    ]
    kinds = {k.key: k for k in KINDS}
    for group in found:
        kind = kinds[group.kind.key]
        rows.append(
            (
                f"  {kind.key}",
                *timed(lambda kind=kind: kind.find(user, timezone.now()).items(), *runs),
            )
        )
    client = Client()
    client.force_login(user)
    for url in ("/todo/", "/api/todo/"):
        samples, queries = measure(client, url, *runs)
        rows.append((f"GET {url}", samples, len(queries)))
    print()
    print(f"### {machine()}")
    print()
    print(
        f"{total:,} organisations; {user.username} at {user.organization.name}; "
        f"{sum(g.count for g in found)} items ("
        + ", ".join(f"{g.kind.key} {g.count}" for g in found)
        + f"); {repeat} runs after {warmup} warm-up runs each."
    )
    print()
    print("| what | SQL queries | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for what, samples, queries in rows:
        p95 = percentile(samples, 95)
        flag = " ⚠" if p95 >= TARGET_MS and not what.startswith(" ") else ""
        print(f"| {what} | {queries} | {statistics.median(samples):.1f} | {p95:.1f}{flag} |")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--scale", default="city")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.db != "both":
        run(args.db, args.repeat, args.warmup, args.scale, args.seed)
        return
    # Settings are read once per process: one child process per database.
    for db in ("sqlite", "postgres"):
        command = [sys.executable, __file__, "--db", db, "--repeat", str(args.repeat)]
        command += ["--warmup", str(args.warmup), "--scale", args.scale, "--seed", str(args.seed)]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
