"""Fixed lists of the people app (those users may extend live in the dictionaries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", _("CPC member")
    PROBATIONARY = "probationary", _("Probationary CPC member")
    LEAGUE = "league", _("Communist Youth League member")
    DEMOCRATIC = "democratic", _("Member of a democratic party")
    MASSES = "masses", _("Ordinary citizen")


class Health(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class HouseholdType(models.TextChoices):
    RURAL = "rural", _("Rural household")
    URBAN = "urban", _("Urban household")
    RESIDENT = "resident", _("Resident household")


# The 56 ethnic groups of China (GB 3304), by name; stored as the Chinese name.
ETHNIC_GROUPS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 "
    "哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 "
    "柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 "
    "塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 "
    "鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()
ETHNICITY_CHOICES = [(name, name) for name in ETHNIC_GROUPS]
