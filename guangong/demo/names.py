"""Plausible generated names: townships, villages, units, people, phones and addresses.

Everything is drawn from one ``random.Random`` and one seeded Faker, in a fixed order, so the
same seed always gives the same names.
"""

import random
from itertools import accumulate

from faker import Faker
from faker.providers.person.zh_CN import Provider as ChineseNames

from .geography import HAN_FIRST, HAN_SECOND, ROADS, TURKIC_PREFIXES, TURKIC_SUFFIXES

SUFFIX = "关工委"
NUMERALS = "一二三四五六七八九十"

BRANDS = (
    "天润 金穗 雪莲 丰源 绿洲 瑞丰 鑫盛 恒泰 华兴 宏达 伊香 天马 昆仑 丝路 金河 西域 顺达 安康 "
    "嘉禾 博远 众信 正和 润通 天山 雪峰 金果 沃土 明珠 远航 新晨 阳光 晨曦 银河 锦程 兴农 惠民 "
    "同心 福源 康泰 春晖 启航 益民 红柳 胡杨 白杨 雪域 天池 石榴籽 果子沟 那拉提"
).split()
TRADES = (
    "农业科技 乳业 食品 纺织 建材 商贸 物流 电子商务 新能源 旅游开发 薰衣草 果业 畜牧 酒业 "
    "生物科技 建筑工程 汽车服务 餐饮管理 服装 家具 信息技术 棉业 番茄制品 葡萄酒 农机 物业服务 "
    "医药 印刷 光伏 冷链"
).split()
SOE_TRADES = (
    "能源 交通建设 水务 农业发展 城市建设投资 文化旅游 矿业 电力 煤炭 物流 国有资产经营 粮油 "
    "畜牧 建工 供热 燃气 水利水电 农垦"
).split()
ORIGINS = "浙江 河南 四川 甘肃 江苏 湖南 湖北 陕西 山东 安徽 福建 重庆 广东 河北 江西".split()
TRADE_CHAMBERS = "餐饮业 建材 物流 汽车 旅游 农资 女企业家 青年企业家 新生代企业家 电子商务".split()
PARK_KINDS = (
    "工业园区 经济开发区 现代农业产业园 物流园区 创业孵化园 电子商务产业园 高新技术产业园 "
    "文化创意产业园 纺织服装产业园"
).split()
PROVINCE_AGENCIES = (
    "教育厅 民政厅 司法厅 公安厅 人力资源和社会保障厅 卫生健康委员会 文化和旅游厅 "
    "人民政府国有资产监督管理委员会 科学技术厅 农业农村厅 退役军人事务厅 总工会 妇女联合会 "
    "党委组织部 党委宣传部 党委统战部 财政厅 住房和城乡建设厅 市场监督管理局 高级人民法院 "
    "人民检察院"
).split()
LOCAL_AGENCIES = (
    "教育局 公安局 司法局 民政局 人力资源和社会保障局 卫生健康委员会 文化体育广播电视和旅游局 "
    "农业农村局 科学技术局 财政局 退役军人事务局 自然资源局 住房和城乡建设局 市场监督管理局 "
    "人民法院 人民检察院 总工会 妇女联合会 发展和改革委员会 应急管理局 统计局 林业和草原局 "
    "交通运输局 水利局 残疾人联合会 科学技术协会 人民医院 中医医院 妇幼保健院 疾病预防控制中心 "
    "图书馆 文化馆 融媒体中心 税务局 气象局 消防救援大队 人民武装部 档案馆 青少年活动中心 老年大学 "
    "党校 社会福利院 救助管理站 就业服务中心 医疗保障局 审计局 信访局 商务和工业信息化局 "
    "民族宗教事务局 乡村振兴局"
).split()
PARTY_DEPARTMENTS = ("组织部", "宣传部", "统战部", "政法委员会", "老干部局")
TOWNSHIP_AGENCIES = (
    "派出所 卫生院 司法所 文化站 财政所 农业技术推广站 兽医站 林业站 水管站 社会保障所 "
    "退役军人服务站 综治中心 新时代文明实践所 党群服务中心"
).split()
COUNTY_SCHOOLS = ("实验小学", "实验中学", "高级中学", "职业技术学校", "特殊教育学校")
TOWNSHIP_SCHOOLS = ("中心学校", "中学", "中心小学", "寄宿制学校", "中心幼儿园", "九年一贯制学校")
SOCIAL = (
    "{brand}社会工作服务中心",
    "{brand}青少年服务中心",
    "老年志愿者协会",
    "{brand}公益服务中心",
    "心理健康协会",
    "慈善总会",
    "{brand}家庭教育指导中心",
    "五老志愿服务队",
    "{brand}社区服务中心",
    "青少年发展基金会",
)
#: Draws before a kind counts as exhausted at a place.
ATTEMPTS = 40
MOBILE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 176 "
    "177 178 180 181 182 183 185 186 187 188 189 191 198 199"
).split()


LAST_NAMES = tuple(ChineseNames.last_names)
LAST_NAME_WEIGHTS = tuple(accumulate(ChineseNames.last_names.values()))
FIRST_NAMES = tuple(ChineseNames.first_names)


def numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (enough for school numbers)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens - 1]
    return head + "十" + (NUMERALS[ones - 1] if ones else "")


