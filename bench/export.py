"""Speed of the elder list's export (五老, the whole demo city ≈ 65,000 rows) as a background job.

    .venv/bin/python bench/export.py [--db sqlite|postgres|both] [--repeat 7] [--old]

Uses its own databases — var/bench-export.sqlite3 and
postgres://postgres@127.0.0.1:5432/guangong_bench_export (created if missing;
BENCH_EXPORT_SQLITE_URL / BENCH_EXPORT_POSTGRES_URL override them). It loads the demo city
(``guangong demo --scale city --seed 1``) once and tops the city's elders up to ``--elders``
(64,731 by default, the figure of a large city; added without ID numbers). Then, for the
city's administrator (demo-city, who sees the whole city), it asks for the export of the elder
list as the page does (``?export=xlsx``: more than EXPORT_SYNC_MAX_ROWS rows, so a job) and
runs that job as the worker does (``jobs.services.execute``: the list view rebuilt for the
user, the count, the rows read with values_list in chunks, the streaming .xlsx writer, the
file saved, the audit record and the job's end in one transaction), ``--repeat`` times after
one warm-up; it reports the median and 95th percentile in seconds, the rows and the file
size. ``--old`` also times once the way the export worked before (the table's values through
django-tables2 and openpyxl's write-only workbook, in the web request).

Method and figures: docs/benchmarks.md ("List exports").
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

from common import VAR, configure, machine, percentile

DATABASES = {
    "sqlite": os.environ.get(
        "BENCH_EXPORT_SQLITE_URL", f"sqlite:///{VAR / 'bench-export.sqlite3'}"
    ),
    "postgres": os.environ.get(
        "BENCH_EXPORT_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/guangong_bench_export"
    ),
}
TARGET_SECONDS = 8


def say(text: str) -> None:
    print(text, flush=True)


def ensure_city() -> None:
    from django.core.management import call_command

    from guangong.demo.loader import load
    from guangong.people.models import Elder

    call_command("migrate", verbosity=0)
    if Elder.objects.exists():
        return
    say("Loading the demo city (seed 1)…")
    started = time.perf_counter()
    loaded = load("city", 1, reset=True)
    say(f"  {loaded.elders:,} elders in {time.perf_counter() - started:.0f} s")


def top_up(user, target: int) -> None:
    """Add elders to the city (spread like the demo's, without ID numbers) until its list
    holds ``target`` rows: the demo city has ≈25,000, a large real city ≈65,000."""
    import datetime
    import random

    from guangong.dicts.models import DictItem, DictKind
    from guangong.orgs.models import Organization
    from guangong.people import bulk
    from guangong.people.models import Elder

    listed = Elder.objects.visible_to(user).current()
    missing = target - listed.count()
    if missing <= 0:
        return
    say(f"Adding {missing:,} elders to reach {target:,}…")
    rng = random.Random(7)  # noqa: S311 - test data
    org_ids = list(listed.values_list("organization_id", flat=True))
    orgs = Organization.objects.in_bulk(set(org_ids))
    names = list(listed.values_list("name", flat=True)[:5000])
    categories = list(
        DictItem.objects.filter(kind=DictKind.ELDER_CATEGORY).values_list("pk", flat=True)
    )
    rows = [
        {
            "organization": orgs[rng.choice(org_ids)],
            "name": rng.choice(names) + rng.choice("甲乙丙丁"),
            "sex": rng.choice("MF"),
            "birth_date": datetime.date(1940 + rng.randrange(25), 1 + rng.randrange(12), 1),
            "phone": f"139{rng.randrange(10**8):08d}",
        }
        for _ in range(missing)
    ]
    bulk.create_rows(
        user,
        Elder,
        rows,
        id_numbers=[""] * missing,
        m2m={"categories": [rng.sample(categories, rng.choice((1, 1, 2))) for _ in rows]},
        import_batch="bench-export-top-up",
    )


def list_request(user):
    from django.test import RequestFactory
    from django.urls import resolve

    request = RequestFactory().get("/people/elders/", {"export": "xlsx"})
    request.user = user
    request.resolver_match = resolve("/people/elders/")
    request._messages = type("Messages", (), {"add": lambda *args, **kwargs: None})()
    return request


def export_job(user):
    from guangong.jobs import services
    from guangong.jobs.exports import start_list_export

    services.immediate = lambda: False  # queue nothing: this process runs the job itself
    services.put = lambda job: True
    return start_list_export(list_request(user), "五老")


def run(db: str, repeat: int, old: bool, elders: int) -> None:
    configure(DATABASES[db])
    ensure_city()
    from django.core.files.storage import default_storage

    from guangong.accounts.models import User
    from guangong.jobs import services
    from guangong.jobs.models import Job
    from guangong.people.models import Elder

    user = User.objects.get(username="demo-city")
    top_up(user, elders)
    say(f"{db}: {machine()}")
    say(f"  {Elder.objects.current().count():,} elders in the city")
    samples = []
    for attempt in range(repeat + 1):
        job = export_job(user)
        started = time.perf_counter()
        services.execute(str(job.pk))
        seconds = time.perf_counter() - started
        job.refresh_from_db()
        if job.status != "succeeded":
            raise SystemExit(f"the export failed: {job.message}")
        size = job.result_file.size
        default_storage.delete(job.result_file.name)
        Job.objects.filter(pk=job.pk).delete()
        if attempt:  # the first one warms the caches up
            samples.append(seconds)
        say(f"  run {attempt}: {seconds:.2f} s, {job.summary['rows']:,} rows, {size:,} bytes")
    median, p95 = statistics.median(samples), percentile(samples, 95)
    verdict = "under" if p95 < TARGET_SECONDS else "OVER"
    say(f"  export job: median {median:.2f} s, p95 {p95:.2f} s ({verdict} {TARGET_SECONDS} s)")
    if old:
        say(f"  before (table + openpyxl): {old_way(user):.1f} s")


def old_way(user) -> float:
    """The export as it was: the table's values, openpyxl, all in the request."""
    from guangong.core.export import build_xlsx
    from guangong.people.views import ElderListView

    view = ElderListView()
    view.setup(list_request(user))
    started = time.perf_counter()
    queryset = view.export_queryset()
    headers, rows = view.export_rows(queryset)
    build_xlsx("五老", headers, list(rows))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--old", action="store_true", help="Also time the export as it was.")
    parser.add_argument("--elders", type=int, default=64_731, help="Rows of the city's list.")
    args = parser.parse_args()
    if args.db != "both":
        run(args.db, args.repeat, args.old, args.elders)
        return
    # Settings are read once per process: one child process per database, one after the other.
    for db in ("postgres", "sqlite"):
        command = [sys.executable, __file__, "--db", db, "--repeat", str(args.repeat)]
        command += ["--elders", str(args.elders)]
        subprocess.run(command + ["--old"] * args.old, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
