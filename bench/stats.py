"""Speed of the activity statistics on a province with ten million activities.

    .venv/bin/python bench/stats.py [--db sqlite|postgres|both] [--activities 10000000]
                                    [--regenerate] [--repeat 30] [--warmup 3] [--writes 200]

Uses its own databases — var/bench-stats.sqlite3 and
postgres://postgres@127.0.0.1:5432/guangong_bench_stats (created if missing;
BENCH_STATS_SQLITE_URL / BENCH_STATS_POSTGRES_URL override them). The first run (or
``--regenerate``):

1. loads ``guangong demo --scale province`` (≈69,000 organisations, ≈300,000 people) and drops
   its demo activities;
2. writes ``--activities`` activities over the four calendar years up to today, with elder rows
   for about a fifth of them (``stats_ledger``: COPY on PostgreSQL, executemany on SQLite);
3. builds the counters with ``activities.bulk.rebuild`` (timed) and runs ANALYZE.

The database is kept for later runs (var/bench-stats-<db>.json records what it holds). Then:

* ``Figures(org, period).activities`` (``stats.activities.summary()``) for the root, a city
  (伊犁州), a county (伊宁市) and a township of it,
  over this year (本年) and over the four years: 3 warm-up + 30 timed runs each, median and
  p95, SQL queries of one run; the same through ``GET /api/stats/summary/`` when that
  endpoint exists, as a logged-in system administrator;
* recording, editing and deleting one activity at the township through ``services``
  (``save_activity`` with two elders and their hours; ``delete_activity``): 200 runs each,
  every one committed, the ledger left as it was;
* the size of the ledger and counter tables.

The pivot is timed beside the summary on the same databases by ``bench/pivot.py``.

Method and figures: docs/benchmarks.md ("Activity statistics").
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

from common import VAR, configure, machine, percentile

DATABASES = {
    "sqlite": os.environ.get("BENCH_STATS_SQLITE_URL", f"sqlite:///{VAR / 'bench-stats.sqlite3'}"),
    "postgres": os.environ.get(
        "BENCH_STATS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/guangong_bench_stats"
    ),
}
LEVELS = (("province", "650000"), ("city", "654000"), ("county", "654002"))
SUMMARY_TARGET_MS = 100
RECORD_TARGET_MS = 20
GENERATOR_VERSION = 1


def say(text: str) -> None:
    print(text, flush=True)


def timed(fn, repeat: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def count_queries(fn) -> int:
    from django.db import connection

    queries = []

    def note(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        fn()
    return len(queries)


def line(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), percentile(samples, 95)


# --- The database ---------------------------------------------------------------------------


def ensure_data(db: str, scale: str, activities: int, seed: int, regenerate: bool, today) -> dict:
    import stats_ledger
    from django.core.management import call_command
    from django.db import connection

    from guangong.activities import bulk
    from guangong.activities.models import Activity
    from guangong.demo import activities as demo_activities
    from guangong.demo.loader import load
    from guangong.orgs.models import Organization

    call_command("migrate", verbosity=0)
    marker = VAR / f"bench-stats-{db}.json"
    start = datetime.date(today.year - 3, 1, 1)
    wanted = {
        "scale": scale,
        "activities": activities,
        "seed": seed,
        "start": start.isoformat(),
        "end": today.isoformat(),
        "version": GENERATOR_VERSION,
    }
    if marker.exists() and not regenerate:
        saved = json.loads(marker.read_text())
        if {k: saved.get(k) for k in wanted} == wanted and saved.get(
            "ledger"
        ) == Activity.objects.count():
            say(f"Reusing the {db} bench database ({saved['ledger']:,} activities).")
            return saved
    region_marker = VAR / f"bench-stats-{db}-region.json"
    region_wanted = {"scale": scale, "seed": seed, "end": today.isoformat()}
    region = json.loads(region_marker.read_text()) if region_marker.exists() else {}
    if regenerate or {k: region.get(k) for k in region_wanted} != region_wanted:
        say(f"Loading the {scale} region (seed {seed}) into the {db} bench database…")
        started = time.perf_counter()
        loaded = load(scale, seed, reset=True, today=today)
        region = {
            **region_wanted,
            "organizations": loaded.organizations,
            "elders": loaded.elders,
            "load_seconds": round(time.perf_counter() - started, 1),
        }
        region_marker.write_text(json.dumps(region))
        say(f"  {loaded.organizations:,} organisations, {loaded.elders:,} elders")
        say(f"  in {region['load_seconds']:.0f} s")
    else:
        say(f"Reusing the {scale} region; writing the ledger again.")
    demo_activities.remove_all()
    load_seconds = region["load_seconds"]
    say(f"Writing {activities:,} activities from {start} to {today}…")
    keep = VAR / f"bench-stats-{db}-indexes.json"
    written = stats_ledger.write(seed, activities, start, today, say, keep)
    say(
        f"  {written['activities']:,} activities, {written['links']:,} elder rows: "
        f"{written['write_seconds']} s to write, {written['index_seconds']} s to index"
    )
    analyze(connection)
    say("Building the counters (bulk.rebuild)…")
    started = time.perf_counter()
    counters, sets = bulk.rebuild()
    rebuild_seconds = time.perf_counter() - started
    say(f"  {counters:,} counter rows, {sets:,} engaged-elder sets in {rebuild_seconds:.0f} s")
    analyze(connection)
    info = {
        **written,
        **wanted,  # the requested count under "activities"; the ledger's under "ledger"
        "organizations": Organization.objects.count(),
        "ledger": Activity.objects.count(),
        "load_seconds": round(load_seconds, 1),
        "rebuild_seconds": round(rebuild_seconds, 1),
        "counter_rows": counters,
        "sets": sets,
    }
    marker.write_text(json.dumps(info, indent=1))
    return info


def analyze(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def sizes() -> list[tuple[str, int, int]]:
    """(table, rows, bytes incl. indexes) of the ledger and the counters."""
    from django.db import connection

    from guangong.activities.models import (
        Activity,
        ActivityElder,
        ActivityMonth,
        ActivityYear,
        EngagedElders,
    )

    out = []
    with connection.cursor() as cursor:
        for model in (Activity, ActivityElder, ActivityMonth, ActivityYear, EngagedElders):
            table = model._meta.db_table
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            rows = cursor.fetchone()[0]
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                size = cursor.fetchone()[0]
            else:
                try:
                    cursor.execute(
                        "SELECT SUM(pgsize) FROM dbstat WHERE name = %s OR name IN "
                        "(SELECT name FROM sqlite_master WHERE tbl_name = %s)",
                        [table, table],
                    )
                    size = cursor.fetchone()[0] or 0
                except Exception:  # dbstat not compiled in
                    size = 0
            out.append((table, rows, size))
    return out


def database_size(db: str) -> int:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    path = DATABASES[db].removeprefix("sqlite:///")
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


# --- Measuring ------------------------------------------------------------------------------


def bench_user(org):
    from guangong.accounts.models import User
    from guangong.accounts.roles import Role

    user, _ = User.objects.update_or_create(
        username="bench-stats",
        defaults={"organization": org, "role": Role.SYSTEM_ADMIN, "is_demo": True},
    )
    return user


def places():
    from guangong.orgs.models import Kind, Organization

    out = [(level, Organization.objects.get(division_code=code)) for level, code in LEVELS]
    county = out[-1][1]
    township = (
        Organization.objects.get_children(county).filter(kind=Kind.TOWNSHIP).order_by("path")[0]
    )
    return [*out, ("township", township)]


def has_api() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/stats/summary/")
    except Resolver404:
        return False
    return True


def measure_summaries(today, repeat: int, warmup: int) -> list[dict]:
    from django.test import Client

    from guangong.activities.models import Activity
    from guangong.core.periods import Period
    from guangong.orgs.models import Organization
    from guangong.stats.figures import Figures

    end = datetime.date(today.year, 12, 31)
    periods = (
        ("this year", Period.year(today.year)),
        ("four years", Period(datetime.date(today.year - 3, 1, 1), end)),
    )
    api = has_api()
    results = []
    root = Organization.objects.get(depth=1)
    client = None
    if api:
        client = Client()
        client.force_login(bench_user(root))
    for level, org in places():
        subtree = Organization.objects.within_path(org.path).count()
        for name, period in periods:
            ledger = (
                Activity.objects.within_path(org.path)
                .filter(date__gte=period.start, date__lte=period.end)
                .count()
            )
            call = lambda org=org, period=period: Figures(org, period).activities  # noqa: E731
            row = {
                "what": "summary()",
                "level": level,
                "org": org.name,
                "subtree": subtree,
                "period": name,
                "activities": ledger,
                "queries": count_queries(call),
                "samples": timed(call, repeat, warmup),
            }
            results.append(row)
            say(f"  {level} {name}: median {line(row['samples'])[0]:.1f} ms")
            if api:
                url = (
                    f"/api/stats/summary/?org={org.pk}"
                    f"&from={period.start:%Y-%m-%d}&to={period.end:%Y-%m-%d}"
                )

                def get(url=url):
                    response = client.get(url)
                    if response.status_code != 200:
                        raise SystemExit(f"{url} answered {response.status_code}")

                api_row = {**row, "what": "GET /api/stats/summary/"}
                api_row["queries"] = count_queries(get)
                api_row["samples"] = timed(get, repeat, warmup)
                results.append(api_row)
                say(f"  {level} {name} (API): median {line(api_row['samples'])[0]:.1f} ms")
    return results


def measure_writes(today, runs: int) -> list[dict]:
    """Record, edit and delete one activity at the township, each committed, ``runs`` times."""
    from guangong.activities import services
    from guangong.activities.models import Activity
    from guangong.audit.models import AuditLog
    from guangong.core.scope import subtree_q
    from guangong.dicts.models import DictItem, DictKind
    from guangong.orgs.models import Organization
    from guangong.people.models import Elder

    township = places()[-1][1]
    current = Elder.objects.current().filter(active=True).order_by("pk")
    elders = list(
        current.filter(subtree_q("organization__path", township.path)).values_list("pk", flat=True)
    )[:2]
    actor = bench_user(township)
    if len(elders) < 2:  # elders of the county serve at the township: its clerk records them
        county_path = township.path[: -township.steplen]
        actor = bench_user(Organization.objects.get(path=county_path))
        elders = list(
            current.filter(subtree_q("organization__path", county_path)).values_list(
                "pk", flat=True
            )[:2]
        )
    talk = DictItem.objects.get(kind=DictKind.ACTIVITY_TYPE, label="主题宣讲")
    care = DictItem.objects.get(kind=DictKind.ACTIVITY_TYPE, label="关爱帮扶")
    audit_before = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    samples = {"record": [], "edit": [], "delete": []}
    for i in range(runs + 3):
        day = today - datetime.timedelta(days=i % 90)
        started = time.perf_counter()
        activity = services.save_activity(
            actor,
            Activity(
                organization=township,
                type=talk,
                title="“五老”进企业 主题宣讲",
                date=day,
                participants=120,
            ),
            elders=dict.fromkeys(elders, "2"),
        )
        recorded = time.perf_counter()
        activity.participants = 30  # plausible for 关爱帮扶
        activity.type = care
        activity.date = day - datetime.timedelta(days=40)  # another month and type
        services.save_activity(actor, activity, elders={elders[0]: "3"})
        edited = time.perf_counter()
        services.delete_activity(actor, activity)
        deleted = time.perf_counter()
        if i >= 3:  # warm-up
            samples["record"].append((recorded - started) * 1000)
            samples["edit"].append((edited - recorded) * 1000)
            samples["delete"].append((deleted - edited) * 1000)
    AuditLog.objects.filter(pk__gt=audit_before, user=actor).delete()
    return [
        {"what": what, "org": township.name, "samples": values} for what, values in samples.items()
    ]


# --- Reporting ------------------------------------------------------------------------------


def report(db: str, info: dict, summaries: list[dict], writes: list[dict], today) -> None:
    say("")
    say(f"### {machine()}")
    say("")
    say(
        f"{info['organizations']:,} organisations; {info['ledger']:,} activities "
        f"({info['start']} to {info['end']}), {info.get('links', 0):,} elder rows. "
        f"Counters: {info['counter_rows']:,} rows, {info['sets']:,} engaged-elder sets, "
        f"built by bulk.rebuild in {info['rebuild_seconds']} s."
    )
    say("")
    say(
        "| call | level | organisations in subtree | period | activities in period "
        "| SQL queries | median ms | p95 ms |"
    )
    say("|---|---|---:|---|---:|---:|---:|---:|")
    for row in summaries:
        median, p95 = line(row["samples"])
        flag = "" if p95 <= row.get("target", SUMMARY_TARGET_MS) else " ⚠"
        say(
            f"| {row['what']} | {row['level']} ({row['org']}) | {row['subtree']:,} "
            f"| {row['period']} | {row['activities']:,} | {row['queries']} "
            f"| {median:.1f} | {p95:.1f}{flag} |"
        )
    say("")
    say("| write at the township | runs | median ms | p95 ms |")
    say("|---|---:|---:|---:|")
    for row in writes:
        median, p95 = line(row["samples"])
        flag = "" if p95 <= RECORD_TARGET_MS else " ⚠"
        runs = len(row["samples"])
        say(f"| {row['what']} ({row['org']}) | {runs} | {median:.1f} | {p95:.1f}{flag} |")
    say("")
    say("| table | rows | size MB (with indexes) |")
    say("|---|---:|---:|")
    for table, rows, size in sizes():
        say(f"| {table} | {rows:,} | {size / 2**20:,.0f} |")
    say(f"\nWhole database: {database_size(db) / 2**30:.2f} GB")
    out = VAR / f"bench-stats-{db}-results.json"
    out.write_text(
        json.dumps(
            {
                "info": info,
                "summaries": [
                    {**r, "median": line(r["samples"])[0], "p95": line(r["samples"])[1]}
                    for r in summaries
                ],
                "writes": [
                    {**r, "median": line(r["samples"])[0], "p95": line(r["samples"])[1]}
                    for r in writes
                ],
                "today": today.isoformat(),
            },
            indent=1,
            ensure_ascii=False,
            default=str,
        )
    )


def add_today_argument(parser) -> None:
    """``--today``: the ledger's last day, to reuse a database built on an earlier day."""
    parser.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        help="The ledger's last day (default: today, local): reuses a database built that day.",
    )