class Namer:
    """Draws names from the seeded generators, never the same unit name twice."""

    def __init__(self, rng: random.Random, fake: Faker):
        self.rng = rng
        self.fake = fake
        self.used: set[str] = set()
        self.school_numbers: dict[str, int] = {}

    # --- People and contacts -------------------------------------------------------------

    def person(self) -> str:
        """A Chinese name as ``Faker("zh_CN").name()`` makes it (weighted surname + given name),
        drawn with the seeded Faker's own generator but without its template parsing, which
        dominates the time of the province scale (≈375,000 names)."""
        rng = self.fake.random
        return rng.choices(LAST_NAMES, cum_weights=LAST_NAME_WEIGHTS)[0] + rng.choice(FIRST_NAMES)

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def address(self, prefix: str) -> str:
        return f"{prefix}{self.rng.choice(ROADS)}{self.rng.randint(1, 399)}号"

    # --- Places ----------------------------------------------------------------------------

    def place(self) -> str:
        """A two-to-five character place name, Han style (红星) or transliterated (阿克布拉克)."""
        rng = self.rng
        if rng.random() < 0.45:
            return rng.choice(HAN_FIRST) + rng.choice(HAN_SECOND)
        return rng.choice(TURKIC_PREFIXES) + rng.choice(TURKIC_SUFFIXES)

    def unique_place(self, taken: set[str], suffix: str) -> str:
        for _attempt in range(50):
            name = self.place() + suffix
            if name not in taken:
                taken.add(name)
                return name
        name = f"{self.place()}{len(taken) + 1}{suffix}"  # pragma: no cover - 50 misses in a row
        taken.add(name)
        return name

    # --- Units -----------------------------------------------------------------------------

    def unit(
        self, kind: str, level: str, place: str, party: str = "", park: str = ""
    ) -> str | None:
        """The name of a unit committee of ``kind`` at ``level`` (province, city, county,
        township or park) in ``place``; ``party`` is the local party committee (for agencies),
        ``park`` the industrial park a member enterprise sits in. None when every plausible
        name of that kind is already taken there (the caller then picks another kind)."""
        maker = getattr(self, f"_{kind}")
        for _attempt in range(ATTEMPTS):
            name = maker(level, place, party or park)
            name = name if name.endswith(SUFFIX) else name + SUFFIX
            if name not in self.used:
                self.used.add(name)
                return name
        return None

    def _agency(self, level: str, place: str, party: str) -> str:
        rng = self.rng
        if level == "province":
            return place + rng.choice(PROVINCE_AGENCIES)
        if level == "township":
            return place + rng.choice(TOWNSHIP_AGENCIES)
        if rng.random() < 0.15:
            return party + rng.choice(PARTY_DEPARTMENTS)
        if rng.random() < 0.05:
            return f"共青团{place}委员会"
        return place + rng.choice(LOCAL_AGENCIES)

    def _soe(self, level: str, place: str, party: str) -> str:
        rng = self.rng
        trade = rng.choice(SOE_TRADES)
        if level in ("province", "park"):
            return f"新疆{rng.choice(BRANDS)}{trade}集团有限公司"
        if level == "city" and rng.random() < 0.5:
            return f"{place}{trade}投资集团有限公司"
        form = rng.choice(("投资有限公司", "有限责任公司", "开发有限公司"))
        return f"{place}{trade}{form}"

    def _private(self, level: str, place: str, party: str) -> str:
        rng = self.rng
        head = "新疆" if level in ("province", "park") and rng.random() < 0.6 else place
        form = rng.choice(("有限公司", "有限公司", "有限责任公司", "股份有限公司"))
        return f"{head}{rng.choice(BRANDS)}{rng.choice(TRADES)}{form}"

    def _park(self, level: str, place: str, party: str) -> str:
        rng = self.rng
        if level == "county" and rng.random() < 0.7:
            return place + rng.choice(PARK_KINDS)
        head = "新疆" if level == "province" else place
        return f"{head}{rng.choice(BRANDS)}{rng.choice(PARK_KINDS)}"

    def _chamber(self, level: str, place: str, party: str) -> str:
        rng = self.rng
        head = "新疆" if level == "province" else place
        roll = rng.random()
        if roll < 0.1:
            return f"{head}工商业联合会（总商会）"
        if roll < 0.6:
            return f"{head}{rng.choice(ORIGINS)}商会"
        return f"{head}{rng.choice(TRADE_CHAMBERS)}商会"

    def _school(self, level: str, place: str, party: str) -> str:
        rng = self.rng
        if level == "province":
            return f"新疆{rng.choice(BRANDS)}职业技术学院"
        roll = rng.random()
        if level == "township":
            if roll < 0.6:
                return place + rng.choice(TOWNSHIP_SCHOOLS)
            return self._numbered(place, rng.choice(("小学", "小学", "幼儿园")))
        if roll < 0.25 and level == "county":
            return place + rng.choice(COUNTY_SCHOOLS)
        if roll < 0.15:
            return place + rng.choice(("职业技术学院", "卫生学校", "实验中学", "技工学校"))
        return self._numbered(place, rng.choice(("中学", "小学", "小学", "幼儿园")))

    def _numbered(self, place: str, sort: str) -> str:
        """伊宁市第三中学: the next free number for that kind of school in that place."""
        key = place + sort
        n = self.school_numbers.get(key, 0) + 1
        self.school_numbers[key] = n
        return f"{place}第{numeral(n)}{sort}"

    def _social(self, level: str, place: str, party: str) -> str:
        head = "新疆" if level == "province" else place
        return head + self.rng.choice(SOCIAL).format(brand=self.rng.choice(BRANDS))

    def _joint(self, level: str, place: str, party: str) -> str:
        rng = self.rng
        if level == "park":
            return f"{party}企业联合关工委"  # the park's name
        forms = (
            "非公有制经济组织联合关工委",
            "个体私营企业联合关工委",
            f"{rng.choice(BRANDS)}商圈联合关工委",
            f"{self.place()}片区联合关工委",
            "新经济组织联合关工委",
        )
        return place + rng.choice(forms)
