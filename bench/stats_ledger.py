"""The ledger of ``bench/stats.py``: millions of activities written as fast as each database
takes them (PostgreSQL ``COPY``, SQLite ``executemany`` in large transactions).

Seeded: the same seed, count and window give the same rows on both databases. Activities are
spread over the organisations by kind and committee status (the demo's monthly rates: a village
records a few a year, a township a couple a month, none where no committee exists), uniformly
over the window's days; types, participants and titles follow the demo's mix; a share of them
name one or two elders of the organisation's county (or city) with their hours.
"""

import datetime
import json
import random
import time
from decimal import Decimal

ELDER_SHARE = 0.2  # activities that name elders
TWO_ELDERS = 0.4  # of those, the share that name two
HOURS = (Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("2.5"), Decimal("3"), Decimal("4"))
CHUNK = 100_000
STAMP = datetime.datetime(2026, 11, 21, tzinfo=datetime.UTC)
ACTIVITY_COLUMNS = (
    "id",
    "organization_id",
    "type_id",
    "title",
    "date",
    "end_date",
    "place",
    "audience_id",
    "participants",
    "summary",
    "search_text",
    "import_batch",
    "created_by_id",
    "created_at",
    "updated_at",
)
LINK_COLUMNS = ("activity_id", "elder_id", "hours")


def _mixes(types: dict[str, int]):
    """Cumulative type weights by organisation kind, and titles with their search keys."""
    from guangong.core.pinyin import search_key
    from guangong.demo.activities_data import (
        KIND_PREFERENCES,
        PARTICIPANTS,
        THEMES,
        TITLES,
        TYPE_WEIGHTS,
    )

    labels = [label for label in TYPE_WEIGHTS if label in types]

    def cumulative(kind: str) -> list[float]:
        out, total = [], 0.0
        for label in labels:
            total += TYPE_WEIGHTS[label] * KIND_PREFERENCES.get(kind, {}).get(label, 1)
            out.append(total)
        return out

    titles = {}
    for label in labels:
        words = {"venue": "基层", "theme": THEMES[0], "org": "", "year": 2026, "place": ""}
        texts = [t.format(**words) for t in TITLES[label]]
        titles[label] = [(text, search_key(text)) for text in texts]
    return labels, cumulative, titles, PARTICIPANTS


def plan_counts(orgs, total: int, rng: random.Random) -> list[int]:
    """Activities per organisation: ``total`` shared by rate (kind × status), rounded at random."""
    from guangong.demo.activities_data import MONTHLY_RATE, STATUS_RATE

    weights = [MONTHLY_RATE.get(kind, 0.5) * STATUS_RATE[status] for _pk, _p, kind, status in orgs]
    scale = total / sum(weights)
    counts = []
    for w in weights:
        exact = w * scale
        counts.append(int(exact) + (rng.random() < exact - int(exact)))
    return counts


def rows(seed: int, total: int, start: datetime.date, end: datetime.date, first_id: int):
    """Read what the rows refer to, then return a generator of ("a", activity row) and
    ("l", elder row) tuples, organisation by organisation (it runs no query, so that it can
    feed a COPY on the same connection)."""
    from guangong.dicts.models import DictItem, DictKind
    from guangong.orgs.models import Organization
    from guangong.people.models import Elder

    rng = random.Random(f"guangong-bench-stats-{seed}")
    types = dict(DictItem.objects.filter(kind=DictKind.ACTIVITY_TYPE).values_list("label", "pk"))
    audiences = list(
        DictItem.objects.filter(kind=DictKind.YOUTH_CATEGORY).values_list("pk", flat=True)
    )
    labels, cumulative, titles, participants = _mixes(types)
    orgs = list(Organization.objects.order_by("path").values_list("pk", "path", "kind", "status"))
    counts = plan_counts(orgs, total, rng)
    pools: dict[str, list[int]] = {}
    for pk, path in Elder.objects.filter(active=True).values_list("pk", "organization__path"):
        for prefix in (path[:4], path[:8], path[:12]):
            pools.setdefault(prefix, []).append(pk)
    span = (end - start).days + 1
    days = [start + datetime.timedelta(days=i) for i in range(span)]
    mix = (labels, cumulative, titles, participants, types, audiences)
    return _generate(rng, orgs, counts, pools, days, mix, first_id)


def _generate(rng, orgs, counts, pools, days, mix, first_id):
    labels, cumulative, titles, participants, types, audiences = mix
    span = len(days)
    mix_by_kind: dict[str, list[float]] = {}
    next_id = first_id
    choices, randrange, random_ = rng.choices, rng.randrange, rng.random
    for (pk, path, kind, _status), count in zip(orgs, counts, strict=True):
        if not count:
            continue
        if kind not in mix_by_kind:
            mix_by_kind[kind] = cumulative(kind)
        cum = mix_by_kind[kind]
        pool = pools.get(path[:12]) or pools.get(path[:8]) or pools.get(path[:4]) or []
        picked = choices(labels, cum_weights=cum, k=count)
        when = sorted(randrange(span) for _ in range(count))
        for label, day in zip(picked, when, strict=True):
            low, high, mode = participants[label]
            title, key = titles[label][randrange(len(titles[label]))]
            yield (
                "a",
                (
                    next_id,
                    pk,
                    types[label],
                    title,
                    days[day],
                    None,
                    "",
                    audiences[randrange(len(audiences))],
                    int(rng.triangular(low, high, mode)),
                    "",
                    key,
                    "bench",
                    None,
                    STAMP,
                    STAMP,
                ),
            )
            if pool and random_() < ELDER_SHARE:
                first = pool[randrange(len(pool))]
                yield ("l", (next_id, first, HOURS[randrange(len(HOURS))]))
                if len(pool) > 1 and random_() < TWO_ELDERS:
                    second = pool[randrange(len(pool))]
                    if second != first:
                        yield ("l", (next_id, second, HOURS[randrange(len(HOURS))]))
            next_id += 1


