"""The same benchmarks on a baseline commit and on this checkout, interleaved in one run.

    .venv/bin/python bench/compare.py [--baseline 619db1a] [--db sqlite|postgres|both]
                                      [--bench orgs,people,stats] [--rounds 1] [--repeat 30]
                                      [--warmup 3] [--writes 100] [--regenerate] [--output FILE]

The baseline is checked out into a temporary git worktree (removed at the end); "this" is the
checkout this script belongs to, as it is (uncommitted changes included). Each side runs its own
copy of bench/orgs.py, bench/people.py and bench/stats.py with ``PYTHONPATH=<its checkout>`` and
the shared .venv's Python, against databases of its own (the scripts' URL overrides):

* SQLite files and the scripts' markers under var/compare/<side>/ of this checkout (the
  baseline's var/ is a link to it, so its data outlives the worktree);
* PostgreSQL databases ``guangong_ab_<side>_<benchmark>`` on 127.0.0.1:5432 (user postgres).

Sizes, smaller than the full-scale figures of docs/benchmarks.md so that a run takes minutes:
organisation pages on ``--scale city``; people import of 20,000 rows (``--runs 3``, no
django-import-export); statistics on ``--scale small`` with 200,000 activities and
``--writes`` record / edit / delete runs. Each side's data is built once (first a preparing run
per side and database, timed apart) and kept by the scripts; ``--regenerate`` builds it again.

Then the timed runs alternate — baseline, this, baseline, this — for every benchmark and
database, so that whatever else loads the machine loads both sides alike; ``--rounds`` repeats
the whole round (every other round starts with this side) and takes, for every row, the median
over the rounds. The printed tables of each run are parsed and one Markdown table per benchmark
and database is printed: median and p95 of each side, the change in %, ⚠ where this side is
slower by more than ``--threshold`` % (10). Every run's own output is kept under
var/compare/logs/<time>/. Method: docs/benchmarks.md ("The spine, before and after").
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

THIS = Path(__file__).resolve().parent.parent
PYTHON = THIS / ".venv" / "bin" / "python"
STORE = THIS / "var" / "compare"
POSTGRES = os.environ.get("BENCH_AB_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASES = ("sqlite", "postgres")


@dataclass(frozen=True)
class Bench:
    name: str
    script: str
    url_variables: dict[str, str]  # database -> the script's override of its URL
    arguments: tuple[str, ...]  # the sizes, for every run
    prepare: tuple[str, ...]  # a short run that builds the data (and migrates)


BENCHES = (
    Bench(
        "orgs",
        "orgs.py",
        {"sqlite": "BENCH_SQLITE_URL", "postgres": "BENCH_POSTGRES_URL"},
        ("--scale", "city"),
        ("--repeat", "2", "--warmup", "0"),
    ),
    Bench(
        "people",
        "people.py",
        {"sqlite": "BENCH_PEOPLE_SQLITE_URL", "postgres": "BENCH_PEOPLE_POSTGRES_URL"},
        ("--rows", "20000", "--iie-rows", "0", "--runs", "3"),
        ("--rows", "200", "--iie-rows", "0", "--runs", "1", "--repeat", "2", "--warmup", "0"),
    ),
    Bench(
        "stats",
        "stats.py",
        {"sqlite": "BENCH_STATS_SQLITE_URL", "postgres": "BENCH_STATS_POSTGRES_URL"},
        ("--scale", "small", "--activities", "200000"),
        ("--build-only",),
    ),
)


@dataclass
class Side:
    name: str  # "baseline" or "this"
    label: str  # a commit, for the tables
    checkout: Path
    key: str  # names its data: var/compare/<key>/, guangong_ab_<key>_<bench>
    seconds: dict[str, float] = field(default_factory=dict)
    reused: set[str] = field(default_factory=set)  # preparing runs that found the data kept

    @property
    def var(self) -> Path:
        return STORE / self.key

    def url(self, bench: Bench, db: str) -> str:
        if db == "sqlite":
            return f"sqlite:///{self.var / f'ab-{bench.name}.sqlite3'}"
        return f"{POSTGRES}/guangong_ab_{self.key}_{bench.name}"

    def environment(self, bench: Bench, db: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BENCH_", "DATABASE"))}
        env.update(
            PYTHONPATH=str(self.checkout),
            BENCH_VAR_DIR=str(self.var),  # the baseline's scripts ignore it: its var/ is a link
            GUANGONG_VAR_DIR=str(self.var / "app"),
        )
        env[bench.url_variables[db]] = self.url(bench, db)
        return env


def git(*args: str, cwd: Path = THIS) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(side: Side, bench: Bench, db: str, extra: list[str], log: Path, tally: str) -> str:
    """One run of a side's script; its output is kept in ``log`` and returned."""
    command = [str(PYTHON), str(side.checkout / "bench" / bench.script), "--db", db, *extra]
    say(f"  {side.name:8} {db:8} {bench.name:6} {' '.join(extra)}")
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=side.checkout,
        env=side.environment(bench, db),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    log.write_text(f"$ {' '.join(command)}\n\n{done.stdout}\n--- stderr\n{done.stderr}")
    if done.returncode:
        say(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"{side.name}: {bench.script} --db {db} failed (log: {log})")
    key = f"{tally} {db} {bench.name}"
    side.seconds[key] = side.seconds.get(key, 0.0) + seconds
    built = re.search(r"^(Loading|Writing) ", done.stdout, re.MULTILINE)
    if tally == "prepare" and bench.name != "people" and not built:
        side.reused.add(key)
    say(f"    {seconds:.0f} s")
    return done.stdout


