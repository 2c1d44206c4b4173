"""Speed of the pivot (统计分析 · 交叉表) on the province with ten million activities, beside
the statistics summary of the same run.

    .venv/bin/python bench/pivot.py [--db sqlite|postgres|both] [--repeat 30] [--warmup 3]
                                    [--ledger-repeat 3] [--activities 10000000]

Uses the activity statistics bench's databases (``bench/stats.py`` builds them the first time,
or here if they are missing: see its docstring; the same ``BENCH_STATS_*`` variables). Then,
for the root (the province) and a city (伊犁州), over this year and over the four years:

* ``Figures(org, period).activities`` (``stats.summary()``), as ``bench/stats.py`` does;
* the pivot child organisation × activity type (``stats.pivot.pivot``), also as it was before
  the yearly counters (every month from ``ActivityMonth``), and
  ``GET /api/stats/pivot/?…&rows=child&cols=type`` as a logged-in system administrator (the
  API answers the links of every figure too): 3 warm-up and 30 timed runs each, median and
  p95, SQL queries of one run (target p95 150 ms);
* the questions the counters do not hold, which count the ledger (child × audience,
  child × team kind, elders by child): ``--ledger-repeat`` runs each, over this year.

Method and figures: docs/benchmarks.md ("The pivot at province scale").
"""

import argparse
import contextlib
import datetime
import json
import subprocess
import sys

import stats as stats_bench
from common import VAR, configure, machine

PIVOT_TARGET_MS = 150
#: (label, measure, rows, cols) of the pivots that read the ledger, timed a few times.
LEDGER_QUESTIONS = (
    ("child × audience", "sessions", "child", "audience"),
    ("child × team kind", "sessions", "child", "team_kind"),
    ("elders by child", "elders", "child", None),
)

say = stats_bench.say
line = stats_bench.line


def periods(today):
    from guangong.core.periods import Period

    end = datetime.date(today.year, 12, 31)
    return (
        ("this year", Period.year(today.year)),
        ("four years", Period(datetime.date(today.year - 3, 1, 1), end)),
    )


@contextlib.contextmanager
def months_only():
    """The pivot as it was before the yearly counters: every whole month from
    ``ActivityMonth`` (for the comparison in the same run)."""
    from guangong.stats import pivot as module

    spans = module._counter_spans
    module._counter_spans = lambda whole, by_month: spans(whole, True)
    try:
        yield
    finally:
        module._counter_spans = spans


def measure(today, repeat: int, warmup: int, ledger_repeat: int) -> list[dict]:
    from django.test import Client

    from guangong.orgs.models import Organization
    from guangong.stats.figures import Figures
    from guangong.stats.pivot import pivot

    root = Organization.objects.get(depth=1)
    client = Client()
    client.force_login(stats_bench.bench_user(root))
    results = []

    def add(row, fn, times=repeat, warm=warmup):
        row["queries"] = stats_bench.count_queries(fn)
        row["samples"] = stats_bench.timed(fn, times, warm)
        median, p95 = line(row["samples"]) if len(row["samples"]) > 1 else (row["samples"][0],) * 2
        say(f"  {row['what']} {row['level']} {row['period']}: median {median:.1f} p95 {p95:.1f} ms")
        results.append(row)

    for level, org in stats_bench.places()[:2]:
        subtree = Organization.objects.within_path(org.path).count()
        children = Organization.objects.get_children(org).count()
        for name, period in periods(today):
            base = {
                "level": level,
                "org": org.name,
                "subtree": subtree,
                "children": children,
                "period": name,
            }
            summary = lambda org=org, period=period: Figures(org, period).activities  # noqa: E731
            add({**base, "what": "summary()"}, summary)
            call = lambda org=org, period=period: pivot(org, period, "sessions", "child", "type")  # noqa: E731
            activities = call().total
            add({**base, "what": "pivot() child × type", "activities": activities}, call)
            with months_only():
                add({**base, "what": "pivot() child × type, months only (before)"}, call)
            url = (
                f"/api/stats/pivot/?org={org.pk}&from={period.start:%Y-%m-%d}"
                f"&to={period.end:%Y-%m-%d}&measure=sessions&rows=child&cols=type"
            )

            def get(url=url):
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")

            add({**base, "what": "GET /api/stats/pivot/ child × type"}, get)
        name, period = periods(today)[0]
        for label, measure_key, rows, cols in LEDGER_QUESTIONS:
            call = lambda org=org, period=period, m=measure_key, r=rows, c=cols: pivot(  # noqa: E731
                org, period, m, r, c
            )
            row = {
                "what": f"pivot() {label}",
                "level": level,
                "org": org.name,
                "subtree": subtree,
                "children": children,
                "period": name,
                "ledger": True,
            }
            add(row, call, times=max(ledger_repeat, 2), warm=1)
    return results


def counter_sizes() -> list[tuple[str, int]]:
    from guangong.activities.models import ActivityMonth, ActivityYear

    return [(m._meta.db_table, m.objects.count()) for m in (ActivityMonth, ActivityYear)]


def report(db: str, info: dict, results: list[dict], today) -> None:
    say("")
    say(f"### {machine()}")
    say("")
    say(
        f"{info['organizations']:,} organisations; {info['ledger']:,} activities "
        f"({info['start']} to {info['end']}). Counter rows: "
        + ", ".join(f"{table} {rows:,}" for table, rows in counter_sizes())
    )
    say("")
    say("| call | level (children) | period | SQL queries | median ms | p95 ms |")
    say("|---|---|---|---:|---:|---:|")
    for row in results:
        median, p95 = line(row["samples"])
        target = stats_bench.SUMMARY_TARGET_MS if row["what"] == "summary()" else PIVOT_TARGET_MS
        flag = "" if row.get("ledger") or p95 <= target else " ⚠"
        say(
            f"| {row['what']} | {row['level']} ({row['children']}) | {row['period']} "
            f"| {row['queries']} | {median:.1f} | {p95:.1f}{flag} |"
        )
    out = VAR / f"bench-pivot-{db}-results.json"
    out.write_text(
        json.dumps(
            {
                "info": info,
                "results": [
                    {**r, "median": line(r["samples"])[0], "p95": line(r["samples"])[1]}
                    for r in results
                ],
                "today": today.isoformat(),
            },
            indent=1,
            ensure_ascii=False,
            default=str,
        )
    )


def run(db: str, args) -> None:
    configure(stats_bench.DATABASES[db])
    from django.utils import timezone

    today = args.today or timezone.localdate()
    info = stats_bench.ensure_data(db, args.scale, args.activities, args.seed, False, today)
    say("Timing the summary and the pivot…")
    results = measure(today, args.repeat, args.warmup, args.ledger_repeat)
    report(db, info, results, today)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    stats_bench.add_today_argument(parser)
    parser.add_argument("--activities", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", default="province")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--ledger-repeat", type=int, default=3)
    args = parser.parse_args()
    if args.db != "both":
        run(args.db, args)
        return
    for db in ("postgres", "sqlite"):  # settings are read once per process
        command = [sys.executable, __file__, "--db", db, "--activities", str(args.activities)]
        command += ["--seed", str(args.seed), "--scale", args.scale, "--repeat", str(args.repeat)]
        command += ["--warmup", str(args.warmup), "--ledger-repeat", str(args.ledger_repeat)]
        command += stats_bench.today_argument(args)
        subprocess.run(command, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
