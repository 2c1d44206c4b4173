"""The figures of one organisation's subtree over one period: what every page, report item,
bulletin and summary that counts something reads.

``Figures(org, period)`` computes each group of figures when it is first read and keeps it:
a page that shows only the activities pays for nothing else. Activities come from the live
counters (``activities.rollup``), committees from the subtree rollup (``orgs.rollup``), people,
mentorships and care cases from one indexed path range each. The organisation is already
scoped: the caller resolved it through its policy (``visible_to`` or ``policy_for(...).get``).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from guangong.core import dates
from guangong.core.periods import Period
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Organization

from . import activities as activity_stats
from . import care as care_stats
from . import coverage as org_coverage
from . import people


@dataclass
class Figures:
    organization: Organization
    period: Period
    compare: bool = True  # the activities' 同比 (the same period a year earlier)
    count_youth: bool = True  # the live youth count beside the activities
    today: datetime.date = field(default_factory=dates.today)  # what has elapsed, for 同比
    #: An organisation group (``orggroups.OrgGroup``): count only its organisations' activities
    #: and committees (from the ledger and the tree, live); people and care ignore it.
    group: object = None

    # --- Activities (the counters) ---

    @cached_property
    def tally(self) -> activity_stats.Tally:
        return activity_stats.tally(self.organization, self.period, self.group)

    @cached_property
    def activities(self) -> dict:
        """Totals, by type, group, month and child organisation, with 同比 when ``compare``."""
        return activity_stats.summary(
            self.organization,
            self.period,
            compare=self.compare,
            count_youth=self.count_youth,
            today=self.today,
            org_group=self.group,
        )

    @property
    def complete(self) -> bool:
        """Whether the period is over (its figures final, its 同比 against the whole period)."""
        return self.period.complete(self.today)

    @cached_property
    def year_earlier(self) -> "Figures | None":
        """The same figures for the same elapsed days a year earlier (no 同比 of their own);
        None for a period that has not started or before the subtree's records begin."""
        earlier = self.period.comparable(self.today)
        if earlier is None:
            return None
        if not activity_stats.covered(activity_stats.records_begin(self.organization), earlier):
            return None
        return Figures(
            self.organization, earlier, compare=False, count_youth=False, group=self.group
        )

    def activity_line(self, types: set[int] | None = None) -> activity_stats.Line:
        """Sessions, participants, elder attendances and hours of some activity types."""
        return self.tally.total(types)

    @cached_property
    def elders_engaged(self) -> int:
        return self.tally.engaged().bit_count()

    # --- People ---

    @cached_property
    def elders(self) -> int:
        return people.elders(self.organization)

    @cached_property
    def youth(self) -> int:
        return people.youth(self.organization)

    @cached_property
    def teams(self) -> int:
        return people.teams(self.organization)

    @cached_property
    def mentorships(self) -> int:
        """Mentorships active at some time in the period."""
        return people.mentorships_active(self.organization, self.period)

    @cached_property
    def new_mentorships(self) -> int:
        return people.mentorships_new(self.organization, self.period)

    @cached_property
    def top_elders(self) -> list[dict]:
        return people.top_elders(self.organization, self.period)

    # --- Care ---

    @cached_property
    def care(self) -> dict:
        return care_stats.summary(self.organization, self.period)

    def cases(self, kind: int | None = None) -> int:
        """Cases opened in the period (of one case kind, if given)."""
        if kind is None:
            return self.care["cases"]
        return sum(r["cases"] for r in self.care["by_kind"] if r["kind"] == kind)

    def disbursed(self, kind: int | None = None) -> Decimal:
        """Money disbursed in the period (for one case kind, if given)."""
        if kind is None:
            return self.care["amount_disbursed"]
        rows = (r["disbursed"] for r in self.care["by_kind"] if r["kind"] == kind)
        return sum(rows, Decimal("0.00"))

    # --- Organisations ---

    @cached_property
    def coverage(self) -> org_coverage.Coverage:
        """Organisations by kind × committee status, and the leadership (now, not in the
        period: the tree keeps no history)."""
        return org_coverage.coverage(self.organization, include_children=False, group=self.group)

    def committees(self, statuses=None) -> int:
        """Organisations with one of ``statuses`` (default: established incl. consolidated)."""
        if self.group is not None:
            wanted = set(statuses) if statuses else set(org_coverage.ESTABLISHED_STATUSES)
            by_status = self.coverage.total.by_status
            return sum(n for status, n in by_status.items() if status in wanted)
        return org_coverage.committees(self.organization, statuses)


def activity_types(group: str) -> set[int]:
    """The activity type ids of one statistical group."""
    return set(
        DictItem.objects.filter(kind=DictKind.ACTIVITY_TYPE, stat_group=group).values_list(
            "pk", flat=True
        )
    )
