"""The people of the demo region: 五老 volunteers, young people, teams and mentorships.

Planned in memory after the organisation tree, from a generator of their own (seeded from the
same seed), so that adding people changes nothing in the tree or the demo accounts. Written
with bulk inserts: ID numbers are encrypted, hashed and masked here, not through ``save()``.

Same scale and seed ⇒ the same people, ID numbers, teams, mentorships and visits (the
ciphertexts differ, their nonces being random; the clear values and hashes do not).
"""

import datetime
import random
from dataclasses import dataclass, field

from faker import Faker

from guangong.core import crypto, idnumber
from guangong.core.pinyin import search_key
from guangong.orgs.models import Kind, Organization
from guangong.people.choices import Health, HouseholdType, PoliticalStatus, Sex
from guangong.people.models import Elder, Mentorship, MentorshipVisit, Team, Youth, age_on

from .draw import choose, years_after, years_before
from .geography import ILI, PROVINCE, PROVINCE_SEAT
from .groups import GroupPlanning
from .names import SUFFIX, Namer, numeral
from .people_data import (
    ADULT,
    AREA_KINDS,
    AVAILABILITY,
    CADRE_POSTS,
    CADRE_UNITS,
    CATEGORY_SPECIALITIES,
    COLLEGES,
    DEFAULT_GUARDIANS,
    DUPLICATE_PAIRS,
    ENTERPRISE_KINDS,
    EXPERT_UNITS,
    GUARDIANS,
    MODEL_POSTS,
    MODEL_UNITS,
    REGION_KINDS,
    SAME_SURNAME,
    SPECIALITIES,
    STUDENT_SCHOOLS,
    TEACHER_POSTS,
    TURKIC_FEMALE,
    TURKIC_MALE,
    TURKIC_NAME_ETHNICITIES,
    VETERAN_POSTS,
    VETERAN_UNITS,
)
from .profiles import (
    CATEGORY_AGES,
    ELDER_CATEGORY_WEIGHTS,
    ELDER_SHARE,
    ELDER_WEIGHTS,
    ETHNICITY_WEIGHTS,
    ETHNICITY_WEIGHTS_ILI,
    ETHNICITY_WEIGHTS_XIBE,
    STATUS_FACTORS,
    YOUTH_CATEGORY_WEIGHTS,
    YOUTH_WEIGHTS,
    Profile,
)


@dataclass
class PeoplePlan:
    elders: list[Elder] = field(default_factory=list)
    youth: list[Youth] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    mentorships: list[Mentorship] = field(default_factory=list)
    visits: list[MentorshipVisit] = field(default_factory=list)
    # Many-to-many rows as (object, dictionary label or elder) pairs, written after the objects.
    elder_categories: list[tuple[Elder, str]] = field(default_factory=list)
    elder_specialities: list[tuple[Elder, str]] = field(default_factory=list)
    team_members: list[tuple[Team, Elder]] = field(default_factory=list)
    youth_categories: dict[int, str] = field(default_factory=dict)  # id(youth) → label
    team_kinds: dict[int, str] = field(default_factory=dict)  # id(team) → label
    goals: list[tuple[Mentorship, str]] = field(default_factory=list)
    outcomes: list[tuple[Mentorship, str]] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len(self.elders) + len(self.youth)