def today_argument(args) -> list[str]:
    """``--today`` as given, for a child process."""
    return ["--today", args.today.isoformat()] if args.today else []


def run(db: str, args) -> None:
    configure(DATABASES[db])
    from django.utils import timezone

    today = args.today or timezone.localdate()
    info = ensure_data(db, args.scale, args.activities, args.seed, args.regenerate, today)
    if args.build_only:
        return
    say("Timing the summaries…")
    summaries = measure_summaries(today, args.repeat, args.warmup)
    say("Timing record / edit / delete…")
    writes = measure_writes(today, args.writes)
    report(db, info, summaries, writes, today)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    add_today_argument(parser)
    parser.add_argument("--activities", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", default="province", help="The demo region to load.")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--build-only", action="store_true", help="Only generate and count.")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--writes", type=int, default=200)
    args = parser.parse_args()
    if args.db != "both":
        run(args.db, args)
        return
    # Settings are read once per process: one child process per database, one after the other.
    for db in ("postgres", "sqlite"):
        command = [sys.executable, __file__, "--db", db, "--activities", str(args.activities)]
        command += ["--seed", str(args.seed), "--scale", args.scale, "--repeat", str(args.repeat)]
        command += ["--warmup", str(args.warmup), "--writes", str(args.writes)]
        command += today_argument(args)
        command += ["--regenerate"] * args.regenerate + ["--build-only"] * args.build_only
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
