"""How big each demo scale is, and how statuses and units are distributed.

The proportions follow the seed documents: about 58% of townships have a committee
(“全市150个乡镇(街道)中…87个，占58%”), villages fewer; agencies, schools and state-owned
enterprises mostly have one, private enterprises and chambers of commerce about half.
"""

from dataclasses import dataclass

from guangong.orgs.models import Kind, Status

Range = tuple[int, int]


@dataclass(frozen=True)
class Profile:
    name: str
    all_prefectures: bool  # all of Xinjiang, or 伊犁州 alone
    extra_counties: Range | None  # counties of 伊犁州 besides A and B; None: all of them
    townships: Range  # per county
    villages: Range  # per township
    township_units: Range
    county_units: Range  # besides one unit of every kind
    city_units: Range  # besides one unit of every kind
    province_units: Range
    park_members: Range  # enterprise committees under an industrial park


PROFILES = {
    "small": Profile(
        name="small",
        all_prefectures=False,
        extra_counties=(1, 2),
        townships=(4, 6),
        villages=(4, 9),
        township_units=(2, 4),
        county_units=(2, 6),
        city_units=(2, 6),
        province_units=(2, 4),
        park_members=(1, 2),
    ),
    "city": Profile(
        name="city",
        all_prefectures=False,
        extra_counties=None,
        townships=(9, 16),
        villages=(14, 30),
        township_units=(3, 9),
        county_units=(40, 90),
        city_units=(80, 120),
        province_units=(10, 20),
        park_members=(3, 10),
    ),
    "province": Profile(
        name="province",
        all_prefectures=True,
        extra_counties=None,
        townships=(10, 18),
        villages=(20, 36),
        township_units=(5, 12),
        county_units=(80, 160),
        city_units=(100, 200),
        province_units=(50, 80),
        park_members=(4, 12),
    ),
}

# Shares of none / preparing / established / consolidated, in percent.
STATUS_WEIGHTS: dict[str, tuple[int, int, int, int]] = {
    Kind.PROVINCE: (0, 0, 40, 60),
    Kind.CITY: (0, 0, 50, 50),
    Kind.COUNTY: (0, 0, 60, 40),
    Kind.TOWNSHIP: (15, 27, 43, 15),
    Kind.VILLAGE: (30, 25, 36, 9),
    Kind.AGENCY: (5, 10, 60, 25),
    Kind.STATE_ENTERPRISE: (5, 12, 63, 20),
    Kind.PRIVATE_ENTERPRISE: (30, 25, 36, 9),
    Kind.PARK: (15, 25, 45, 15),
    Kind.CHAMBER: (30, 25, 36, 9),
    Kind.SCHOOL: (5, 10, 55, 30),
    Kind.SOCIAL_ORG: (25, 30, 35, 10),
    Kind.JOINT: (0, 15, 65, 20),
}
VILLAGE_UNDER_UNESTABLISHED = (45, 30, 20, 5)
STATUSES = (Status.NONE, Status.PREPARING, Status.ESTABLISHED, Status.CONSOLIDATED)

# Which unit kinds hang where, and how often (weights).
UNIT_MIX: dict[str, dict[str, int]] = {
    "province": {
        Kind.AGENCY: 50,
        Kind.STATE_ENTERPRISE: 20,
        Kind.SCHOOL: 10,
        Kind.SOCIAL_ORG: 8,
        Kind.CHAMBER: 7,
        Kind.PRIVATE_ENTERPRISE: 5,
    },
    "city": {
        Kind.AGENCY: 35,
        Kind.SCHOOL: 15,
        Kind.STATE_ENTERPRISE: 15,
        Kind.PRIVATE_ENTERPRISE: 12,
        Kind.PARK: 5,
        Kind.CHAMBER: 8,
        Kind.SOCIAL_ORG: 7,
        Kind.JOINT: 3,
    },
    "county": {
        Kind.AGENCY: 30,
        Kind.SCHOOL: 30,
        Kind.STATE_ENTERPRISE: 7,
        Kind.PRIVATE_ENTERPRISE: 13,
        Kind.PARK: 4,
        Kind.CHAMBER: 6,
        Kind.SOCIAL_ORG: 6,
        Kind.JOINT: 4,
    },
    "township": {
        Kind.SCHOOL: 40,
        Kind.PRIVATE_ENTERPRISE: 32,
        Kind.AGENCY: 15,
        Kind.JOINT: 8,
        Kind.SOCIAL_ORG: 5,
    },
    "park": {Kind.PRIVATE_ENTERPRISE: 75, Kind.STATE_ENTERPRISE: 20, Kind.JOINT: 5},
}

# Leadership roster sources (serving leader, five-elders volunteer, party-building officer).
SOURCE_WEIGHTS: dict[str, tuple[int, int, int]] = {
    "director": (70, 30, 0),
    "executive_deputy": (40, 60, 0),
    "deputy": (45, 45, 10),
    "secretary_general": (50, 20, 30),
    "member": (30, 50, 20),
}
