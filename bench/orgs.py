"""Server time of the organisation pages on a province-scale tree (≈70,000 organisations).

    .venv/bin/python bench/orgs.py [--db sqlite|postgres|both] [--repeat 30]

Uses its own databases — var/bench.sqlite3 and postgres://postgres@127.0.0.1:5432/guangong_bench
(created if missing; BENCH_SQLITE_URL and BENCH_POSTGRES_URL override them), loads
``guangong demo --scale province`` into them once (reused while scale, seed and organisation
count match), then times through django.test.Client, logged in as a system administrator at
each level (province root, 伊犁州, 伊宁市):

* the organisation list filtered to the user's subtree, first page   GET /orgs/?org=<id>
* the coverage table of that subtree                                 GET /orgs/coverage/?org=<id>
* the API list of that subtree, first page                           GET /api/orgs/?subtree=<id>
* the elder and the young-people lists of that subtree, first page   GET /people/elders/?org=<id>

Each request is warmed up, then repeated; the median and 95th percentile are printed as a
Markdown table. Method and figures: docs/benchmarks.md.
"""

import os
import statistics
import sys

from common import VAR, configure, ensure_region, machine, measure, percentile, region_main

DATABASES = {
    "sqlite": os.environ.get("BENCH_SQLITE_URL", f"sqlite:///{VAR / 'bench.sqlite3'}"),
    "postgres": os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/guangong_bench"
    ),
}
LEVELS = (("province", "650000"), ("city", "654000"), ("county", "654002"))
TARGET_MS = 100  # organisation pages (issue: foundation)
PEOPLE_TARGET_MS = 150  # people lists of a city with ~70,000 people (issue: people)


def bench_user(level: str, org):
    """A system administrator at ``org`` (a demo account, so that --reset removes it)."""
    from guangong.accounts.models import User
    from guangong.accounts.roles import Role

    user, _ = User.objects.update_or_create(
        username=f"bench-{level}",
        defaults={"organization": org, "role": Role.SYSTEM_ADMIN, "is_demo": True},
    )
    return user


def run(db: str, repeat: int, warmup: int, scale: str, seed: int) -> None:
    configure(DATABASES[db])
    from django.test import Client

    from guangong.orgs.models import Organization, Position
    from guangong.people.models import Elder, Youth

    total = ensure_region(db, scale, seed)
    runs = (repeat, warmup)
    rows = []
    for level, code in LEVELS:
        org = Organization.objects.get(division_code=code)
        subtree = Organization.objects.within_path(org.path).count()
        positions = Position.objects.within_path(org.path).count()
        people = Elder.objects.within_path(org.path).count()
        people += Youth.objects.within_path(org.path).count()
        client = Client()
        client.force_login(bench_user(level, org))
        pages = (
            ("list", f"/orgs/?org={org.pk}"),
            ("coverage", f"/orgs/coverage/?org={org.pk}"),
            ("api", f"/api/orgs/?subtree={org.pk}"),
            ("elders", f"/people/elders/?org={org.pk}"),
            ("youth", f"/people/youth/?org={org.pk}"),
        )
        for page, url in pages:
            samples, queries = measure(client, url, *runs)
            sample = (samples, len(queries))
            rows.append((page, level, org.name, subtree, positions, people, sample))
    print()
    print(f"### {machine()}")
    print()
    print(f"{total:,} organisations; {repeat} requests after {warmup} warm-up requests each.")
    print()
    print(
        "| page | user at | organisations in subtree | positions in subtree "
        "| people in subtree | SQL queries | median ms | p95 ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for page, level, name, subtree, positions, people, (samples, queries) in rows:
        p95 = percentile(samples, 95)
        target = PEOPLE_TARGET_MS if page in ("elders", "youth") else TARGET_MS
        flag = "" if p95 < target else " ⚠"
        print(
            f"| {page} | {level} ({name}) | {subtree:,} | {positions:,} | {people:,} "
            f"| {queries} | {statistics.median(samples):.1f} | {p95:.1f}{flag} |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    region_main(__doc__, __file__, run, scale="province")
