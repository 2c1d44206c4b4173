"""Figures in the words of work summaries and bulletins (工作总结, 简报【关工信息】).

A summary says “受教育青年职工6200余人次”, not “6213人次”; “同比增长50%”; “8个园区、19个国有企业”.
The number helpers turn exact figures into that register; ``bulletin_paragraphs`` and
``draft_summary`` turn one ``Figures`` into paragraphs. They are Chinese by nature (the genre
exists only in Chinese), so they return Chinese text whatever the interface language.
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from guangong.core.periods import Period
from guangong.dicts.models import StatGroup
from guangong.orgs.models import Kind, Organization

from .figures import Figures


def approx(n: int | Decimal) -> str:
    """6213 → “6200余”, 834 → “830余”, 830 → “830”, 65 → “65”, 62130 → “6.2万余”.

    Below 100 a number is exact. Up to 10,000 it keeps its two leading digits (three for
    hundreds), the rest becomes 余. From 10,000 it is said in 万 with one decimal.
    """
    value = Decimal(n)
    if value < 0:
        return "-" + approx(-value)
    whole = int(value.to_integral_value(ROUND_DOWN))
    if whole < 100:  # said exactly: 93.5 hours are “93.5小时”, never “93余小时”
        tenths = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
        return str(whole) if value == whole else f"{tenths.normalize():f}"
    if whole < 10000:
        step = 10 if whole < 1000 else 100
        kept = whole // step * step
        return f"{kept}余" if kept != value else str(kept)
    wan = (Decimal(whole) / 10000).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    text = f"{wan.normalize():f}" if wan == wan.to_integral_value() else f"{wan:f}"
    return f"{text}万余" if wan * 10000 != value else f"{text}万"


def money(amount: Decimal | int) -> str:
    """Yuan as summaries write them: “3.6万元”, “8500元”, “120.5万元”."""
    value = Decimal(amount)
    if value >= 10000:
        wan = (value / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        return f"{wan:f}万元"
    return f"{value.quantize(Decimal('1'), rounding=ROUND_HALF_UP)}元"


def change(now: int | Decimal, before: int | Decimal | None, complete: bool = True) -> str:
    """“同比增长50%”, “同比下降12.5%”, “与上年同期持平”; "" when there is nothing to compare.

    A period not yet over is compared with the same elapsed days a year earlier, and says so:
    “较上年同期增长50%”."""
    if before in (None, 0):
        return ""
    now, before = Decimal(now), Decimal(before)
    if now == before:
        return "与上年同期持平"
    pct = ((now - before) * 100 / before).copy_abs().quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = f"{pct.normalize():f}"
    prefix = "同比" if complete else "较上年同期"
    return f"{prefix}增长{text}%" if now > before else f"{prefix}下降{text}%"


def day(value) -> str:
    """“12月6日”."""
    return f"{value.month}月{value.day}日"


def topic(label: str) -> str:
    """An activity type's label as prose names it: “技能培训/讲座” → “技能培训、讲座”."""
    return label.replace("／", "、").replace("/", "、")


def is_catch_all(label: str) -> bool:
    """“其他”, “其他活动”: a type that names no topic of its own."""
    return label.startswith("其他") or label.startswith("其它")


def share(part: int, whole: int) -> str:
    """“占62.5%”."""
    if not whole:
        return ""
    pct = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{pct.normalize():f}%"


def series(items: list[tuple[int, str]], unit: str = "个") -> str:
    """[(8, "园区"), (19, "国有企业")] → “8个园区、19个国有企业”."""
    return "、".join(f"{n}{unit}{label}" for n, label in items if n)


# --- Bulletins: 【关工信息】 -----------------------------------------------------------------


