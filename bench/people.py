"""Speed of the people import (五老, 100,000 rows) and of the people list of a large city.

    .venv/bin/python bench/people.py [--db sqlite|postgres|both] [--rows 100000] [--repeat 30]
                                     [--iie-rows 10000] [--runs 3]

Uses its own databases — var/bench-people.sqlite3 and
postgres://postgres@127.0.0.1:5432/guangong_bench_people (created if missing;
BENCH_PEOPLE_SQLITE_URL / BENCH_PEOPLE_POSTGRES_URL override them). Each run starts from empty
people tables and:

1. builds a small tree once (a province, 伊犁州 with 7 counties, 博州 with 3 counties);
2. generates an .xlsx of ``--rows`` elders spread evenly over the 10 counties (so 伊犁州 gets
   70 %), with valid unique ID numbers, Chinese names and one or two categories
   (var/bench-people-<rows>.xlsx, reused);
3. runs the import as a user does, through ``jobs.imports`` (tasks run in this process): the
   check job (read the sheet, check every row, keep the converted rows), then the commit job
   (take the kept rows, check them again, bulk save); each job is timed from start to end and
   its steps from the job's summary; end to end is the sum, rows/s = rows / end to end;
4. times the elder list of 伊犁州, first page (GET /people/elders/?org=<id>), 30 requests after
   3 warm-up requests: median and 95th percentile, SQL queries of one request;
5. times the undo of the batch (bulk delete, with the delete audit rows); steps 3 and 5 run
   ``--runs`` times (3) and the median of each step is reported;
6. times django-import-export's default ``ModelResource`` for ``Elder`` on the same rows
   (``--iie-rows`` of them; field names as headers, organisation and category ids as its
   widgets expect): ``import_data(dry_run=True)`` then ``import_data(dry_run=False)``.

Method and figures: docs/benchmarks.md ("People import").
"""

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import VAR, configure, machine, measure, percentile

DATABASES = {
    "sqlite": os.environ.get(
        "BENCH_PEOPLE_SQLITE_URL", f"sqlite:///{VAR / 'bench-people.sqlite3'}"
    ),
    "postgres": os.environ.get(
        "BENCH_PEOPLE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/guangong_bench_people"
    ),
}
TARGET_ROWS_PER_SECOND = 5000
TARGET_MS = 150

CITIES = (
    ("伊犁哈萨克自治州", "654000", (
        ("伊宁市", "654002"), ("奎屯市", "654003"), ("霍尔果斯市", "654004"),
        ("伊宁县", "654021"), ("察布查尔锡伯自治县", "654022"), ("霍城县", "654023"),
        ("巩留县", "654024"),
    )),
    ("博尔塔拉蒙古自治州", "652700", (
        ("博乐市", "652701"), ("阿拉山口市", "652702"), ("精河县", "652722"),
    )),
)  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "建国秀英玉兰志强桂英淑珍国华明华卫东德福丽华春梅海燕文明永红振华金凤学军爱民玉梅"
CATEGORIES = ("老干部", "老战士", "老专家", "老教师", "老模范")


def ensure_tree():
    """The province, two cities and ten counties (made once); returns (root user, counties)."""
    from guangong.accounts.models import User
    from guangong.accounts.roles import Role
    from guangong.orgs import services
    from guangong.orgs.models import Kind, Organization, Status

    root = Organization.objects.filter(division_code="650000").first()
    admin, _ = User.objects.get_or_create(
        username="bench-people", defaults={"role": Role.SYSTEM_ADMIN, "is_superuser": True}
    )
    if root is None:
        root = services.create_organization(
            admin,
            None,
            name="新疆维吾尔自治区",
            kind=Kind.PROVINCE,
            division_code="650000",
            status=Status.ESTABLISHED,
        )
    if admin.organization_id != root.pk:
        admin.organization = root
        admin.role = Role.SYSTEM_ADMIN
        admin.save()
    counties = []
    for city_name, city_code, members in CITIES:
        city = Organization.objects.filter(division_code=city_code).first()
        if city is None:
            root = Organization.objects.get(pk=root.pk)
            city = services.create_organization(
                admin, root, name=city_name, kind=Kind.CITY, division_code=city_code,
                status=Status.ESTABLISHED,
            )  # fmt: skip
        for name, code in members:
            county = Organization.objects.filter(division_code=code).first()
            if county is None:
                city = Organization.objects.get(pk=city.pk)
                county = services.create_organization(
                    admin, city, name=name, kind=Kind.COUNTY, division_code=code,
                    status=Status.ESTABLISHED,
                )  # fmt: skip
            counties.append(county)
    return admin, counties