# --- Reading what the scripts print --------------------------------------------------------

LABELS = ("step", "page", "user at", "call", "level", "period", "write at the township")
MEASURES = {"median ms": "median", "p95 ms": "p95", "seconds": "median"}


def number(cell: str) -> float | None:
    cell = cell.replace("*", "").replace("⚠", "").replace(",", "").strip()
    try:
        return float(cell)
    except ValueError:
        return None


def parse(output: str) -> dict[str, dict[str, float]]:
    """Every row of every timing table: {label: {"median": …, "p95": …, "queries": …}}.

    Tables with "median ms" / "p95 ms" give both (milliseconds); the people import's steps give
    "seconds" (the median of its runs; no p95). The people import's CPU-seconds sentence becomes
    a row of its own."""
    rows: dict[str, dict[str, float]] = {}
    lines = output.splitlines()
    index = 0
    while index < len(lines):
        if not lines[index].startswith("|"):
            index += 1
            continue
        table = []
        while index < len(lines) and lines[index].startswith("|"):
            table.append([c.strip() for c in lines[index].strip().strip("|").split("|")])
            index += 1
        header = table[0]
        if not any(h in MEASURES for h in header):
            continue
        unit = "s" if "seconds" in header else "ms"
        for cells in table[2:]:
            label = " · ".join(
                cells[i].replace("*", "").strip() for i, h in enumerate(header) if h in LABELS
            )
            row = {"unit": unit}
            for i, h in enumerate(header):
                if h in MEASURES:
                    row[MEASURES[h]] = number(cells[i])
                elif h == "SQL queries":
                    row["queries"] = number(cells[i])
            rows[label] = row
    cpu = re.search(r"end to end ([\d.]+) = ", output)
    if cpu:
        rows["end to end, CPU seconds (process + database backend)"] = {
            "unit": "s",
            "median": float(cpu.group(1)),
        }
    return rows


# --- The report -------------------------------------------------------------------------------


