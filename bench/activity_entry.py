"""Speed of recording one activity with the plausibility checks.

    .venv/bin/python bench/activity_entry.py [--db sqlite|postgres|both] [--repeat 50]
                                             [--warmup 5] [--scale small] [--seed 1]

Uses its own databases — var/bench-entry.sqlite3 and
postgres://postgres@127.0.0.1:5432/guangong_entry (created if missing; BENCH_ENTRY_SQLITE_URL
and BENCH_ENTRY_POSTGRES_URL override them) — with the demo region loaded once (its plausible
ranges computed from its own ledger, as the demo does). At a township that has activities, as
an administrator of its county:

* the checks alone: ``plausibility.errors`` and ``plausibility.doubts`` (range, duplicates);
* recording an activity through ``services.save_activity`` (checks, ledger, counters, audit),
  committed, with two elders and their hours;
* the same with the checks switched off, for comparison in the same run;
* the same through the phone's quick form (POST /activities/quick/).

Each recorded activity is deleted again, untimed, so the ledger stays as loaded. The median,
the 95th percentile and the SQL queries of one run are printed as a Markdown table (target:
p95 under 20 ms for recording).
"""

import datetime
import os
import statistics
import sys
import time
from unittest import mock

from common import VAR, configure, ensure_region, machine, percentile, region_main
from stats import bench_user, count_queries

DATABASES = {
    "sqlite": os.environ.get("BENCH_ENTRY_SQLITE_URL", f"sqlite:///{VAR / 'bench-entry.sqlite3'}"),
    "postgres": os.environ.get(
        "BENCH_ENTRY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/guangong_entry"
    ),
}
TARGET_MS = 20


def place():
    """A township with activities and two current elders in its county, and the county."""
    from django.db.models import Count

    from guangong.core.scope import subtree_q
    from guangong.orgs.models import Kind, Organization
    from guangong.people.models import Elder

    townships = Organization.objects.filter(kind=Kind.TOWNSHIP).annotate(n=Count("activities"))
    township = townships.order_by("-n", "pk").first()
    county = Organization.objects.get(path=township.path[: -township.steplen])
    current = Elder.objects.current().filter(active=True).order_by("pk")
    elders = list(
        current.filter(subtree_q("organization__path", county.path)).values_list("pk", flat=True)
    )[:2]
    return township, county, elders


def run(db: str, repeat: int, warmup: int, scale: str, seed: int) -> None:
    configure(DATABASES[db])
    from django.test import Client
    from django.utils import timezone

    from guangong.activities import plausibility, services
    from guangong.activities.models import Activity
    from guangong.audit.models import AuditLog
    from guangong.dicts.models import DictItem, DictKind

    total = ensure_region(db, scale, seed, name="bench-entry")
    township, county, elders = place()
    actor = bench_user(county)
    talk = DictItem.objects.get(kind=DictKind.ACTIVITY_TYPE, label="主题宣讲")
    today = timezone.localdate()
    audit_before = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    hours = dict.fromkeys(elders, "2")

    def activity(i: int) -> Activity:
        return Activity(
            organization=township,
            type=talk,
            title=f"“五老”进企业主题宣讲第{i}场",
            date=today - datetime.timedelta(days=i % 60),
            participants=120,
        )

    def checks(i: int = 0):
        a = activity(i)
        plausibility.errors(a, township, services.normalise_elders(hours), 0)
        return plausibility.doubts(a, township, services.normalise_elders(hours))

    def timed(fn) -> list[float]:
        samples = []
        for i in range(repeat + warmup):
            started = time.perf_counter()
            fn(i)
            if i >= warmup:
                samples.append((time.perf_counter() - started) * 1000)
        return samples

    def record(i: int) -> None:
        started = time.perf_counter()
        saved = services.save_activity(actor, activity(i), elders=hours)
        elapsed = time.perf_counter() - started
        services.delete_activity(actor, saved)
        return elapsed

    def recorded() -> list[float]:
        samples = []
        for i in range(repeat + warmup):
            elapsed = record(1000 + i)
            if i >= warmup:
                samples.append(elapsed * 1000)
        return samples

    client = Client()
    client.force_login(actor)

    def quick() -> list[float]:
        samples = []
        for i in range(repeat + warmup):
            data = {
                "organization": township.pk,
                "type": talk.pk,
                "title": f"手机登记的宣讲第{i}场",
                "date": (today - datetime.timedelta(days=i % 60)).isoformat(),
                "participants": 80,
                "elders": elders,
                "hours": "2",
            }
            started = time.perf_counter()
            response = client.post("/activities/quick/", data)
            elapsed = time.perf_counter() - started
            if response.status_code != 302:
                raise SystemExit(f"the quick form answered {response.status_code}")
            services.delete_activity(actor, Activity.objects.order_by("-pk").first())
            if i >= warmup:
                samples.append(elapsed * 1000)
        return samples

    kept = []
    save_queries = count_queries(
        lambda: kept.append(services.save_activity(actor, activity(5000), elders=hours))
    )
    services.delete_activity(actor, kept[0])
    with (
        mock.patch.object(plausibility, "errors", lambda *a, **k: {}),
        mock.patch.object(plausibility, "check", lambda *a, **k: []),
    ):
        unchecked = recorded()
    rows = [
        ("the checks alone", timed(checks), count_queries(checks)),
        ("record (service, committed)", recorded(), save_queries),
        ("record, checks switched off (same run)", unchecked, save_queries - 2),
        ("record (POST /activities/quick/)", quick(), None),
    ]
    AuditLog.objects.filter(pk__gt=audit_before).delete()
    print()
    print(f"### {machine()} — {db}")
    print()
    print(
        f"{total:,} organisations ({scale}); {Activity.objects.count():,} activities; at "
        f"{township.name}, recorded by {county.name}'s administrator with {len(elders)} elders; "
        f"{repeat} runs after {warmup} warm-up runs each."
    )
    print()
    print("| what | SQL queries | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for what, samples, queries in rows:
        p95 = percentile(samples, 95)
        flag = " ⚠" if p95 >= TARGET_MS and what.startswith("record (service") else ""
        shown = "—" if queries is None else queries
        print(f"| {what} | {shown} | {statistics.median(samples):.1f} | {p95:.1f}{flag} |")
    sys.stdout.flush()


if __name__ == "__main__":
    region_main(__doc__, __file__, run, scale="small")
