"""Teams and mentorships of the demo people (mixed into ``people.PeoplePlanner``)."""

import datetime

from guangong.core.pinyin import search_key
from guangong.orgs.models import Kind, Organization
from guangong.people.choices import Health
from guangong.people.models import Elder, Mentorship, MentorshipVisit, Team, Youth, age_on

from .draw import choose_int, years_after
from .people_data import (
    ADULT,
    CHILD_GOALS,
    GOALS_BY_CATEGORY,
    MENTEE_COUNTS,
    MENTOR_SHARE,
    TEAM_DESCRIPTIONS,
    TEAM_KINDS,
    TEAM_NAMES,
    TEAM_SHARE,
    VISITS,
)


class GroupPlanning:
    """Plans teams from each area's elders, then mentorships within the mentee limit."""

    def teams(self) -> None:
        """Each county and city: a team of each kind (most of them), ≈1/3 of its own elders."""
        rng = self.rng
        own: dict[str, list[Elder]] = {}
        for elder in self.plan.elders:
            if elder.active:
                own.setdefault(self.area[elder.organization.path], []).append(elder)
        for org in self.orgs:
            if org.kind not in (Kind.COUNTY, Kind.CITY):
                continue
            elders = own.get(org.path, [])
            kinds = [k for k in TEAM_KINDS if k in ("宣讲团", "志愿服务队") or rng.random() < 0.75]
            size = round(len(elders) * TEAM_SHARE)
            if size < len(kinds) * 2:
                kinds = kinds[: max(1, size // 2)]
            if size < 2:
                continue
            chosen = rng.sample(elders, size)
            shares = [rng.uniform(1, 3) for _ in kinds]
            total = sum(shares)
            start = 0
            for i, kind in enumerate(kinds):
                end = (
                    size if i == len(kinds) - 1 else start + max(2, round(size * shares[i] / total))
                )
                members = chosen[start : min(end, size)]
                start = end
                if not members:
                    continue
                place = org.short_name or org.name
                team = Team(
                    organization=org,
                    name=place + TEAM_NAMES[kind],
                    leader=members[0],
                    description=TEAM_DESCRIPTIONS[kind],
                    search_text=search_key(place + TEAM_NAMES[kind]),
                )
                self.plan.teams.append(team)
                self.plan.team_kinds[id(team)] = kind
                self.plan.team_members.extend((team, m) for m in members)

    # --- Mentorships -------------------------------------------------------------------------

    def mentorships(self) -> None:
        """Active elders mentor 1–3 young people of their county (or city); some pairings ended."""
        rng = self.rng
        youth_by_area: dict[str, list[Youth]] = {}
        for youth in self.plan.youth:
            youth_by_area.setdefault(self.area[youth.organization.path], []).append(youth)
        for pool in youth_by_area.values():
            rng.shuffle(pool)
        for elder in self.plan.elders:
            if not elder.active or elder.health == Health.POOR or rng.random() >= MENTOR_SHARE:
                continue
            pool = youth_by_area.get(self.area[elder.organization.path])
            if not pool:
                continue
            active = min(self.max_active, choose_int(rng, MENTEE_COUNTS))
            ended = rng.choice((0, 0, 0, 1, 1, 2))
            for i in range(active + ended):
                if not pool:
                    break
                self.mentorship(elder, pool.pop(), ended=i >= active)

    def mentorship(self, elder: Elder, youth: Youth, ended: bool) -> None:
        rng = self.rng
        today = self.today
        earliest = max(
            elder.joined_on,
            years_after(youth.birth_date, 6),
            today - datetime.timedelta(days=6 * 365 if ended else 3 * 365),
        )
        if ended:
            latest = today - datetime.timedelta(days=200)
            start = self.date_between(earliest, latest)
            end = min(start + datetime.timedelta(days=rng.randint(180, 900)), latest)
            end = max(end, start + datetime.timedelta(days=30))
            if end >= today:
                ended = False
        if not ended:
            start = self.date_between(earliest, today - datetime.timedelta(days=7))
            end = None
        org = self.common_ancestor(elder.organization, youth.organization)
        mentorship = Mentorship(
            organization=org, elder=elder, youth=youth, start_date=start, end_date=end
        )
        self.plan.mentorships.append(mentorship)
        category = self.plan.youth_categories[id(youth)]
        goals = GOALS_BY_CATEGORY.get(category, CHILD_GOALS)
        chosen = rng.sample(goals, rng.randint(1, len(goals)))
        self.plan.goals.extend((mentorship, g) for g in chosen)
        last = end or today
        if end is not None or rng.random() < 0.15:
            adult = age_on(youth.birth_date, last) >= ADULT
            options = ["评优评先", "升学"] + (["技能证书", "就业", "入党"] if adult else [])
            outcomes = rng.sample(options, rng.randint(1, 2))
            self.plan.outcomes.extend((mentorship, o) for o in outcomes)
        months = max(1, (last - start).days // 30)
        for _ in range(rng.randint(1, min(10, 1 + months // 2))):
            self.plan.visits.append(
                MentorshipVisit(
                    mentorship=mentorship,
                    date=self.date_between(start, last),
                    content=rng.choice(VISITS),
                    duration_minutes=rng.choice((30, 45, 60, 60, 90, 120)),
                )
            )

    def common_ancestor(self, a: Organization, b: Organization) -> Organization:
        step = Organization.steplen
        depth = 0
        while (
            depth < min(a.depth, b.depth)
            and a.path[depth * step : (depth + 1) * step]
            == b.path[depth * step : (depth + 1) * step]
        ):
            depth += 1
        return self.by_path[a.path[: depth * step]]
