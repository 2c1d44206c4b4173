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
    people: Range  # elders and young people in all
    activity_rate: float = 1.0  # activities per organisation and month, relative to the mix


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
        people=(1400, 1600),
        activity_rate=1.0,
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
        people=(68000, 72000),
        activity_rate=0.5,
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
        people=(290000, 310000),
        activity_rate=0.1,
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

# --- People -----------------------------------------------------------------------------------

#: Share of five-elders volunteers among the people (the rest are young people).
ELDER_SHARE = 0.35
#: People are registered where a committee exists (a little where one is being set up).
STATUS_FACTORS = {
    Status.NONE: 0,
    Status.PREPARING: 0.3,
    Status.ESTABLISHED: 1,
    Status.CONSOLIDATED: 1,
}
#: How many elders / young people an organisation of each kind holds, relatively.
ELDER_WEIGHTS: dict[str, float] = {
    Kind.PROVINCE: 30,
    Kind.CITY: 20,
    Kind.COUNTY: 12,
    Kind.TOWNSHIP: 5,
    Kind.VILLAGE: 1.5,
    Kind.AGENCY: 4,
    Kind.SCHOOL: 3,
    Kind.STATE_ENTERPRISE: 2,
    Kind.SOCIAL_ORG: 2,
    Kind.PRIVATE_ENTERPRISE: 0.5,
    Kind.PARK: 0.5,
    Kind.CHAMBER: 0.5,
    Kind.JOINT: 0.5,
}
YOUTH_WEIGHTS: dict[str, float] = {
    Kind.PROVINCE: 1,
    Kind.CITY: 2,
    Kind.COUNTY: 4,
    Kind.TOWNSHIP: 8,
    Kind.VILLAGE: 4,
    Kind.AGENCY: 1,
    Kind.SCHOOL: 12,
    Kind.STATE_ENTERPRISE: 6,
    Kind.PRIVATE_ENTERPRISE: 6,
    Kind.PARK: 3,
    Kind.JOINT: 3,
    Kind.CHAMBER: 1,
    Kind.SOCIAL_ORG: 2,
}
ELDER_CATEGORY_WEIGHTS = {"老干部": 35, "老教师": 25, "老专家": 15, "老模范": 15, "老战士": 10}
_ENTERPRISE_YOUTH = {"青年职工": 58, "少数民族青年职工": 30, "外来务工青年及子女": 12}
#: Youth categories by the kind of organisation they are registered at.
YOUTH_CATEGORY_WEIGHTS: dict[str, dict[str, int]] = {
    Kind.PRIVATE_ENTERPRISE: _ENTERPRISE_YOUTH,
    Kind.STATE_ENTERPRISE: _ENTERPRISE_YOUTH,
    Kind.PARK: _ENTERPRISE_YOUTH,
    Kind.JOINT: _ENTERPRISE_YOUTH,
    Kind.CHAMBER: _ENTERPRISE_YOUTH,
    Kind.SCHOOL: {"在校学生": 80, "留守儿童": 12, "困境儿童": 8},
    Kind.TOWNSHIP: {
        "留守儿童": 35,
        "在校学生": 30,
        "困境儿童": 15,
        "外来务工青年及子女": 12,
        "失足青少年": 3,
        "青年职工": 5,
    },
    Kind.VILLAGE: {
        "留守儿童": 40,
        "在校学生": 30,
        "困境儿童": 15,
        "外来务工青年及子女": 8,
        "失足青少年": 2,
        "青年职工": 5,
    },
    "other": {
        "在校学生": 25,
        "青年职工": 20,
        "留守儿童": 15,
        "困境儿童": 15,
        "外来务工青年及子女": 15,
        "失足青少年": 10,
    },
}
#: Ages (on the reference date, inclusive) by youth category.
CATEGORY_AGES: dict[str, tuple[int, int]] = {
    "留守儿童": (6, 16),
    "困境儿童": (6, 17),
    "在校学生": (7, 22),
    "青年职工": (18, 35),
    "少数民族青年职工": (18, 35),
    "外来务工青年及子女": (6, 30),
    "失足青少年": (14, 25),
}
#: Ethnic groups of 伊犁州 (in percent, roughly as in the census), of 察布查尔锡伯自治县, and
#: of Xinjiang elsewhere.
ETHNICITY_WEIGHTS_ILI = {
    "汉族": 37,
    "哈萨克族": 27,
    "维吾尔族": 19,
    "回族": 9,
    "蒙古族": 1.5,
    "锡伯族": 1.5,
    "柯尔克孜族": 0.5,
    "东乡族": 0.5,
    "满族": 0.5,
    "乌孜别克族": 0.3,
    "俄罗斯族": 0.2,
}
ETHNICITY_WEIGHTS_XIBE = {
    "维吾尔族": 30,
    "哈萨克族": 22,
    "汉族": 20,
    "锡伯族": 18,
    "回族": 7,
    "蒙古族": 1.5,
    "满族": 1,
}
ETHNICITY_WEIGHTS = {
    "维吾尔族": 45,
    "汉族": 42,
    "哈萨克族": 6.5,
    "回族": 4.5,
    "柯尔克孜族": 0.8,
    "蒙古族": 0.7,
    "锡伯族": 0.2,
    "塔吉克族": 0.2,
    "乌孜别克族": 0.1,
}