def merge(rounds: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """The median over the rounds of every figure of every row."""
    out: dict[str, dict[str, float]] = {}
    for parsed in rounds:
        for label, row in parsed.items():
            into = out.setdefault(label, {})
            for name, value in row.items():
                into.setdefault(name, []).append(value)
    return {
        label: {
            name: (values[0] if name == "unit" else statistics.median(values))
            for name, values in row.items()
            if all(v is not None for v in values)
        }
        for label, row in out.items()
    }


def change(before: float | None, after: float | None, threshold: float) -> str:
    if not before or after is None:
        return "—"
    percent = (after - before) / before * 100
    return f"{percent:+.1f} %" + (" ⚠" if percent > threshold else "")


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if unit == "s" else f"{value:.1f}"


def table(bench: Bench, db: str, sides: list[Side], results, threshold: float) -> list[str]:
    base, this = (merge(results[(side.name, bench.name, db)]) for side in sides)
    rounds = len(results[(sides[0].name, bench.name, db)])
    lines = [
        f"### {bench.script}, {'SQLite' if db == 'sqlite' else 'PostgreSQL'}",
        "",
        f"Baseline {sides[0].label}, this {sides[1].label}; "
        f"{'median over ' + str(rounds) + ' rounds of ' if rounds > 1 else ''}"
        "each script's median and p95 (ms, or s where the unit says so).",
        "",
        "| row | unit | SQL queries (baseline → this) | baseline median | baseline p95 "
        "| this median | this p95 | change median | change p95 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label in list(base) + [label for label in this if label not in base]:
        b, t = base.get(label, {}), this.get(label, {})
        unit = b.get("unit") or t.get("unit")
        queries = "—"
        if "queries" in b or "queries" in t:
            queries = f"{b.get('queries', 0):.0f} → {t.get('queries', 0):.0f}"
        lines.append(
            f"| {label} | {unit} | {queries} "
            f"| {fmt(b.get('median'), unit)} | {fmt(b.get('p95'), unit)} "
            f"| {fmt(t.get('median'), unit)} | {fmt(t.get('p95'), unit)} "
            f"| {change(b.get('median'), t.get('median'), threshold)} "
            f"| {change(b.get('p95'), t.get('p95'), threshold)} |"
        )
    return lines


def durations(sides: list[Side], benches, dbs) -> list[str]:
    lines = [
        "### Duration (wall clock, seconds)",
        "",
        "| side | database | benchmark | data build (preparing run) | timed runs |",
        "|---|---|---|---:|---:|",
    ]
    for side in sides:
        for db in dbs:
            for bench in benches:
                key = f"prepare {db} {bench.name}"
                build = f"{side.seconds.get(key, 0):.0f}"
                build += " (kept data)" if key in side.reused else ""
                timed = side.seconds.get(f"timed {db} {bench.name}", 0)
                lines.append(
                    f"| {side.name} ({side.label}) | {db} | {bench.name} | {build} | {timed:.0f} |"
                )
    return lines


# --- The run --------------------------------------------------------------------------------


def baseline_worktree(commit: str) -> tuple[Side, Path]:
    sha = git("rev-parse", "--verify", f"{commit}^{{commit}}")
    key = f"base_{sha[:7]}"
    place = Path(tempfile.mkdtemp(prefix="guangong-ab-"))
    checkout = place / "checkout"
    say(f"Checking out {commit} ({sha[:7]}) into {checkout}…")
    git("worktree", "add", "--detach", str(checkout), sha)
    side = Side("baseline", sha[:7], checkout, key)
    side.var.mkdir(parents=True, exist_ok=True)
    (checkout / "var").symlink_to(side.var, target_is_directory=True)
    return side, place


def remove_worktree(side: Side, place: Path) -> None:
    link = side.checkout / "var"
    if link.is_symlink():
        link.unlink()  # the data stays in var/compare/
    subprocess.run(["git", "worktree", "remove", "--force", str(side.checkout)], cwd=THIS)
    shutil.rmtree(place, ignore_errors=True)
    subprocess.run(["git", "worktree", "prune"], cwd=THIS)


def forget(side: Side, dbs) -> None:
    """--regenerate: drop what orgs.py and people.py would reuse (stats.py has its own flag)."""
    for db in dbs:
        (side.var / f"bench-{db}.json").unlink(missing_ok=True)
    for sheet in side.var.glob("bench-people-*.xlsx"):
        sheet.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="619db1a", help="commit to compare with (619db1a)")
    parser.add_argument("--db", choices=(*DATABASES, "both"), default="both")
    parser.add_argument("--bench", default="orgs,people,stats", help="which, comma-separated")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests / calls per row")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--writes", type=int, default=100, help="stats.py record/edit/delete runs")
    parser.add_argument("--threshold", type=float, default=10.0, help="flag: slower by > %%")
    parser.add_argument("--regenerate", action="store_true", help="build each side's data again")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--prepare-only", action="store_true", help="build (or check) each side's data, no timing"
    )
    args = parser.parse_args()
    dbs = DATABASES if args.db == "both" else (args.db,)
    wanted = args.bench.split(",")
    benches = [b for b in BENCHES if b.name in wanted]
    if len(benches) != len(wanted):
        parser.error(f"--bench: choose from {', '.join(b.name for b in BENCHES)}")
    this = Side("this", git("rev-parse", "--short=7", "HEAD"), THIS, "this")
    if git("status", "--porcelain", "--untracked-files=no"):
        this.label += " + changes"
    this.var.mkdir(parents=True, exist_ok=True)
    logs = STORE / "logs" / time.strftime("%Y%m%d-%H%M%S")
    logs.mkdir(parents=True)
    started = time.perf_counter()
    baseline, place = baseline_worktree(args.baseline)
    sides = [baseline, this]
    results: dict[tuple[str, str, str], list] = {}
    try:
        say("Preparing each side's data (built once, then reused)…")
        for side in sides if args.regenerate else ():
            forget(side, dbs)
        for bench in benches:
            for db in dbs:
                for side in sides:
                    extra = list(bench.arguments) + list(bench.prepare)
                    if args.regenerate and bench.name == "stats":
                        extra.append("--regenerate")
                    log = logs / f"prepare-{side.name}-{db}-{bench.name}.txt"
                    run(side, bench, db, extra, log, "prepare")
        timing = ["--repeat", str(args.repeat), "--warmup", str(args.warmup)]
        for number_ in range(0 if args.prepare_only else args.rounds):
            say(f"Round {number_ + 1} of {args.rounds}…")
            order = sides if number_ % 2 == 0 else sides[::-1]
            for bench in benches:
                extra = list(bench.arguments) + timing
                if bench.name == "stats":
                    extra += ["--writes", str(args.writes)]
                for db in dbs:
                    for side in order:
                        log = logs / f"r{number_ + 1}-{side.name}-{db}-{bench.name}.txt"
                        output = run(side, bench, db, extra, log, "timed")
                        parsed = parse(output)
                        if not parsed:
                            raise SystemExit(f"No timing table found in {log}")
                        results.setdefault((side.name, bench.name, db), []).append(parsed)
    finally:
        remove_worktree(baseline, place)
    report = [
        f"## The spine, before and after: {baseline.label} against {this.label}",
        "",
        f"{args.rounds} round(s); --repeat {args.repeat} --warmup {args.warmup}, "
        f"--writes {args.writes}; load average at the end "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"{time.perf_counter() - started:.0f} s in all. Runs' output: {logs}",
        "",
    ]
    for bench in benches if results else ():
        for db in dbs:
            report += table(bench, db, sides, results, args.threshold) + [""]
    report += durations(sides, benches, dbs)
    text = "\n".join(report) + "\n"
    print(text)
    (logs / "report.md").write_text(text)
    if args.output:
        args.output.write_text(text)


if __name__ == "__main__":
    main()
