"""Leadership rosters (领导班子) for the established committees of the demo region."""

import datetime
from typing import TYPE_CHECKING

from guangong.orgs.models import Organization, Position, PositionRole, PositionSource

from .profiles import SOURCE_WEIGHTS

if TYPE_CHECKING:
    from .builder import Planner

SOURCES = (PositionSource.SERVING, PositionSource.ELDER, PositionSource.PARTY_WORKER)
#: A leadership term is five years; the current team took office within the last one.
TERM = datetime.timedelta(days=5 * 365)


def roster_roles(planner: "Planner") -> list[str]:
    """主任, 常务副主任, 1–2 副主任, 秘书长 and 2–6 委员."""
    rng = planner.rng
    return [
        PositionRole.DIRECTOR,
        PositionRole.EXECUTIVE_DEPUTY,
        *[PositionRole.DEPUTY] * rng.randint(1, 2),
        PositionRole.SECRETARY_GENERAL,
        *[PositionRole.MEMBER] * rng.randint(2, 6),
    ]


def plan_roster(planner: "Planner", org: Organization) -> list[Position]:
    rng = planner.rng
    earliest = max(org.established_on or planner.today, planner.today - TERM)
    term_start = planner.date_between(earliest, planner.today)
    positions = []
    for role in roster_roles(planner):
        source = rng.choices(SOURCES, weights=SOURCE_WEIGHTS[role])[0]
        # Most of the team starts together; a few joined later in the term.
        start = term_start
        if rng.random() < 0.2:
            start = planner.date_between(term_start, planner.today)
        positions.append(
            Position(
                organization=org,
                name=planner.namer.person(),
                role=role,
                source=source,
                phone=planner.namer.mobile(),
                start_date=start,
            )
        )
    return positions
