"""Speed of the to-do centre (待办) for the demo city's administrator.

    .venv/bin/python bench/todo.py [--db sqlite|postgres|both] [--repeat 30] [--warmup 3]

Uses its own databases — var/bench-todo.sqlite3 and
postgres://postgres@127.0.0.1:5432/guangong_todo (created if missing; BENCH_TODO_SQLITE_URL and
BENCH_TODO_POSTGRES_URL override them) — and loads ``guangong demo --scale city`` into them
once (reused while scale, seed and organisation count match). Then, as the demo's city account
(``demo-city``, a system administrator of the city who also works on cases):

* the header's badge: ``home.todo.Todo(user).count`` (what every page adds);
* the to-do list: ``Todo(user).items()``, and each kind the user has items of;
* the possible duplicates worked out afresh (they are kept ten minutes, or until a merge);
* the pages: GET /todo/ and GET /api/todo/ through django.test.Client.

Each is warmed up, then repeated; the median, the 95th percentile and the SQL queries of one
run are printed as a Markdown table (target: p95 under 80 ms for the badge and the list).
"""

import os
import statistics
import sys

from common import VAR, configure, ensure_region, machine, measure, percentile, region_main
from stats import count_queries, timed

DATABASES = {
    "sqlite": os.environ.get("BENCH_TODO_SQLITE_URL", f"sqlite:///{VAR / 'bench-todo.sqlite3'}"),
    "postgres": os.environ.get(
        "BENCH_TODO_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/guangong_todo"
    ),
}
TARGET_MS = 80
USERNAME = "demo-city"


def run(db: str, repeat: int, warmup: int, scale: str, seed: int) -> None:
    configure(DATABASES[db])
    from django.test import Client
    from django.utils import timezone

    from guangong.accounts.models import User
    from guangong.home.todo import Todo, kinds

    total = ensure_region(db, scale, seed, name="bench-todo")
    user = User.objects.select_related("organization").get(username=USERNAME)
    found = Todo(user).groups()

    def line(what: str, fn) -> tuple:
        return what, timed(fn, repeat, warmup), count_queries(fn)

    def afresh():  # the possible duplicates once they are no longer kept (a merge, 10 min)
        kinds.forget_duplicates()
        return kinds.duplicates(user, timezone.now()).items()

    rows = [
        line("badge (count)", lambda: Todo(user).count),
        line("list (items)", lambda: Todo(user).items()),
        *(
            line(f"  {g.kind.key}", lambda k=g.kind: k.find(user, timezone.now()).items())
            for g in found
        ),
        line("  duplicates, worked out afresh", afresh),
    ]
    client = Client()
    client.force_login(user)
    for url in ("/todo/", "/api/todo/"):
        samples, queries = measure(client, url, repeat, warmup)
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


if __name__ == "__main__":
    region_main(__doc__, __file__, run, scale="city")
