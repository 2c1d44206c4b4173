"""Populations of the demo region: the young people living in each township, county, city and
province, last year and this, as a county office copies them from its statistical yearbook, so
that the statistics page shows 每万名青少年活动场次 over a population (the numbers are invented)."""

import datetime
import random

from guangong.orgs.models import Kind, Organization
from guangong.stats.models import Population, PopulationKind

SOURCE = "演示数据（虚构的统计年鉴）"
REGIONS = (Kind.PROVINCE, Kind.CITY, Kind.COUNTY)


def write(organizations: list[Organization], seed: int, today: datetime.date) -> int:
    rng = random.Random(f"populations-{seed}")
    townships = {
        o.path: rng.randint(2_000, 12_000) for o in organizations if o.kind == Kind.TOWNSHIP
    }
    counts = dict(townships)
    for org in organizations:
        if org.kind in REGIONS:
            below = sum(n for path, n in townships.items() if path.startswith(org.path))
            counts[org.path] = round(below * 1.15)  # the seat's own streets and schools
    rows = []
    for org in organizations:
        count = counts.get(org.path)
        if not count:
            continue
        for year, factor in ((today.year - 1, 1.0), (today.year, 1.01)):
            rows.append(
                Population(
                    organization=org,
                    year=year,
                    kind=PopulationKind.YOUTH,
                    count=round(count * factor),
                    source=SOURCE,
                )
            )
    Population.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def remove_all() -> None:
    Population.objects.all().delete()