def bulletin_paragraphs(figures: Figures) -> list[str]:
    """【关工信息】 paragraphs: the period's activities, with 同比 and the busiest types."""
    summary = figures.activities
    totals = summary["totals"]
    org, period = figures.organization, figures.period
    name = org.short_name or org.name
    if not totals["sessions"]:
        return [f"{name}本期暂无活动记录。"]
    complete = summary["period"]["complete"]
    yoy = change(totals["sessions"], (summary.get("previous") or {}).get("sessions"), complete)
    when = (
        f"{day(period.start)}至{day(period.end)}"
        if complete
        else f"{day(period.start)}以来（截至{day(summary['period']['as_of'])}）"
    )
    first = (
        f"{when}，"
        f"{name}各级关工委共开展各类活动{approx(totals['sessions'])}场次，"
        f"参与青少年{approx(totals['participants'])}人次，"
        f"{approx(totals['elders_engaged'])}名“五老”参与，服务{approx(totals['service_hours'])}小时"
    )
    first += f"，{yoy}。" if yoy else "。"
    lines = [first]
    top = [t for t in summary["by_type"] if t["sessions"]][:3]
    if top:
        parts = (f"{topic(t['label'])}{approx(t['sessions'])}场次" for t in top)
        lines.append("其中" + "，".join(parts) + "。")
    return lines


# --- Work summaries: 工作总结 ----------------------------------------------------------------


#: Section headings in the genre's order, with the statistical group each one reports.
SECTIONS = [
    ("organisation", "一、加强组织建设，夯实工作基础", StatGroup.ORGANISATION),
    ("ideology", "二、坚持思想引领，筑牢理想信念", StatGroup.IDEOLOGY),
    ("care", "三、深化关爱帮扶，传递党的温暖", StatGroup.CARE),
    ("growth", "四、助力成长成才，培养时代新人", StatGroup.GROWTH),
    ("service", "五、围绕中心工作，服务发展大局", StatGroup.SERVICE),
    ("highlights", "六、工作亮点", None),
]

UNIT_LABELS = {
    Kind.PARK: "园区",
    Kind.STATE_ENTERPRISE: "国有企业",
    Kind.PRIVATE_ENTERPRISE: "非公企业",
    Kind.AGENCY: "机关单位",
    Kind.SCHOOL: "学校",
    Kind.CHAMBER: "商会",
    Kind.SOCIAL_ORG: "社会组织",
    Kind.TOWNSHIP: "乡镇（街道）",
    Kind.VILLAGE: "村（社区）",
    Kind.COUNTY: "县（市、区）",
}


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Draft:
    organization: Organization
    period: Period
    title: str
    sections: list[Section]
    figures: dict

    def as_json(self) -> list[dict]:
        return [
            {"key": s.key, "heading": s.heading, "paragraphs": list(s.paragraphs)}
            for s in self.sections
        ]


def _period_words(period: Period) -> str:
    start, end = period.start, period.end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year}年"
    if start.year == end.year:
        return f"{start.year}年{start.month}月至{end.month}月"
    return f"{start:%Y年%m月}至{end:%Y年%m月}"


def _type_phrase(by_type: list[dict], group: str, limit: int = 4) -> str:
    """The group's busiest types as topics (“其他” names none and is left out)."""
    rows = [
        r for r in by_type if r["group"] == group and r["sessions"] and not is_catch_all(r["label"])
    ]
    return "、".join(topic(r["label"]) for r in rows[:limit])


