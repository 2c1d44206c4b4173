"""The lists the demo people are drawn from: categories, units, posts, guardians, teams."""

from importlib import import_module

from guangong.dicts.models import DictKind
from guangong.orgs.models import Kind

#: The dictionary items the demo uses: the built-in ones, read from the seed migration that
#: makes them (so the demo never names an item the database lacks).
_SEEDS = import_module("guangong.dicts.migrations.0001_squashed_0004_care_items").SEEDS
ELDER_CATEGORIES = tuple(_SEEDS["elder_category"])
YOUTH_CATEGORIES = tuple(_SEEDS["youth_category"])
TEAM_KINDS = tuple(_SEEDS["team_kind"])
GOALS = tuple(_SEEDS["mentorship_goal"])
OUTCOMES = tuple(_SEEDS["mentorship_outcome"])
SPECIALITIES = tuple(_SEEDS["speciality"])
DICTIONARY = {
    DictKind.ELDER_CATEGORY: ELDER_CATEGORIES,
    DictKind.YOUTH_CATEGORY: YOUTH_CATEGORIES,
    DictKind.TEAM_KIND: TEAM_KINDS,
    DictKind.MENTORSHIP_GOAL: GOALS,
    DictKind.MENTORSHIP_OUTCOME: OUTCOMES,
    DictKind.SPECIALITY: SPECIALITIES,
}

REGION_KINDS = (Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWNSHIP, Kind.VILLAGE)
AREA_KINDS = (Kind.PROVINCE, Kind.CITY, Kind.COUNTY)
ENTERPRISE_KINDS = (
    Kind.PRIVATE_ENTERPRISE,
    Kind.STATE_ENTERPRISE,
    Kind.PARK,
    Kind.JOINT,
    Kind.CHAMBER,
)
ADULT = 18

# --- Names of the Turkic-speaking peoples (given name · father's given name) ----------------

TURKIC_NAME_ETHNICITIES = ("维吾尔族", "哈萨克族", "柯尔克孜族", "乌孜别克族")
TURKIC_MALE = (
    "艾力 买买提 阿不都 吐尔逊 依明 艾合买提 热合曼 阿布来提 努尔兰 叶尔兰 别克 达吾列提 "
    "赛力克 胡安 阿斯哈尔 巴合提 艾尔肯 肉孜 卡德尔 亚森 麦麦提 伊力哈木 阿迪力 吾斯曼 "
    "努尔江 哈力克 叶尔波拉提 加尔肯 吐逊江 阿力木"
).split()
TURKIC_FEMALE = (
    "阿依古丽 古丽 热依汗 迪丽娜尔 帕提古丽 努尔古丽 阿依努尔 古丽巴哈尔 再努尔 玛依拉 "
    "阿娜尔 加娜尔 古丽米拉 萨拉 阿依达娜 巴合提古丽 佐热 米娜 哈丽娜 热孜万古丽"
).split()

# --- What elders did before -------------------------------------------------------------------

