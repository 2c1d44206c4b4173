"""The lists the demo activities are drawn from: how often, what, how many, titles and places.

Types are the built-in activity types (dicts migration 0003). Rates are activities per
organisation and month at full speed (a consolidated committee); the mix, participant ranges
and titles follow the seed documents' reports (宣讲 to young workers, 金秋助学, legal aid,
technical lectures).
"""

from guangong.orgs.models import Kind, Status

#: Activities per organisation and month, by kind.
MONTHLY_RATE: dict[str, float] = {
    Kind.PROVINCE: 2.5,
    Kind.CITY: 2.5,
    Kind.COUNTY: 2.2,
    Kind.TOWNSHIP: 1.8,
    Kind.VILLAGE: 0.35,
    Kind.AGENCY: 0.6,
    Kind.SCHOOL: 1.4,
    Kind.STATE_ENTERPRISE: 1.1,
    Kind.PRIVATE_ENTERPRISE: 0.9,
    Kind.PARK: 1.0,
    Kind.CHAMBER: 0.5,
    Kind.SOCIAL_ORG: 0.5,
    Kind.JOINT: 0.7,
}
#: How active a committee is, by its status (none: nothing is recorded).
STATUS_RATE: dict[str, float] = {
    Status.NONE: 0.0,
    Status.PREPARING: 0.25,
    Status.ESTABLISHED: 1.0,
    Status.CONSOLIDATED: 1.3,
}
#: Chance that an organisation records nothing in a month (the completeness view's content).
SILENT_MONTH: dict[str, float] = {
    Kind.PROVINCE: 0.0,
    Kind.CITY: 0.02,
    Kind.COUNTY: 0.05,
    Kind.TOWNSHIP: 0.12,
    Kind.VILLAGE: 0.35,
}
SILENT_MONTH_UNITS = 0.25
#: Months of the year with less (winter, the spring festival, the summer holiday) or more.
SEASON = {1: 0.6, 2: 0.5, 3: 1.0, 4: 1.1, 5: 1.2, 6: 1.1, 7: 0.8, 8: 0.9, 9: 1.2, 10: 1.1}
SEASON_DEFAULT = 1.0

#: Type weights for all organisations; multiplied by the kind's preferences below.
TYPE_WEIGHTS: dict[str, float] = {
    "主题宣讲": 20,
    "关爱帮扶": 16,
    "技能培训/讲座": 13,
    "红色教育": 7,
    "参观学习": 4,
    "传帮带": 5,
    "金秋助学": 2,
    "法律援助": 3,
    "心理疏导": 3,
    "法治教育": 6,
    "家庭教育/家长学校": 4,
    "文体活动": 5,
    "座谈会": 5,
    "招聘会": 1,
    "志愿服务": 5,
    "其他": 1,
}
_ENTERPRISE = {"技能培训/讲座": 2.5, "传帮带": 2.5, "招聘会": 4, "家庭教育/家长学校": 0.2}
KIND_PREFERENCES: dict[str, dict[str, float]] = {
    Kind.SCHOOL: {
        "法治教育": 2.5,
        "红色教育": 2,
        "家庭教育/家长学校": 3,
        "心理疏导": 2,
        "招聘会": 0,
        "传帮带": 0.3,
    },
    Kind.PRIVATE_ENTERPRISE: _ENTERPRISE,
    Kind.STATE_ENTERPRISE: _ENTERPRISE,
    Kind.PARK: _ENTERPRISE,
    Kind.JOINT: _ENTERPRISE,
    Kind.CHAMBER: {**_ENTERPRISE, "座谈会": 2},
    Kind.VILLAGE: {"关爱帮扶": 2, "文体活动": 1.5, "家庭教育/家长学校": 1.5, "招聘会": 0.2},
    Kind.TOWNSHIP: {"关爱帮扶": 1.5, "志愿服务": 1.5},
    Kind.AGENCY: {"座谈会": 2, "法律援助": 1.5},
}
#: In August and September, 金秋助学 (autumn school grants) is the season's work.
AUTUMN_GRANTS = {8: 6.0, 9: 8.0}

#: Participants (人次) by type: (least, most, most often).
PARTICIPANTS: dict[str, tuple[int, int, int]] = {
    "主题宣讲": (30, 300, 80),
    "红色教育": (20, 200, 50),
    "参观学习": (15, 60, 30),
    "技能培训/讲座": (20, 150, 45),
    "传帮带": (1, 12, 3),
    "关爱帮扶": (3, 40, 10),
    "金秋助学": (5, 60, 15),
    "法律援助": (2, 25, 6),
    "心理疏导": (1, 20, 5),
    "法治教育": (40, 400, 120),
    "家庭教育/家长学校": (20, 150, 50),
    "文体活动": (30, 300, 80),
    "座谈会": (10, 40, 18),
    "招聘会": (50, 500, 150),
    "志愿服务": (5, 60, 20),
    "其他": (5, 50, 15),
}
#: Share of activities that name elders (with their hours), by type.
ELDER_SHARE: dict[str, float] = {"传帮带": 0.95, "主题宣讲": 0.8, "座谈会": 0.7}
ELDER_SHARE_DEFAULT = 0.55
#: Share of activities that name a team of the area, and that have a co-organiser.
TEAM_SHARE = 0.08
CO_ORGANISER_SHARE = 0.05
SUMMARY_SHARE = 0.7

