"""Builds the demo region deterministically: the tree is planned in memory with its
materialised paths computed here, then written with a few bulk inserts.

Same scale and seed ⇒ the same names, codes, statuses, dates and paths.
"""

import datetime
import random
from dataclasses import dataclass, field

from faker import Faker

from guangong.core.pinyin import search_key
from guangong.orgs.models import UNIT_KINDS, Kind, Organization, Position, Status

from .geography import (
    COUNTY_A_CODE,
    COUNTY_B_CODE,
    ILI,
    PREFECTURES,
    PROVINCE,
    PROVINCE_SEAT,
    Division,
    Prefecture,
    party_committee,
)
from .names import SUFFIX, Namer
from .profiles import (
    STATUS_WEIGHTS,
    STATUSES,
    UNIT_MIX,
    VILLAGE_UNDER_UNESTABLISHED,
    Profile,
)
from .roster import plan_roster

#: treebeard's default alphabet for materialised paths (base 36).
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: The demo data describe the situation on this date (or today, if that is earlier).
REFERENCE_DATE = datetime.date(2025, 6, 30)
#: When committees were set up, by kind: the provincial committee first (1991), then down the
#: tree; townships, villages and units are still being set up today.
ESTABLISHED_YEARS = {
    Kind.PROVINCE: (1991, 1993),
    Kind.CITY: (1992, 1998),
    Kind.COUNTY: (1993, 2006),
    Kind.TOWNSHIP: (1998, 2100),
    Kind.VILLAGE: (2003, 2100),
}
UNIT_YEARS = (2006, 2100)
# Township-level codes: subdistricts 001–099, towns 101–199, townships 201–399 (GB/T 10114).
TOWNSHIP_CODE_BASE = {"街道": 0, "镇": 100, "乡": 200}
# Village-level codes: communities 001–199, villages 200–399.
VILLAGE_CODE_BASE = {"社区": 0, "村": 199}
KIND_ORDER = {k: i for i, k in enumerate(UNIT_KINDS)}
#: Kinds named after the county even when they sit in a township (伊宁市xx有限公司).
COMPANY_KINDS = (Kind.PRIVATE_ENTERPRISE, Kind.STATE_ENTERPRISE, Kind.CHAMBER, Kind.PARK)


def path_step(n: int, steplen: int = Organization.steplen) -> str:
    """The path segment of the n-th child (1-based): 1 → '0001', 36 → '0010'."""
    digits = ""
    while n:
        n, r = divmod(n, len(ALPHABET))
        digits = ALPHABET[r] + digits
    if len(digits) > steplen:
        raise ValueError("too many children for one node")
    return digits.rjust(steplen, "0")


@dataclass
class Plan:
    organizations: list[Organization] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    #: Where the demo accounts sit, by account key.
    anchors: dict[str, Organization] = field(default_factory=dict)

    @property
    def root(self) -> Organization:
        return self.organizations[0]


