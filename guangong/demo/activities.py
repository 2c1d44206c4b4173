"""The activities of the demo region over the last two years, so the dashboards have content.

Planned in memory after the people, from a generator of its own (seeded from the same seed):
per organisation and month a number of activities drawn around a rate that depends on its kind
and status, the season and the organisation itself, with whole months of silence here and
there (the completeness view lists them); a type from the kind's mix (金秋助学 in the autumn);
participants, a title, a place and often a summary that fit the type; elders of the
organisation's subtree or its county with their hours on most of them; teams and co-organisers
now and then. Written with bulk inserts, then counted into the statistics with
``activities.bulk.add``.

Same scale, seed and day ⇒ the same activities.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from guangong.activities import bulk
from guangong.activities.models import (
    Activity,
    ActivityAttachment,
    ActivityElder,
    ActivityMonth,
    ActivityYear,
    EngagedElders,
)
from guangong.core.files import delete_on_commit
from guangong.core.pinyin import search_key
from guangong.core.scope import ancestor_paths
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Kind, Organization
from guangong.people.models import Elder, Team

from .activities_data import (
    AUTUMN_GRANTS,
    CO_ORGANISER_SHARE,
    ELDER_SHARE,
    ELDER_SHARE_DEFAULT,
    KIND_PREFERENCES,
    MONTHLY_RATE,
    PARTICIPANTS,
    PLACES,
    PLACES_DEFAULT,
    SEASON,
    SEASON_DEFAULT,
    SILENT_MONTH,
    SILENT_MONTH_UNITS,
    STATUS_RATE,
    SUMMARIES,
    SUMMARY_SHARE,
    TEAM_SHARE,
    THEMES,
    TITLES,
    TYPE_WEIGHTS,
    VENUE,
    VENUE_DEFAULT,
)
from .draw import choose, years_before
from .profiles import YOUTH_CATEGORY_WEIGHTS, Profile

STEP = Organization.steplen
AREA_KINDS = (Kind.PROVINCE, Kind.CITY, Kind.COUNTY)
#: How many elders an activity names, and the hours each gives.
ELDER_COUNTS = ((1, 55), (2, 30), (3, 15))
HOURS = (("1", 25), ("1.5", 15), ("2", 30), ("2.5", 10), ("3", 12), ("4", 8))
#: Share of activities that last more than a day (trips, training courses).
MULTI_DAY = {"参观学习": 0.15, "技能培训/讲座": 0.1, "志愿服务": 0.05}


@dataclass
class ActivityPlan:
    activities: list[Activity] = field(default_factory=list)
    elders: list[tuple[Activity, int, Decimal]] = field(default_factory=list)
    teams: list[tuple[Activity, int]] = field(default_factory=list)
    co_organizers: list[tuple[Activity, int]] = field(default_factory=list)


def months_back(today: datetime.date, years: int = 2) -> list[datetime.date]:
    """First days of the months from ``years`` ago (that month included) to today's month."""
    month = years_before(today, years).replace(day=1)
    out = []
    while month <= today:
        out.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return out