#: Where the activity happens, as a venue word in titles, by kind.
VENUE: dict[str, str] = {
    Kind.SCHOOL: "校园",
    Kind.PRIVATE_ENTERPRISE: "企业",
    Kind.STATE_ENTERPRISE: "企业",
    Kind.PARK: "园区",
    Kind.JOINT: "企业",
    Kind.CHAMBER: "商会",
    Kind.VILLAGE: "村",
    Kind.TOWNSHIP: "社区",
    Kind.AGENCY: "机关",
    Kind.SOCIAL_ORG: "社区",
}
VENUE_DEFAULT = "基层"
#: Rooms by kind ({org} is the organisation's name, shortened).
PLACES: dict[str, tuple[str, ...]] = {
    Kind.SCHOOL: ("{org}报告厅", "{org}多功能教室", "{org}操场", "{org}图书室"),
    Kind.PRIVATE_ENTERPRISE: ("{org}职工活动中心", "{org}会议室", "{org}生产车间", "{org}职工书屋"),
    Kind.STATE_ENTERPRISE: ("{org}职工之家", "{org}会议室", "{org}培训中心"),
    Kind.PARK: ("{org}党群服务中心", "{org}会议室"),
    Kind.VILLAGE: ("{org}村委会会议室", "{org}文化广场", "{org}新时代文明实践站", "农户家中"),
    Kind.TOWNSHIP: ("{org}新时代文明实践所", "{org}党群服务中心", "{org}文化站", "辖区学校"),
    Kind.COUNTY: ("{org}党校", "{org}青少年活动中心", "{org}老干部活动中心", "{org}会议中心"),
    Kind.CITY: ("{org}党校", "{org}青少年宫", "{org}会议中心"),
    Kind.PROVINCE: ("{org}会议中心", "{org}老干部活动中心"),
}
PLACES_DEFAULT = ("{org}会议室", "{org}活动室")

THEMES = (
    "学习贯彻党的二十大精神",
    "铸牢中华民族共同体意识",
    "党史学习教育",
    "民族团结一家亲",
    "爱国主义教育",
    "“强国复兴有我”",
    "社会主义核心价值观",
    "新时代好少年",
    "国家通用语言文字推广",
)
#: Title templates by type; {venue}, {theme}, {org}, {year} and {place} are filled in.
TITLES: dict[str, tuple[str, ...]] = {
    "主题宣讲": (
        "“五老”进{venue} {theme}主题宣讲",
        "{theme}宣讲报告会",
        "“五老”宣讲团{theme}巡回宣讲",
        "{theme}主题宣讲进{venue}",
    ),
    "红色教育": ("重温红色记忆 传承红色基因", "红色故事分享会", "“红色传承”主题教育活动"),
    "参观学习": ("参观{place}爱国主义教育基地", "走进红色教育基地参观学习", "参观民族团结进步展馆"),
    "技能培训/讲座": (
        "青年职工技能提升讲座",
        "“五老”专家技术讲座",
        "农业实用技术培训",
        "电商创业技能培训",
        "安全生产知识讲座",
    ),
    "传帮带": ("“五老”师徒结对传帮带", "老专家传帮带技术指导", "青年岗位能手传帮带座谈"),
    "关爱帮扶": (
        "关爱留守儿童走访慰问",
        "困境儿童结对帮扶",
        "“五老”关爱帮扶进{venue}",
        "节日慰问困难家庭青少年",
    ),
    "金秋助学": ("金秋助学 走访慰问", "{year}年金秋助学金发放仪式", "金秋助学 圆梦大学"),
    "法律援助": ("青少年法律援助咨询", "“五老”法律服务进{venue}", "以案说法 法律援助进家庭"),
    "心理疏导": ("青少年心理健康疏导", "“心灵驿站”心理辅导", "考前心理减压辅导"),
    "法治教育": ("法治教育进{venue}", "预防未成年人犯罪法治讲座", "模拟法庭 法治教育课"),
    "家庭教育/家长学校": ("家长学校开课", "家庭教育大讲堂", "“好家风”家庭教育讲座"),
    "文体活动": ("“童心向党”文艺汇演", "民族团结趣味运动会", "青少年书画作品展", "红歌传唱比赛"),
    "座谈会": ("“五老”座谈会", "关心下一代工作座谈会", "青年职工座谈会", "{year}年工作推进座谈会"),
    "招聘会": ("青年就业专场招聘会", "“春风行动”招聘会", "高校毕业生就业招聘会"),
    "志愿服务": ("“五老”志愿服务进{venue}", "学雷锋志愿服务", "暑期青少年志愿服务"),
    "其他": ("关工委工作交流", "“五老”风采展示", "关心下一代主题活动"),
}
SUMMARIES = (
    "{org}关工委组织“五老”志愿者开展{type}活动，{audience}共{participants}人次参加。",
    "活动由{org}关工委牵头，{elders}名“五老”参与，覆盖{audience}{participants}人次，反响良好。",
    "本次{type}活动围绕{theme}展开，参与{participants}人次，下一步将持续跟踪帮扶。",
)