# --- Writing ------------------------------------------------------------------------------


def _secondary_indexes(cursor, vendor: str, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the non-unique indexes of ``table``."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint) "
            "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
            [table],
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
            [table],
        )
    return list(cursor.fetchall())


def write(seed: int, total: int, start, end, say, keep) -> dict:
    """Append the generated ledger; returns counts and seconds. The secondary indexes are
    dropped while writing and made again after; their definitions wait in ``keep`` (a JSON
    file) meanwhile, so that an interrupted run still restores them."""
    from django.db import connection

    from guangong.activities.models import Activity, ActivityElder

    tables = (Activity._meta.db_table, ActivityElder._meta.db_table)
    vendor = connection.vendor
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {tables[0]}")  # noqa: S608
        first_id = cursor.fetchone()[0] + 1
        present = [ix for table in tables for ix in _secondary_indexes(cursor, vendor, table)]
        indexes = dict(json.loads(keep.read_text())) if keep.exists() else {}
        indexes.update(present)
        keep.write_text(json.dumps(sorted(indexes.items())))
        for name, _sql in present:
            cursor.execute(f'DROP INDEX "{name}"')
    say(f"  dropped {len(present)} secondary indexes; writing rows…")
    generated = rows(seed, total, start, end, first_id)
    if vendor == "postgresql":
        counts = _copy(connection, tables, generated, say)
    else:
        counts = _executemany(connection, tables, generated, say)
    written = time.perf_counter() - started
    restore_indexes(keep)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{tables[0]}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {tables[0]}))"
            )
    return {
        "activities": counts[0],
        "links": counts[1],
        "write_seconds": round(written, 1),
        "index_seconds": round(time.perf_counter() - started - written, 1),
    }


def restore_indexes(keep) -> None:
    """Create the indexes recorded in ``keep`` that do not exist (then forget them)."""
    from django.db import connection

    if not keep.exists():
        return
    with connection.cursor() as cursor:
        existing = set(connection.introspection.get_constraints(cursor, "activities_activity"))
        existing |= set(
            connection.introspection.get_constraints(cursor, "activities_activityelder")
        )
        for name, sql in json.loads(keep.read_text()):
            if name not in existing:
                cursor.execute(sql)
    keep.unlink()


def _copy(connection, tables, generated, say) -> tuple[int, int]:
    """PostgreSQL: two COPY streams, the elder rows buffered per chunk (they follow their
    activities, which must exist when the foreign keys are checked again)."""
    connection.ensure_connection()
    raw = connection.connection
    n_activities = n_links = 0
    with raw.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no FK triggers while loading
        links: list[tuple] = []
        with cursor.copy(f"COPY {tables[0]} ({', '.join(ACTIVITY_COLUMNS)}) FROM STDIN") as copy:
            for kind, row in generated:
                if kind == "a":
                    copy.write_row(row)
                    n_activities += 1
                    if n_activities % 1_000_000 == 0:
                        say(f"    {n_activities:,} activities")
                else:
                    links.append(row)
        with cursor.copy(f"COPY {tables[1]} ({', '.join(LINK_COLUMNS)}) FROM STDIN") as copy:
            for row in links:
                copy.write_row(row)
        n_links = len(links)
        cursor.execute("SET session_replication_role = origin")
    raw.commit()
    return n_activities, n_links


def _executemany(connection, tables, generated, say) -> tuple[int, int]:
    """SQLite: executemany in transactions of ``CHUNK`` activities, foreign keys off."""
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("PRAGMA synchronous = OFF")
    raw.execute("PRAGMA cache_size = -400000")
    marks = ", ".join("?" * len(ACTIVITY_COLUMNS))
    insert_a = f"INSERT INTO {tables[0]} ({', '.join(ACTIVITY_COLUMNS)}) VALUES ({marks})"  # noqa: S608
    insert_l = f"INSERT INTO {tables[1]} ({', '.join(LINK_COLUMNS)}) VALUES (?, ?, ?)"  # noqa: S608
    stamp = STAMP.strftime("%Y-%m-%d %H:%M:%S")
    n_activities = n_links = 0
    batch_a: list[tuple] = []
    batch_l: list[tuple] = []

    def flush():
        raw.execute("BEGIN")
        raw.executemany(insert_a, batch_a)
        raw.executemany(insert_l, batch_l)
        raw.execute("COMMIT")
        batch_a.clear()
        batch_l.clear()

    for kind, row in generated:
        if kind == "a":
            row = (*row[:4], row[4].isoformat(), *row[5:13], stamp, stamp)
            batch_a.append(row)
            n_activities += 1
            if len(batch_a) >= CHUNK:
                flush()
                if n_activities % 1_000_000 == 0:
                    say(f"    {n_activities:,} activities")
        else:
            batch_l.append((row[0], row[1], str(row[2])))
            n_links += 1
    flush()
    raw.execute("PRAGMA synchronous = NORMAL")
    raw.execute("PRAGMA foreign_keys = ON")
    return n_activities, n_links