class PeoplePlanner(GroupPlanning):
    """Plans the people of a planned tree (``organizations`` in creation order, parents first)."""

    def __init__(
        self,
        profile: Profile,
        seed: int,
        organizations: list[Organization],
        today: datetime.date,
        max_active: int,
    ):
        self.profile = profile
        self.rng = random.Random(f"guangong-demo-people-{seed}")
        fake = Faker("zh_CN")
        fake.seed_instance(f"guangong-demo-people-{seed}")
        self.namer = Namer(self.rng, fake)
        self.orgs = organizations
        self.today = today
        self.max_active = max(1, max_active)
        self.plan = PeoplePlan()
        self.by_path = {org.path: org for org in organizations}
        self.region_code: dict[str, str] = {}  # path → six-digit code of the nearest region
        self.area: dict[str, str] = {}  # path → path of the nearest county, city or province
        self.place: dict[str, str] = {}  # path → short name of that area (伊宁市, 伊犁州)
        step = Organization.steplen
        for org in organizations:
            parent = org.path[:-step]
            if org.kind in REGION_KINDS and org.division_code:
                self.region_code[org.path] = org.division_code[:6]
            else:
                self.region_code[org.path] = self.region_code[parent]
            if org.kind in AREA_KINDS:
                self.area[org.path] = org.path
                self.place[org.path] = org.short_name or org.name
            else:
                self.area[org.path] = self.area[parent]
                self.place[org.path] = self.place[parent]
        self.id_numbers: set[str] = set()
        self.clear_ids: dict[int, str] = {}  # id(person) → ID number, until written
        self.search_keys: dict[str, str] = {}

    # --- Primitives ------------------------------------------------------------------------

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return end
        return datetime.date.fromordinal(self.rng.randint(start.toordinal(), end.toordinal()))

    def birth_date(self, low: int, high: int) -> datetime.date:
        """A birth date for someone aged ``low``–``high`` (inclusive) on ``today``."""
        today = self.today
        latest = years_before(today, low)
        earliest = years_before(today, high + 1) + datetime.timedelta(days=1)
        return self.date_between(earliest, latest)

    def ethnicity(self, org: Organization) -> str:
        code = self.region_code[org.path]
        if code == "654022":  # 察布查尔锡伯自治县
            weights = ETHNICITY_WEIGHTS_XIBE
        elif code.startswith(ILI.code[:4]):
            weights = ETHNICITY_WEIGHTS_ILI
        else:
            weights = ETHNICITY_WEIGHTS
        return choose(self.rng, weights.items())

    def name(self, ethnicity: str, sex: str) -> str:
        if ethnicity in TURKIC_NAME_ETHNICITIES:
            given = TURKIC_MALE if sex == Sex.MALE else TURKIC_FEMALE
            return f"{self.rng.choice(given)}·{self.rng.choice(TURKIC_MALE)}"
        return self.namer.person()

    def phone(self, share: float) -> str:
        return self.namer.mobile() if self.rng.random() < share else ""

    # --- Organisations ------------------------------------------------------------------------

    def allocate(self, total: int, weights: dict[str, float]) -> list[Organization]:
        """``total`` organisations drawn by kind and status weight (repeats: several people)."""
        orgs = [o for o in self.orgs if weights.get(o.kind, 0) and STATUS_FACTORS[o.status]]
        w = [weights[o.kind] * STATUS_FACTORS[o.status] for o in orgs]
        picks = self.rng.choices(orgs, weights=w, k=total)
        order = {o.path: i for i, o in enumerate(self.orgs)}
        return sorted(picks, key=lambda o: order[o.path])

    # --- The plan ------------------------------------------------------------------------------

    def build(self) -> PeoplePlan:
        total = self.rng.randint(*self.profile.people)
        elders = round(total * ELDER_SHARE)
        for org in self.allocate(elders, ELDER_WEIGHTS):
            self.elder(org)
        for org in self.allocate(total - elders, YOUTH_WEIGHTS):
            self.youth(org)
        self.duplicates()
        self.teams()
        self.mentorships()
        return self.plan

    def elder(self, org: Organization) -> None:
        rng = self.rng
        sex = Sex.MALE if rng.random() < 0.68 else Sex.FEMALE
        ethnicity = self.ethnicity(org)
        born = self.birth_date(60, 85)
        age = age_on(born, self.today)
        first = choose(rng, ELDER_CATEGORY_WEIGHTS.items())
        categories = [first]
        if rng.random() < 0.25:
            second = choose(rng, ELDER_CATEGORY_WEIGHTS.items())
            if second != first:
                categories.append(second)
        unit, post = self.former(org, first)
        health = choose(
            rng,
            (
                (Health.GOOD, max(20, 90 - 2 * (age - 60))),
                (Health.FAIR, 30 + age - 60),
                (Health.POOR, 3 + (age - 60) // 3),
            ),
        )
        joined_from = max(years_after(born, 55), datetime.date(1995, 1, 1))
        joined = self.date_between(joined_from, self.today - datetime.timedelta(days=30))
        active = rng.random() < (0.93 if health != Health.POOR else 0.5)
        elder = Elder(
            organization=org,
            name=self.name(ethnicity, sex),
            sex=sex,
            birth_date=born,
            phone=self.phone(0.9),
            former_unit=unit,
            former_post=post,
            political_status=choose(
                rng,
                (
                    (PoliticalStatus.CPC, 86),
                    (PoliticalStatus.DEMOCRATIC, 3),
                    (PoliticalStatus.MASSES, 11),
                ),
            ),
            health=health,
            availability=rng.choice(AVAILABILITY),
            joined_on=joined,
            active=active,
        )
        self.plan.elders.append(elder)
        self.plan.elder_categories.extend((elder, c) for c in categories)
        pool = sorted({s for c in categories for s in CATEGORY_SPECIALITIES[c]})
        chosen = rng.sample(pool, min(len(pool), rng.randint(1, 2)))
        if rng.random() < 0.2:
            chosen.append(rng.choice(SPECIALITIES))
        self.plan.elder_specialities.extend((elder, s) for s in dict.fromkeys(chosen))

    def former(self, org: Organization, category: str) -> tuple[str, str]:
        """Where an elder of ``category`` worked and what as (伊宁市教育局, 副局长)."""
        rng = self.rng
        place = self.place[org.path]
        if place == PROVINCE[1]:  # the provincial committee: retired in the capital
            place = PROVINCE_SEAT
        if org.kind not in REGION_KINDS and category != "老战士" and rng.random() < 0.5:
            unit = org.name.removesuffix(SUFFIX)  # retired from the unit they now serve
            if category == "老教师" and org.kind != Kind.SCHOOL:
                unit = f"{place}第{rng.choice('一二三四五六七八')}中学"
            posts = {
                "老干部": CADRE_POSTS,
                "老教师": TEACHER_POSTS,
                "老专家": ("高级工程师", "高级经济师", "总工程师"),
                "老模范": MODEL_POSTS,
            }[category]
            return unit, rng.choice(posts)
        if category == "老干部":
            return place + rng.choice(CADRE_UNITS), rng.choice(CADRE_POSTS)
        if category == "老教师":
            school = rng.choice(("第一中学", "第二中学", "第三中学", "实验小学", "第二小学"))
            return place + school, rng.choice(TEACHER_POSTS)
        if category == "老专家":
            unit, posts = rng.choice(EXPERT_UNITS)
            return place + unit, rng.choice(posts.split())
        if category == "老战士":
            unit = rng.choice(VETERAN_UNITS)
            return (place + unit if unit == "人民武装部" else unit), rng.choice(VETERAN_POSTS)
        return place + rng.choice(MODEL_UNITS), rng.choice(MODEL_POSTS)

    def youth(self, org: Organization) -> None:
        rng = self.rng
        mix = YOUTH_CATEGORY_WEIGHTS.get(org.kind) or YOUTH_CATEGORY_WEIGHTS["other"]
        category = choose(rng, mix.items())
        ethnicity = self.ethnicity(org)
        if category == "少数民族青年职工":
            while ethnicity == "汉族":
                ethnicity = self.ethnicity(org)
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        born = self.birth_date(*CATEGORY_AGES[category])
        age = age_on(born, self.today)
        name = self.name(ethnicity, sex)
        guardian = relation = guardian_phone = ""
        if age < ADULT:
            relation = choose(rng, GUARDIANS.get(category, DEFAULT_GUARDIANS))
            guardian = self.guardian(name, ethnicity, relation)
            guardian_phone = self.namer.mobile()
        rural = org.kind in (Kind.TOWNSHIP, Kind.VILLAGE) or category in ("留守儿童",)
        household = choose(
            rng,
            (
                (HouseholdType.RURAL, 75 if rural else 25),
                (HouseholdType.URBAN, 15 if rural else 55),
                (HouseholdType.RESIDENT, 10 if rural else 20),
            ),
        )
        youth = Youth(
            organization=org,
            name=name,
            sex=sex,
            birth_date=born,
            phone=self.phone(0.85) if age >= 16 else "",
            guardian_name=guardian,
            guardian_phone=guardian_phone,
            guardian_relation=relation,
            school_or_employer=self.school_or_employer(org, category, age),
            ethnicity=ethnicity,
            household_type=household,
        )
        self.plan.youth.append(youth)
        self.plan.youth_categories[id(youth)] = category

    def guardian(self, child: str, ethnicity: str, relation: str) -> str:
        if ethnicity in TURKIC_NAME_ETHNICITIES:
            father = child.partition("·")[2]
            if relation == "父亲":
                return f"{father}·{self.rng.choice(TURKIC_MALE)}"
            female = relation in ("母亲", "祖母", "外祖母")
            return self.name(ethnicity, Sex.FEMALE if female else Sex.MALE)
        name = self.namer.person()
        if relation in SAME_SURNAME:
            return child[0] + name[1:]
        return name

    def school_or_employer(self, org: Organization, category: str, age: int) -> str:
        own = org.name.removesuffix(SUFFIX)
        if category in ("青年职工", "少数民族青年职工") or (
            category == "外来务工青年及子女" and age >= ADULT
        ):
            if org.kind in ENTERPRISE_KINDS or org.kind == Kind.AGENCY:
                return own
            return self.namer._private("county", self.local_place(org), "")
        if age < 6 or category == "失足青少年":
            return ""
        if org.kind == Kind.SCHOOL:
            return own
        if age > 18:
            return self.rng.choice(COLLEGES) if age <= 22 else ""
        for limit, school in STUDENT_SCHOOLS:
            if age <= limit:
                if org.kind in (Kind.TOWNSHIP, Kind.VILLAGE):
                    township = self.by_path[org.path[: 4 * Organization.steplen]]
                    return township.name + school
                number = numeral(self.rng.randint(1, 6 if school == "高级中学" else 12))
                return f"{self.local_place(org)}第{number}{school.removeprefix('中心')}"
        return ""

    def local_place(self, org: Organization) -> str:
        place = self.place[org.path]
        return PROVINCE_SEAT if place == PROVINCE[1] else place

    # --- Duplicates ------------------------------------------------------------------------

    def duplicates(self) -> None:
        """A few people registered twice, in two counties, under two different ID numbers:
        the second record takes the first one's name, sex and birth date."""
        rng = self.rng
        for people in (self.plan.elders, self.plan.elders, self.plan.youth)[:DUPLICATE_PAIRS]:
            for _attempt in range(50):
                first, second = rng.sample(people, 2)
                if self.area[first.organization.path] == self.area[second.organization.path]:
                    continue
                if isinstance(first, Youth) and (
                    self.plan.youth_categories[id(first)] != self.plan.youth_categories[id(second)]
                    or first.ethnicity != second.ethnicity
                ):
                    continue
                second.name, second.sex, second.birth_date = first.name, first.sex, first.birth_date
                if isinstance(second, Youth):  # the same child has the same guardian
                    second.guardian_name = first.guardian_name
                    second.guardian_relation = first.guardian_relation
                    second.guardian_phone = first.guardian_phone
                    second.phone = first.phone
                break

    # --- ID numbers ------------------------------------------------------------------------

    def id_number(self, person) -> str:
        region = self.region_code[person.organization.path]
        born = person.birth_date.strftime("%Y%m%d")
        odd = 1 if person.sex == Sex.MALE else 0
        while True:
            first17 = f"{region}{born}{self.rng.randrange(500) * 2 + odd:03d}"
            if first17 not in self.id_numbers:
                self.id_numbers.add(first17)
                return first17 + idnumber.checksum_char(first17)

    def finish(self, person) -> None:
        """Search key and ID number (encrypted, hashed and masked), as ``save()`` would."""
        key = self.search_keys.get(person.name)
        if key is None:
            key = self.search_keys[person.name] = search_key(person.name)
        person.search_text = key
        value = self.id_number(person)
        person.id_number_enc = crypto.encrypt(value)
        person.id_number_hash = crypto.blind_index(value)
        person.id_number_masked = idnumber.mask(value)

    # --- Teams -----------------------------------------------------------------------------
