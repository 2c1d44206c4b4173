"""What the benchmark scripts share: their databases, Django set-up, timing and the machine.

The scripts run as ``python bench/<name>.py``, so this module is imported as ``common``.
"""

import os
import platform
import secrets
import statistics
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


__all__ = ["ROOT", "VAR", "configure", "machine", "measure", "percentile"]