class Planner:
    """Plans the demo tree for one profile and seed, drawing everything from seeded sources."""

    def __init__(self, profile: Profile, seed: int, today: datetime.date | None = None):
        self.profile = profile
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.namer = Namer(self.rng, self.fake)
        self.today = min(REFERENCE_DATE, today or REFERENCE_DATE)
        self.plan = Plan()

    # --- Primitives ------------------------------------------------------------------------

    def span(self, bounds: tuple[int, int]) -> int:
        return self.rng.randint(*bounds)

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return end
        return datetime.date.fromordinal(self.rng.randint(start.toordinal(), end.toordinal()))

    def status_and_dates(self, kind: str, parent: Organization | None, force: str | None):
        weights = STATUS_WEIGHTS[kind]
        if kind == Kind.VILLAGE and parent is not None and parent.established_on is None:
            weights = VILLAGE_UNDER_UNESTABLISHED  # little happens below a township without one
        status = force or self.rng.choices(STATUSES, weights=weights)[0]
        if status == Status.NONE:
            return status, None, None
        if status == Status.PREPARING:
            since = self.today - datetime.timedelta(days=self.rng.randint(30, 720))
            return status, since, None
        first_year, last_year = ESTABLISHED_YEARS.get(kind, UNIT_YEARS)
        first = datetime.date(first_year, 1, 1)
        last = min(datetime.date(last_year, 12, 31), self.today - datetime.timedelta(days=60))
        if status == Status.CONSOLIDATED:  # five-good takes a few years of work
            last = min(last, self.today - datetime.timedelta(days=2 * 365))
        if parent is not None and parent.established_on:  # not before the committee above
            first = max(first, parent.established_on)
        first = min(first, last)
        established = self.date_between(first, last)
        if status == Status.ESTABLISHED:
            return status, established, established
        since = self.date_between(established + datetime.timedelta(days=365), self.today)
        return status, min(since, self.today), established

    def add(
        self,
        parent: Organization | None,
        *,
        name: str,
        kind: str,
        address_prefix: str,
        short_name: str = "",
        code: str | None = None,
        status: str | None = None,
    ) -> Organization:
        """Plan one node as the next child of ``parent``; paths and numchild are kept here."""
        if parent is None:
            path = path_step(1)
        else:
            parent.numchild += 1
            path = parent.path + path_step(parent.numchild)
        status, since, established_on = self.status_and_dates(kind, parent, status)
        org = Organization(
            path=path,
            depth=len(path) // Organization.steplen,
            numchild=0,
            name=name,
            short_name=short_name,
            kind=kind,
            division_code=code,
            status=status,
            status_since=since,
            established_on=established_on,
            address=self.namer.address(address_prefix),
            contact_person=self.namer.person(),
            contact_phone=self.namer.mobile(),
            search_text=search_key(name, short_name),
        )
        self.plan.organizations.append(org)
        return org

    # --- The tree --------------------------------------------------------------------------

    def build(self) -> Plan:
        name, short_name, code = PROVINCE
        root = self.add(
            None,
            name=name,
            short_name=short_name,
            kind=Kind.PROVINCE,
            code=code,
            address_prefix=f"新疆{PROVINCE_SEAT}",
        )
        self.plan.anchors["province"] = root
        prefectures = PREFECTURES if self.profile.all_prefectures else (ILI,)
        for prefecture in prefectures:
            self.prefecture(root, prefecture)
        kinds = self.unit_kinds("province", self.span(self.profile.province_units))
        self.units(root, kinds, "province", name, party_committee(name), f"新疆{PROVINCE_SEAT}")
        for org in self.plan.organizations:
            if org.status in (Status.ESTABLISHED, Status.CONSOLIDATED):
                self.plan.positions.extend(plan_roster(self, org))
        return self.plan

    def prefecture(self, root: Organization, prefecture: Prefecture) -> None:
        seat = prefecture.counties[0].name
        where = f"新疆{prefecture.display}{seat}"
        status = Status.CONSOLIDATED if prefecture is ILI else None
        city = self.add_division(root, prefecture, Kind.CITY, where, status=status)
        if prefecture is ILI:
            self.plan.anchors["city"] = city
        for county in self.counties_of(prefecture):
            self.county(city, prefecture, county)
        kinds = self.unit_kinds("city", self.span(self.profile.city_units), every_kind=True)
        place = prefecture.display
        self.units(city, kinds, "city", place, party_committee(place), where)

    def add_division(self, parent, division, kind, where: str, **extra) -> Organization:
        """The committee of an administrative division (a prefecture, a county)."""
        return self.add(
            parent,
            name=division.name,
            short_name=division.short_name,
            kind=kind,
            code=division.code,
            address_prefix=where,
            **extra,
        )

    def counties_of(self, prefecture: Prefecture) -> tuple[Division, ...]:
        if prefecture is not ILI or self.profile.extra_counties is None:
            return prefecture.counties
        fixed = [c for c in prefecture.counties if c.code in (COUNTY_A_CODE, COUNTY_B_CODE)]
        others = [c for c in prefecture.counties if c not in fixed]
        extra = self.rng.sample(others, self.span(self.profile.extra_counties))
        return tuple(c for c in prefecture.counties if c in fixed or c in extra)

    def county(self, city: Organization, prefecture: Prefecture, division: Division) -> None:
        where = f"新疆{prefecture.display}{division.name}"
        county = self.add_division(city, division, Kind.COUNTY, where)
        if division.code == COUNTY_A_CODE:
            self.plan.anchors["county_a"] = county
        elif division.code == COUNTY_B_CODE:
            self.plan.anchors["county_b"] = county
        place = division.display
        if place.endswith("区"):
            weights = (70, 20, 10)
        elif place.endswith("市"):
            weights = (40, 30, 30)
        else:
            weights = (5, 45, 50)
        count = self.span(self.profile.townships)
        sorts = sorted(
            self.rng.choices(list(TOWNSHIP_CODE_BASE), weights=weights, k=count),
            key=list(TOWNSHIP_CODE_BASE).index,
        )
        taken: set[str] = set()
        numbers = dict(TOWNSHIP_CODE_BASE)
        for sort in sorts:
            numbers[sort] += 1
            code = f"{division.code}{numbers[sort]:03d}000"
            name = self.namer.unique_place(taken, sort)
            demo = division.code == COUNTY_A_CODE and "town_a" not in self.plan.anchors
            self.township(county, place, name, code, sort, f"{where}{name}", demo)
        kinds = self.unit_kinds("county", self.span(self.profile.county_units), every_kind=True)
        self.units(county, kinds, "county", place, party_committee(place), where)

    def township(
        self,
        county: Organization,
        county_place: str,
        name: str,
        code: str,
        sort: str,
        where: str,
        demo: bool,
    ) -> None:
        """A township with its villages and units; enterprises are named after the county."""
        township = self.add(
            county,
            name=name,
            kind=Kind.TOWNSHIP,
            code=code,
            address_prefix=where,
            status=Status.ESTABLISHED if demo else None,
        )
        community_share = {"街道": 1.0, "镇": 0.25, "乡": 0.05}[sort]
        count = self.span(self.profile.villages)
        sorts = sorted(
            ("社区" if self.rng.random() < community_share else "村" for _ in range(count)),
            key=list(VILLAGE_CODE_BASE).index,
        )
        taken: set[str] = set()
        numbers = dict(VILLAGE_CODE_BASE)
        for village_sort in sorts:
            numbers[village_sort] += 1
            village = self.namer.unique_place(taken, village_sort)
            office = "村委会" if village_sort == "村" else "居委会"
            self.add(
                township,
                name=village,
                kind=Kind.VILLAGE,
                code=f"{code[:9]}{numbers[village_sort]:03d}",
                address_prefix=f"{where}{village}{office}",
            )
        kinds = self.unit_kinds("township", self.span(self.profile.township_units))
        if demo:  # the demo enterprise committee, directly under the demo township
            self.plan.anchors["town_a"] = township
            self.plan.anchors["unit_a"] = self.unit(
                township,
                Kind.PRIVATE_ENTERPRISE,
                "township",
                name,
                "",
                where,
                company_place=county_place,
                status=Status.ESTABLISHED,
            )
        self.units(township, kinds, "township", name, "", where, company_place=county_place)

    def unit_kinds(self, level: str, extra: int, every_kind: bool = False) -> list[str]:
        mix = UNIT_MIX[level]
        kinds = list(UNIT_KINDS) if every_kind else []
        kinds += self.rng.choices(list(mix), weights=list(mix.values()), k=extra)
        return sorted(kinds, key=KIND_ORDER.__getitem__)

    def units(self, parent: Organization, kinds: list[str], *args, **kwargs) -> None:
        """One unit committee of each kind; the other arguments are ``unit``'s."""
        for kind in kinds:
            self.unit(parent, kind, *args, **kwargs)

    def unit(
        self,
        parent: Organization,
        kind: str,
        level: str,
        place: str,
        party: str,
        where: str,
        park: str = "",
        company_place: str = "",
        status: str | None = None,
    ) -> Organization:
        """One unit committee (and, for an industrial park, the enterprises in it)."""
        unit_level, unit_place = level, place
        if company_place and kind in COMPANY_KINDS:
            unit_level, unit_place = "county", company_place
        name = self.namer.unit(kind, unit_level, unit_place, party, park)
        if name is None:  # every plausible name of this kind is taken here
            kind = Kind.PRIVATE_ENTERPRISE
            unit_level = "province" if level == "province" else "county"
            name = self.namer.unit(kind, unit_level, company_place or place)
            if name is None:  # pragma: no cover - thousands of combinations per place
                raise RuntimeError(f"no unit name left in {place}")
        unit = self.add(parent, name=name, kind=kind, address_prefix=where, status=status)
        if kind == Kind.PARK:
            members = self.unit_kinds("park", self.span(self.profile.park_members))
            park_name = unit.name.removesuffix(SUFFIX)
            self.units(unit, members, "park", place, "", where, park=park_name)
        return unit