def draft_summary(figures: Figures) -> Draft:
    """A draft work summary: each section of the genre, every number from ``figures``."""
    org, period = figures.organization, figures.period
    summary = figures.activities
    totals, previous = summary["totals"], summary.get("previous") or {}
    complete = summary["period"]["complete"]
    groups = {g["group"]: g for g in summary["by_group"]}
    earlier = figures.year_earlier
    prev_groups = {g["group"]: g for g in earlier.activities["by_group"]} if earlier else {}
    care = figures.care
    cov = figures.coverage
    name = org.short_name or org.name
    title_when = when = _period_words(period)
    if not complete and summary["period"]["as_of"]:
        when = f"{when}（截至{day(summary['period']['as_of'])}）"
    sections = {key: Section(key, heading) for key, heading, _g in SECTIONS}

    # 组织建设
    established = [
        (row.established, UNIT_LABELS[row.key]) for row in cov.rows if row.key in UNIT_LABELS
    ]
    text = f"截至目前，{name}关工委组织体系不断健全"
    if any(n for n, _l in established):
        text += f"，已有{series(established)}建立关工委组织"
    if cov.total.established:
        text += f"，组织覆盖{cov.total.established}个单位"
    if cov.positions_total:
        text += f"，领导班子成员{cov.positions_total}名"
    sections["organisation"].paragraphs.append(text + "。")
    elders, teams = figures.elders, figures.teams
    if elders:
        sections["organisation"].paragraphs.append(
            f"“五老”队伍持续壮大，现有“五老”志愿者{approx(elders)}名，组建各类工作团队{teams}支，"
            f"{when}共有{approx(totals['elders_engaged'])}名“五老”参与活动，"
            f"累计服务{approx(totals['service_hours'])}小时。"
        )

    # The four working fields, from the activity groups.
    for key, _heading, group in SECTIONS[1:5]:
        line = groups.get(group)
        if not line or not line["sessions"]:
            continue
        kinds = _type_phrase(summary["by_type"], group)
        before = prev_groups.get(group, {}).get("sessions")
        text = (
            f"{when}，围绕{kinds}等内容，开展活动{approx(line['sessions'])}场次，" if kinds else ""
        )
        text += f"参与青少年{approx(line['participants'])}人次"
        yoy = change(line["sessions"], before, complete)
        text += f"，活动场次{yoy}。" if yoy else "。"
        sections[key].paragraphs.append(text)
    if care["cases"]:
        text = f"建立关爱帮扶个案{care['cases']}件，帮扶困难青少年{approx(care['people_helped'])}名"
        if care["amount_disbursed"]:
            text += f"，发放帮扶资金{money(care['amount_disbursed'])}"
        sections["care"].paragraphs.append(text + "。")
    active, new = figures.mentorships, figures.new_mentorships
    if active:
        text = f"深入开展“传帮带”结对活动，现有结对帮带{approx(active)}对"
        sections["growth"].paragraphs.append(text + (f"，其中新结对{new}对。" if new else "。"))

    # 亮点: the most active units and the elders who gave the most.
    ranked = sorted(summary["by_child"], key=lambda c: -c["sessions"])[:3]
    ranked = [c for c in ranked if c["sessions"]]
    if ranked:
        units = "、".join(f"{c['name']}（{c['sessions']}场次）" for c in ranked)
        sections["highlights"].paragraphs.append(f"{units}等单位工作扎实，活动开展较多。")
    top = figures.top_elders
    if top:
        people = "、".join(f"{t['elder__organization__name']}的{t['elder__name']}" for t in top)
        sections["highlights"].paragraphs.append(
            f"涌现出{people}等一批热心关心下一代事业的“五老”典型，服务时长名列前茅。"
        )
    overall = change(totals["sessions"], previous.get("sessions"), complete)
    if overall:
        sections["highlights"].paragraphs.append(f"{when}各类活动总场次{overall}。")

    figures = {
        "sessions": totals["sessions"],
        "participants": totals["participants"],
        "elders_engaged": totals["elders_engaged"],
        "service_hours": totals["service_hours"],
        "cases": care["cases"],
        "people_helped": care["people_helped"],
        "amount_disbursed": care["amount_disbursed"],
        "established": cov.total.established,
        "positions": cov.positions_total,
        "mentorships": active,
        "new_mentorships": new,
    }
    return Draft(
        org,
        period,
        f"{name}关工委{title_when}工作总结",
        [s for s in sections.values() if s.paragraphs],
        figures,
    )
