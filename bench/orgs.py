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

import argparse
import hashlib
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DATABASES = {
    "sqlite": os.environ.get("BENCH_SQLITE_URL", f"sqlite:///{VAR / 'bench.sqlite3'}"),
    "postgres": os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/guangong_bench"
    ),
}
LEVELS = (("province", "650000"), ("city", "654000"), ("county", "654002"))
TARGET_MS = 100  # organisation pages (issue: foundation)
PEOPLE_TARGET_MS = 150  # people lists of a city with ~70,000 people (issue: people)


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def configure(db: str) -> None:
    """Settings for a production-like run against the bench database (before django.setup)."""
    VAR.mkdir(exist_ok=True)
    if db == "postgres":
        ensure_postgres_database(DATABASES[db])
    os.environ["DJANGO_SETTINGS_MODULE"] = "guangong.settings"
    os.environ["DATABASE_URL"] = DATABASES[db]
    os.environ["DEBUG"] = "0"  # no query log, as in production
    os.environ["CONN_MAX_AGE"] = "600"  # persistent connections, as in production
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("GUANGONG_VAR_DIR", str(VAR))
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    import django

    django.setup()


def generator_fingerprint() -> str:
    """Changes whenever the demo generator does, so that a stale bench region is rebuilt."""
    digest = hashlib.sha256()
    for source in sorted((ROOT / "guangong" / "demo").glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def ensure_region(db: str, scale: str, seed: int) -> int:
    """Load the demo region unless the bench database already holds this scale and seed."""
    from django.core.management import call_command

    from guangong.demo.loader import load
    from guangong.orgs.models import Organization

    call_command("migrate", verbosity=0)
    marker = VAR / f"bench-{db}.json"
    wanted = {"scale": scale, "seed": seed, "generator": generator_fingerprint()}
    if marker.exists():
        saved = json.loads(marker.read_text())
        count = Organization.objects.count()
        if {k: saved.get(k) for k in wanted} == wanted and saved.get("organizations") == count:
            print(f"Reusing the {scale} region (seed {seed}, {count:,} organisations).")
            return count
    print(f"Loading the {scale} region (seed {seed}) into the {db} bench database…", flush=True)
    result = load(scale, seed, reset=True)
    print(f"  {result.organizations:,} organisations in {result.seconds:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would give
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    marker.write_text(json.dumps({**wanted, "organizations": result.organizations}))
    return result.organizations


def bench_user(level: str, org):
    """A system administrator at ``org`` (a demo account, so that --reset removes it)."""
    from guangong.accounts.models import User
    from guangong.accounts.roles import Role

    user, _ = User.objects.update_or_create(
        username=f"bench-{level}",
        defaults={"organization": org, "role": Role.SYSTEM_ADMIN, "is_demo": True},
    )
    return user


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def measure(client, url: str, repeat: int, warmup: int) -> tuple[list[float], int]:
    """Milliseconds of ``repeat`` requests after ``warmup``, and the SQL queries of one."""
    from django.db import connection

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    return samples, len(queries)


def machine() -> str:
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            database = "SQLite " + cursor.fetchone()[0]
    python = f"Python {platform.python_version()}"
    return f"{database}, {python}, {os.cpu_count()} cores ({cpu})"


def run(db: str, repeat: int, warmup: int, scale: str, seed: int) -> None:
    configure(db)
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
            sample = measure(client, url, *runs)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--scale", default="province")
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