CADRE_UNITS = (
    "教育局 公安局 司法局 民政局 财政局 农业农村局 卫生健康委员会 人力资源和社会保障局 "
    "自然资源局 水利局 总工会 妇女联合会 党委组织部 党委宣传部 党委统战部 政协 人大常委会 "
    "纪律检查委员会 人民法院 人民检察院 审计局 统计局 林业和草原局"
).split()
CADRE_POSTS = (
    "局长 副局长 科长 副科长 主任科员 调研员 乡党委书记 乡长 副乡长 副县长 部长 副部长 "
    "庭长 检察官 办公室主任 工会主席"
).split()
TEACHER_POSTS = "校长 副校长 教导主任 高级教师 一级教师 特级教师 班主任 教研组长".split()
EXPERT_UNITS = (
    ("人民医院", "主任医师 副主任医师 护士长 院长"),
    ("中医医院", "主任医师 副主任医师 院长"),
    ("农业技术推广中心", "高级农艺师 农艺师 站长"),
    ("畜牧兽医局", "高级畜牧师 高级兽医师 站长"),
    ("水利局", "高级工程师 总工程师"),
    ("林业和草原局", "高级工程师 林业专家"),
    ("科学技术协会", "研究员 副研究员"),
    ("律师事务所", "律师 高级律师 主任"),
)
VETERAN_UNITS = (
    "新疆军区某部 中国人民解放军某部 伊犁军分区 武警新疆总队某支队 新疆生产建设兵团某团 人民武装部"
).split()
VETERAN_POSTS = "团政委 营长 教导员 连长 指导员 排长 战士 参谋".split()
MODEL_UNITS = ("乳业有限公司", "纺织有限公司", "供销合作社", "农机站", "农场", "建筑公司")
MODEL_POSTS = "全国劳动模范 自治区劳动模范 先进工作者 村党支部书记 技术能手 车间主任".split()
CATEGORY_SPECIALITIES = {
    "老干部": ("宣讲", "法律"),
    "老战士": ("宣讲",),
    "老专家": ("技术指导", "医疗健康", "心理咨询", "法律"),
    "老教师": ("教育教学", "书画", "心理咨询"),
    "老模范": ("技术指导", "宣讲", "文艺"),
}
AVAILABILITY = (
    "每周二、四上午",
    "周末",
    "随时",
    "每月两次",
    "工作日下午",
    "寒暑假",
    "每周一次",
    "",
)

# --- Young people --------------------------------------------------------------------------

GUARDIANS = {
    "留守儿童": (("祖父", 35), ("祖母", 40), ("外祖父", 8), ("外祖母", 10), ("其他亲属", 7)),
    "困境儿童": (("母亲", 35), ("父亲", 20), ("祖母", 20), ("祖父", 10), ("其他亲属", 15)),
}
DEFAULT_GUARDIANS = (("母亲", 55), ("父亲", 40), ("祖母", 5))
SAME_SURNAME = ("父亲", "祖父")
STUDENT_SCHOOLS = ((12, "中心小学"), (15, "中学"), (18, "高级中学"))
COLLEGES = ("伊犁职业技术学院", "伊犁师范大学", "新疆大学", "新疆农业大学", "新疆医科大学")

# --- Teams, mentorships and visits --------------------------------------------------------

TEAM_NAMES = {
    "宣讲团": "五老宣讲团",
    "专家顾问团": "关工委专家顾问团",
    "心理健康关爱团队": "五老心理健康关爱团队",
    "法治宣讲团": "五老法治宣讲团",
    "志愿服务队": "五老志愿服务队",
}
TEAM_DESCRIPTIONS = {
    "宣讲团": "深入学校、社区、企业开展党史国史和民族团结宣讲。",
    "专家顾问团": "为青少年成长成才和关工委工作提供咨询指导。",
    "心理健康关爱团队": "开展青少年心理健康讲座和个别谈心疏导。",
    "法治宣讲团": "进校园、进社区开展法治宣传教育和预防青少年违法犯罪工作。",
    "志愿服务队": "开展关爱留守儿童、困境儿童等志愿服务活动。",
}
#: Share of a county's or city's own active elders in one of its teams (≈1/3 of all elders).
TEAM_SHARE = 0.38
MENTOR_SHARE = 0.4
MENTEE_COUNTS = ((1, 55), (2, 30), (3, 15))
GOALS_BY_CATEGORY = {
    "青年职工": ("学技术", "学管理"),
    "少数民族青年职工": ("学国家通用语言", "学技术"),
    "外来务工青年及子女": ("学技术", "学文化"),
    "失足青少年": ("学法律", "学文化"),
}
CHILD_GOALS = ("学文化", "学国家通用语言")
VISITS = (
    "上门走访，了解学习和生活情况",
    "辅导功课，检查作业完成情况",
    "辅导国家通用语言学习",
    "讲解法律常识，开展警示教育",
    "谈心谈话，疏导情绪",
    "讲述革命传统故事",
    "指导种植养殖技术",
    "介绍就业岗位信息",
    "与监护人沟通家庭教育方法",
    "送去学习用品",
    "指导岗位技能",
    "一起参观爱国主义教育基地",
)
#: Same-name, same-birth-date pairs in different counties (for the duplicates page).
DUPLICATE_PAIRS = 3