def poisson(rng: random.Random, rate: float) -> int:
    """A Poisson draw (Knuth's method: rates here are a few per month)."""
    if rate <= 0:
        return 0
    limit, k, p = math.exp(-rate), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class ActivityPlanner:
    """Plans the activities of a planned and written region (objects with primary keys)."""

    def __init__(
        self,
        profile: Profile,
        seed: int,
        organizations: list[Organization],
        elders: list[Elder],
        teams: list[Team],
        today: datetime.date,
        types: dict[str, int],
        audiences: dict[str, int],
    ):
        self.rng = random.Random(f"guangong-demo-activities-{seed}")
        self.rate = profile.activity_rate
        self.orgs = organizations
        self.today = today
        self.types = types
        self.audiences = audiences
        self.plan = ActivityPlan()
        self.by_path = {org.path: org for org in organizations}
        self.area: dict[str, str] = {}
        for org in organizations:
            parent = org.path[:-STEP]
            self.area[org.path] = org.path if org.kind in AREA_KINDS else self.area[parent]
        self.pool: dict[str, list[int]] = {}  # path → ids of the serving elders of its subtree
        for elder in elders:
            if elder.active:
                path = elder.organization.path
                for prefix in ancestor_paths(path):
                    self.pool.setdefault(prefix, []).append(elder.pk)
        self.teams: dict[str, list[int]] = {}
        for team in teams:
            self.teams.setdefault(team.organization.path, []).append(team.pk)
        self.siblings: dict[str, list[int]] = {}
        for org in organizations:
            if STATUS_RATE[org.status] and len(org.path) > STEP:
                self.siblings.setdefault(org.path[:-STEP], []).append(org.pk)
        self.type_weights: dict[tuple[str, bool], tuple[list[str], list[float]]] = {}
        self.titles: dict[str, str] = {}  # title → search key

    # --- Drawing ---------------------------------------------------------------------------

    def mix(self, kind: str, autumn_factor: float) -> tuple[list[str], list[float]]:
        key = (kind, autumn_factor)
        if key not in self.type_weights:
            preferences = KIND_PREFERENCES.get(kind, {})
            labels = [label for label in TYPE_WEIGHTS if label in self.types]
            weights = [TYPE_WEIGHTS[label] * preferences.get(label, 1) for label in labels]
            if autumn_factor != 1 and "金秋助学" in labels:
                weights[labels.index("金秋助学")] *= autumn_factor
            total, cumulative = 0.0, []
            for w in weights:
                total += w
                cumulative.append(total)
            self.type_weights[key] = (labels, cumulative)
        return self.type_weights[key]

    def monthly_rate(self, org: Organization, month: datetime.date, factor: float) -> float:
        rate = MONTHLY_RATE.get(org.kind, 0.5) * STATUS_RATE[org.status] * self.rate * factor
        since = org.established_on or org.status_since
        if since and since > month:
            return 0.0
        silent = SILENT_MONTH.get(org.kind, SILENT_MONTH_UNITS)
        if self.rng.random() < silent:
            return 0.0
        rate *= SEASON.get(month.month, SEASON_DEFAULT)
        if month.year == self.today.year and month.month == self.today.month:
            rate *= self.today.day / 30  # the month so far
        return rate

    def day_in(self, month: datetime.date) -> datetime.date:
        last = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        last = min(last, self.today)
        return month + datetime.timedelta(days=self.rng.randint(0, (last - month).days))

    def short(self, org: Organization) -> str:
        name = org.short_name or org.name
        return name.removesuffix("关心下一代工作委员会").removesuffix("关工委")

    # --- The plan ------------------------------------------------------------------------------

    def build(self) -> ActivityPlan:
        months = months_back(self.today)
        for org in self.orgs:
            if not STATUS_RATE[org.status]:
                continue
            factor = self.rng.uniform(0.4, 1.6)  # some committees do more than others
            for month in months:
                for _ in range(poisson(self.rng, self.monthly_rate(org, month, factor))):
                    self.activity(org, month)
        return self.plan

    def activity(self, org: Organization, month: datetime.date) -> None:
        rng = self.rng
        labels, cumulative = self.mix(org.kind, AUTUMN_GRANTS.get(month.month, 1))
        label = rng.choices(labels, cum_weights=cumulative)[0]
        day = self.day_in(month)
        end = None
        if rng.random() < MULTI_DAY.get(label, 0):
            end = min(day + datetime.timedelta(days=rng.randint(1, 2)), self.today)
            end = end if end > day else None
        low, high, mode = PARTICIPANTS[label]
        participants = round(rng.triangular(low, high, mode))
        if org.kind == Kind.VILLAGE:
            participants = max(low, participants * 2 // 3)
        name = self.short(org)
        theme = rng.choice(THEMES)
        words = {
            "venue": VENUE.get(org.kind, VENUE_DEFAULT),
            "theme": theme,
            "org": name,
            "year": day.year,
            "place": self.short(self.by_path[self.area[org.path]]),
        }
        title = rng.choice(TITLES[label]).format(**words)
        if title not in self.titles:
            self.titles[title] = search_key(title)
        place = rng.choice(PLACES.get(org.kind, PLACES_DEFAULT)).format(org=name)
        weights = YOUTH_CATEGORY_WEIGHTS.get(org.kind, YOUTH_CATEGORY_WEIGHTS["other"])
        audience_label = choose(rng, weights.items())
        audience = self.audiences.get(audience_label) if rng.random() < 0.9 else None
        elder_ids = self.elders_for(org, label)
        summary = ""
        if rng.random() < SUMMARY_SHARE:
            summary = rng.choice(SUMMARIES).format(
                org=name,
                type=label,
                theme=theme,
                audience=audience_label if audience else "青少年",
                participants=participants,
                elders=max(1, len(elder_ids)),
            )
        activity = Activity(
            organization_id=org.pk,
            type_id=self.types[label],
            title=title,
            date=day,
            end_date=end,
            place=place,
            audience_id=audience,
            participants=participants,
            summary=summary,
            search_text=self.titles[title],
        )
        self.plan.activities.append(activity)
        for elder_id in elder_ids:
            hours = Decimal(choose(rng, HOURS))
            self.plan.elders.append((activity, elder_id, hours))
        if rng.random() < TEAM_SHARE:
            teams = self.nearest(self.teams, org.path)
            if teams:
                self.plan.teams.append((activity, rng.choice(teams)))
        if rng.random() < CO_ORGANISER_SHARE and len(org.path) > STEP:
            others = [pk for pk in self.siblings.get(org.path[:-STEP], ()) if pk != org.pk]
            if others:
                self.plan.co_organizers.append((activity, rng.choice(others)))

    def nearest(self, lists: dict[str, list[int]], path: str) -> list[int]:
        for prefix in reversed(ancestor_paths(path)):
            found = lists.get(prefix)
            if found:
                return found
        return []

    def elders_for(self, org: Organization, label: str) -> list[int]:
        rng = self.rng
        if rng.random() >= ELDER_SHARE.get(label, ELDER_SHARE_DEFAULT):
            return []
        local = self.pool.get(org.path, [])
        pool = local if local and rng.random() < 0.7 else self.pool.get(self.area[org.path], [])
        if not pool:
            return []
        wanted = min(len(pool), rng.choices(*zip(*ELDER_COUNTS, strict=True))[0])
        return rng.sample(pool, wanted)


# --- Writing and removing -----------------------------------------------------------------


def lookups() -> tuple[dict[str, int], dict[str, int]]:
    """Activity types and young-people categories by label (built-in items)."""
    items = DictItem.objects.filter(
        kind__in=(DictKind.ACTIVITY_TYPE, DictKind.YOUTH_CATEGORY)
    ).values_list("kind", "label", "pk")
    types = {label: pk for kind, label, pk in items if kind == DictKind.ACTIVITY_TYPE}
    audiences = {label: pk for kind, label, pk in items if kind == DictKind.YOUTH_CATEGORY}
    return types, audiences


def write(plan: ActivityPlan, batch_size: int) -> bulk.Result:
    """Insert the planned activities and their relations, then count them into the statistics."""
    Activity.objects.bulk_create(plan.activities, batch_size=batch_size)
    if plan.activities and any(a.pk is None for a in plan.activities):  # pragma: no cover
        pks = list(Activity.objects.order_by("pk").values_list("pk", flat=True))
        for activity, pk in zip(plan.activities, pks[-len(plan.activities) :], strict=True):
            activity.pk = pk
    ActivityElder.objects.bulk_create(
        [ActivityElder(activity_id=a.pk, elder_id=e, hours=h) for a, e, h in plan.elders],
        batch_size=batch_size,
    )
    Activity.teams.through.objects.bulk_create(
        [Activity.teams.through(activity_id=a.pk, team_id=t) for a, t in plan.teams],
        batch_size=batch_size,
    )
    Activity.co_organizers.through.objects.bulk_create(
        [
            Activity.co_organizers.through(activity_id=a.pk, organization_id=o)
            for a, o in plan.co_organizers
        ],
        batch_size=batch_size,
    )
    return bulk.add(Activity.objects.all())


def remove_all() -> None:
    """Delete every activity and the counters (plain DELETEs: the region may be large)."""
    for attachment in ActivityAttachment.objects.all().iterator():
        delete_on_commit(attachment.file)
    for model in (
        ActivityAttachment,
        ActivityElder,
        Activity.teams.through,
        Activity.youths.through,
        Activity.co_organizers.through,
        Activity.member_units.through,  # a meeting's member units that co-organised
        ActivityMonth,
        ActivityYear,
        EngagedElders,
        Activity,
    ):
        qs = model._base_manager.all()
        qs._raw_delete(qs.db)