def empty_people() -> None:
    """Start from no people (raw deletes: the bench database holds nothing else of value)."""
    from django.db import connection, transaction

    from guangong.audit.models import AuditLog
    from guangong.people.models import Elder, Mentorship, Team, Youth

    with transaction.atomic():
        for model in (
            Mentorship,
            Team.members.through,
            Team,
            Elder.categories.through,
            Elder.specialities.through,
            Elder,
            Youth,
        ):
            model.objects.all()._raw_delete(connection.alias)
        AuditLog.objects.filter(object_type__startswith="people.")._raw_delete(connection.alias)


def id_numbers(count: int, codes: list[str], rng: random.Random) -> list[str]:
    from guangong.core.idnumber import checksum_char

    seen = set()
    numbers = []
    while len(numbers) < count:
        code = codes[len(numbers) % len(codes)]
        birth = f"{rng.randint(1935, 1965)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        first = f"{code}{birth}{rng.randint(0, 999):03d}"
        if first in seen:
            continue
        seen.add(first)
        numbers.append(first + checksum_char(first))
    return numbers


def elder_rows(count: int, codes: list[str], seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for index, number in enumerate(id_numbers(count, codes, rng)):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        cats = rng.sample(CATEGORIES, rng.choice((1, 1, 2)))
        rows.append(
            {
                "organization": codes[index % len(codes)],
                "name": name,
                "id_number": number,
                "phone": f"139{rng.randint(0, 99_999_999):08d}",
                "categories": "、".join(cats),
                "former_unit": rng.choice(("县教育局", "县人民医院", "第一中学", "农机站", "")),
                "former_post": rng.choice(("教师", "科长", "医生", "")),
            }
        )
    return rows


def sheet(rows: list[dict], path: Path) -> bytes:
    from guangong.core.importer.testing import make_xlsx
    from guangong.people.importers import ElderImporter

    if path.exists():
        return path.read_bytes()
    columns = ElderImporter.columns
    content = make_xlsx(
        [ElderImporter().headers(), *([row.get(c.field) for c in columns] for row in rows)]
    )
    path.write_bytes(content)
    return content


def timed(function, *args):
    started = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - started


def measure_list(admin, city, repeat: int, warmup: int):
    from django.test import Client

    client = Client()
    client.force_login(admin)
    return measure(client, f"/people/elders/?org={city.pk}", repeat, warmup)


def import_export(rows: list[dict], counties) -> tuple[float, float, int]:
    """django-import-export, default ModelResource for Elder: dry run, then the real import."""
    import tablib
    from import_export import resources

    from guangong.dicts.models import DictItem, DictKind
    from guangong.people.models import Elder

    class ElderResource(resources.ModelResource):
        class Meta:
            model = Elder

    org_ids = {c.division_code: c.pk for c in counties}
    cat_ids = dict(DictItem.objects.filter(kind=DictKind.ELDER_CATEGORY).values_list("label", "pk"))
    data = tablib.Dataset(
        headers=["id", "organization", "name", "phone", "categories", "former_unit", "former_post"]
    )
    for row in rows:
        cats = ",".join(str(cat_ids[c]) for c in row["categories"].split("、"))
        data.append(
            ["", org_ids[row["organization"]], row["name"], row["phone"], cats,
             row["former_unit"], row["former_post"]]
        )  # fmt: skip
    resource = ElderResource()
    result, dry = timed(lambda: resource.import_data(data, dry_run=True))
    if result.has_errors():
        raise SystemExit(f"import-export dry run failed: {result.row_errors()[:1]}")
    result, real = timed(lambda: resource.import_data(data, dry_run=False))
    return dry, real, result.totals.get("new", 0)


def cpu_seconds() -> float:
    """CPU time used so far by this process and, on PostgreSQL, by its server backend (the
    jobs run in this process on this connection). Unlike wall time, it hardly changes when
    other work shares the cores."""
    from django.db import connection

    used = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the server runs elsewhere: its share is not counted
            return used
        used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def import_once(admin, content: bytes) -> tuple[dict, str, bool]:
    """The check job, then the commit job, as the user starts and confirms them: seconds of
    each step (from the jobs' summaries) and of each job (start to end), the batch id, and
    whether the commit took the check's rows."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guangong.jobs.imports import confirm_import, start_import
    from guangong.people.importers import ElderImporter

    upload = SimpleUploadedFile("elders.xlsx", content)
    cpu_start = cpu_seconds()
    check_job, dry = timed(start_import, admin, ElderImporter, upload)
    cpu_checked = cpu_seconds()
    check_job.refresh_from_db()
    check = check_job.summary
    if check_job.status != "succeeded" or check.get("error_count"):
        errors = check.get("errors", [])[:3]
        raise SystemExit(f"unexpected check result: {check_job.message} {errors}")
    # Random names and birth dates repeat now and then: the rows to verify are confirmed, as a
    # user would after looking at them (the count is reported below).
    commit_job, commit = timed(confirm_import, admin, check_job, True)
    cpu_done = cpu_seconds()
    commit_job.refresh_from_db()
    done = commit_job.summary
    if commit_job.status != "succeeded":
        raise SystemExit(f"commit failed: {commit_job.message}")
    timings = {
        "read": check["read_seconds"],
        "check": check["check_seconds"] - check["read_seconds"],
        "check job": dry,
        "take": done["read_seconds"],
        "check again": done["check_seconds"] - done["read_seconds"],
        "save": done["save_seconds"],
        "commit job": commit,
        "total": dry + commit,
        "check job cpu": cpu_checked - cpu_start,
        "commit job cpu": cpu_done - cpu_checked,
        "total cpu": cpu_done - cpu_start,
        "created": done["created"],
    }
    return timings, done["batch"], done["reused_check"]


def rate(count: int, seconds: float) -> str:
    """Rows a second, or a dash for a step too quick to time (a tiny trial run)."""
    return f"{count / seconds:,.0f}" if seconds > 0 else "—"


def run(db: str, count: int, repeat: int, warmup: int, iie_rows: int, runs: int) -> None:
    os.environ["TASKS_IMMEDIATE"] = "1"  # the jobs run here, as the worker would run them
    configure(DATABASES[db])
    from django.core.management import call_command
    from django.db import connection

    from guangong.orgs.models import Organization
    from guangong.people.bulk_delete import delete_batch
    from guangong.people.models import Elder

    call_command("migrate", verbosity=0)
    admin, counties = ensure_tree()
    empty_people()
    codes = [c.division_code for c in counties]
    rows = elder_rows(count, codes)
    content = sheet(rows, VAR / f"bench-people-{count}.xlsx")
    city = Organization.objects.get(division_code=CITIES[0][1])
    steps: dict[str, list[float]] = {}
    for attempt in range(runs):
        timings, batch, reused = import_once(admin, content)
        created = timings.pop("created")
        for name, seconds in timings.items():
            steps.setdefault(name, []).append(seconds)
        if attempt == 0:  # the list of the city, while its 70,000 elders are in
            with connection.cursor() as cursor:
                vacuum = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
                cursor.execute(vacuum)
            in_city = Elder.objects.within_path(city.path).count()
            samples, queries = measure_list(admin, city, repeat, warmup)
        _, undo_s = timed(delete_batch, admin, Elder, batch)
        steps.setdefault("undo", []).append(undo_s)
        empty_people()  # the next run starts as this one did (no audit rows left over)
    median = {name: statistics.median(values) for name, values in steps.items()}
    parse_s, check_s, dry = median["read"], median["check"], median["check job"]
    parse2_s, check2_s, save_s = median["take"], median["check again"], median["save"]
    commit, total, undo_s = median["commit job"], median["total"], median["undo"]
    cpu = [median["check job cpu"], median["commit job cpu"], median["total cpu"]]
    empty_people()
    if iie_rows:
        dry_iie, real_iie, new_iie = import_export(rows[:iie_rows], counties)
        empty_people()

    out = io.StringIO()
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"\n### {machine()}\n")
    p(f"{count:,} elder rows, median of {runs} imports; list: {in_city:,} elders in the city, "
      f"{repeat} requests.\n")  # fmt: skip
    p("| step | seconds | rows/s |")
    p("|---|---:|---:|")
    p(f"| check job: read the sheet | {parse_s:.1f} | {rate(count, parse_s)} |")
    p(f"| check job: check rows | {check_s:.1f} | {rate(count, check_s)} |")
    p(f"| **check job (dry run)** | **{dry:.1f}** | **{rate(count, dry)}** |")
    how = "take the check's rows" if reused else "read the sheet again"
    p(f"| commit job: {how} | {parse2_s:.1f} | {rate(count, parse2_s)} |")
    p(f"| commit job: check rows again | {check2_s:.1f} | {rate(count, check2_s)} |")
    p(f"| commit job: bulk save ({created:,} people) | {save_s:.1f} | {rate(count, save_s)} |")
    p(f"| **commit job** | **{commit:.1f}** | **{rate(count, commit)}** |")
    flag = "" if count >= TARGET_ROWS_PER_SECOND * total else " ⚠"
    p(f"| **end to end (check + commit)** | **{total:.1f}** | **{rate(count, total)}**{flag} |")
    p(f"| undo (bulk delete + audit) | {undo_s:.1f} | {rate(count, undo_s)} |")
    if iie_rows:
        p(f"| django-import-export dry run ({iie_rows:,} rows) | {dry_iie:.1f} | "
          f"{iie_rows / dry_iie:,.0f} |")  # fmt: skip
        p(f"| django-import-export import ({new_iie:,} rows) | {real_iie:.1f} | "
          f"{iie_rows / real_iie:,.0f} |")  # fmt: skip
        p(f"| django-import-export end to end | {dry_iie + real_iie:.1f} | "
          f"{iie_rows / (dry_iie + real_iie):,.0f} |")  # fmt: skip
    where = " and its PostgreSQL backend" if connection.vendor == "postgresql" else ""
    p("")
    p(f"CPU seconds of this process{where} (the same median runs): check job {cpu[0]:.1f}, "
      f"commit job {cpu[1]:.1f}, end to end {cpu[2]:.1f} = {rate(count, cpu[2])} rows per "
      f"CPU second.")  # fmt: skip
    flag = "" if percentile(samples, 95) < TARGET_MS else " ⚠"
    p("")
    p("| page | elders in subtree | SQL queries | median ms | p95 ms |")
    p("|---|---:|---:|---:|---:|")
    p(f"| elder list, city ({city.name}) | {in_city:,} | {len(queries)} "
      f"| {statistics.median(samples):.1f} | {percentile(samples, 95):.1f}{flag} |")  # fmt: skip
    print(out.getvalue(), flush=True)
    if os.environ.get("BENCH_SHOW_SQL"):
        for sql in queries:
            print(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--iie-rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3, help="imports (and undos) timed")
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    if args.db != "both":
        run(args.db, args.rows, args.repeat, args.warmup, args.iie_rows, args.runs)
        return
    for db in ("sqlite", "postgres"):  # settings are read once per process
        command = [sys.executable, __file__, "--db", db, "--rows", str(args.rows)]
        command += ["--iie-rows", str(args.iie_rows), "--repeat", str(args.repeat)]
        command += ["--warmup", str(args.warmup), "--runs", str(args.runs)]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
