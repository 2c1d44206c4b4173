"""What the benchmark scripts share: their databases, Django set-up, timing and the machine.

The scripts run as ``python bench/<name>.py``, so this module is imported as ``common``.
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
# Where the scripts keep their SQLite files, markers and sheets; bench/compare.py gives each
# side of its comparison a directory of its own, so that the full-scale databases stay as they are.
VAR = Path(os.environ.get("BENCH_VAR_DIR") or ROOT / "var")


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def configure(database_url: str) -> None:
    """Production-like settings against a bench database, then ``django.setup()``."""
    VAR.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("postgres"):
        ensure_postgres_database(database_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "guangong.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"  # no query log, as in production
    os.environ["CONN_MAX_AGE"] = "600"  # persistent connections, as in production
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("GUANGONG_VAR_DIR", str(VAR))
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    import django

    django.setup()


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def measure(client, url: str, repeat: int, warmup: int) -> tuple[list[float], list[str]]:
    """Milliseconds of ``repeat`` requests after ``warmup``, and the SQL of one request."""
    from django.db import connection

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    queries: list[str] = []

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
    return samples, queries


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


def generator_fingerprint() -> str:
    """Changes whenever the demo generator does, so that a stale bench region is rebuilt."""
    digest = hashlib.sha256()
    for source in sorted((ROOT / "guangong" / "demo").glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def ensure_region(db: str, scale: str, seed: int, name: str = "bench") -> int:
    """Load the demo region unless the bench database already holds this scale and seed
    (recorded in var/<name>-<db>.json)."""
    from django.core.management import call_command

    from guangong.demo.loader import load
    from guangong.orgs.models import Organization

    call_command("migrate", verbosity=0)
    marker = VAR / f"{name}-{db}.json"
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


def region_main(doc: str, script: str, run, scale: str) -> None:
    """The command line of a bench on a demo region: ``run(db, repeat, warmup, scale, seed)``
    for one database, or for both, each in a child process (settings are read once)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--scale", default=scale)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.db != "both":
        run(args.db, args.repeat, args.warmup, args.scale, args.seed)
        return
    for db in ("sqlite", "postgres"):
        command = [sys.executable, script, "--db", db, "--repeat", str(args.repeat)]
        command += ["--warmup", str(args.warmup), "--scale", args.scale, "--seed", str(args.seed)]
        subprocess.run(command, check=True)  # noqa: S603


__all__ = [
    "ROOT",
    "VAR",
    "configure",
    "ensure_region",
    "generator_fingerprint",
    "machine",
    "measure",
    "percentile",
    "region_main",
]
