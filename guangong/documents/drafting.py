"""Drafts of work summaries (工作总结) for any subtree and period, from the statistics layer.

Each section of the genre — 组织建设, 思想引领, 关爱帮扶, 成长成才, 服务大局 — gets paragraphs whose
every number comes from the counters, coverage, people and care figures, said the way the genre
says them (``phrasing``), with year-over-year comparisons and the highlights (the most active
units, the elders who gave the most hours). Staff edit the draft; the numbers are where to
start, not the last word.
"""

from dataclasses import dataclass, field

from django.db.models import Sum

from guangong.activities import stats as activity_stats
from guangong.activities.models import ActivityElder
from guangong.care import stats as care_stats
from guangong.core.scope import subtree_q
from guangong.dicts.models import StatGroup
from guangong.orgs.coverage import coverage
from guangong.orgs.models import Kind, Organization
from guangong.people.models import Elder, Mentorship, Team

from .phrasing import approx, change, money, series

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
    period: activity_stats.Period
    title: str
    sections: list[Section]
    figures: dict

    def as_json(self) -> list[dict]:
        return [
            {"key": s.key, "heading": s.heading, "paragraphs": list(s.paragraphs)}
            for s in self.sections
        ]


def _period_words(period: activity_stats.Period) -> str:
    start, end = period.start, period.end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year}年"
    if start.year == end.year:
        return f"{start.year}年{start.month}月至{end.month}月"
    return f"{start:%Y年%m月}至{end:%Y年%m月}"


def _type_phrase(by_type: list[dict], group: str, limit: int = 4) -> str:
    rows = [r for r in by_type if r["group"] == group and r["sessions"]]
    return "、".join(r["label"] for r in rows[:limit])


def draft_summary(org: Organization, period: activity_stats.Period) -> Draft:
    summary = activity_stats.summary(org, period)
    totals, previous = summary["totals"], summary.get("previous", {})
    groups = {g["group"]: g for g in summary["by_group"]}
    prev_groups = {
        g["group"]: g
        for g in activity_stats.summary(org, period.year_earlier(), compare=False)["by_group"]
    }
    care = care_stats.summary(org, period)
    cov = coverage(org)
    name = org.short_name or org.name
    when = _period_words(period)
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
    in_subtree = subtree_q("organization__path", org.path)
    elders = Elder.objects.current().filter(in_subtree, active=True).count()
    teams = Team.objects.filter(in_subtree).count()
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
        yoy = change(line["sessions"], before)
        text += f"，活动场次{yoy}。" if yoy else "。"
        sections[key].paragraphs.append(text)
    if care["cases"]:
        text = f"建立关爱帮扶个案{care['cases']}件，帮扶困难青少年{approx(care['people_helped'])}名"
        if care["amount_disbursed"]:
            text += f"，发放帮扶资金{money(care['amount_disbursed'])}"
        sections["care"].paragraphs.append(text + "。")
    active = (
        Mentorship.objects.filter(in_subtree, start_date__lte=period.end)
        .exclude(end_date__lt=period.start)
        .count()
    )
    new = Mentorship.objects.filter(
        in_subtree, start_date__gte=period.start, start_date__lte=period.end
    ).count()
    if active:
        sections["growth"].paragraphs.append(
            f"深入开展“传帮带”结对活动，现有结对帮带{approx(active)}对，其中新结对{new}对。"
        )

    # 亮点: the most active units and the elders who gave the most.
    ranked = sorted(summary["by_child"], key=lambda c: -c["sessions"])[:3]
    ranked = [c for c in ranked if c["sessions"]]
    if ranked:
        units = "、".join(f"{c['name']}（{c['sessions']}场次）" for c in ranked)
        sections["highlights"].paragraphs.append(f"{units}等单位工作扎实，活动开展较多。")
    top = (
        ActivityElder.objects.filter(
            subtree_q("activity__organization__path", org.path),
            activity__date__gte=period.start,
            activity__date__lte=period.end,
        )
        .values("elder_id", "elder__name", "elder__organization__name")
        .annotate(h=Sum("hours"))
        .order_by("-h", "elder_id")[:3]
    )
    if top:
        people = "、".join(f"{t['elder__organization__name']}的{t['elder__name']}" for t in top)
        sections["highlights"].paragraphs.append(
            f"涌现出{people}等一批热心关心下一代事业的“五老”典型，服务时长名列前茅。"
        )
    overall = change(totals["sessions"], previous.get("sessions"))
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
    }
    return Draft(
        org,
        period,
        f"{name}关工委{when}工作总结",
        [s for s in sections.values() if s.paragraphs],
        figures,
    )
