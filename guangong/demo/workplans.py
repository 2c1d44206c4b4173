"""The demo region's work points (工作要点): the city's 《年全市关心下一代工作要点》 for the
demo year in nine sections (the joint notice's nine areas: 思想建设, 组织建设, 队伍建设,
职能建设, 机制建设, 阵地建设 and three more), published in January; every county below has
adopted it into a plan of its own (one still a draft), adapted the targets to its size, added
a task of its own, and reported progress in every status. Tasks that can be measured name a
figure of the statistics layer, so their progress is computed from the demo's ledger.

Lead units are the city's member units where the region has them (``meetings``' demo), else
the city committee itself. Everything is decided by the seed.
"""

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Kind, Organization
from guangong.workplans.models import (
    PlanStatus,
    PlanTask,
    TaskProgress,
    TaskStatus,
    WorkPlan,
)

LOCAL = ZoneInfo(settings.TIME_ZONE)

SECTIONS = [
    "加强思想建设，坚持用党的创新理论武装青少年",
    "加强组织建设，不断织密关工组织网络",
    "加强队伍建设，动员更多“五老”投身关心下一代工作",
    "加强职能建设，聚焦立德树人根本任务",
    "加强机制建设，健全统筹协调和上下联动机制",
    "加强阵地建设，用好教育基地和关爱场所",
    "深化宣传教育，营造青少年健康成长的社会环境",
    "扎实开展关爱帮扶，助力困难青少年成长",
    "加强自身建设，提升关工委工作水平",
]

#: (section, text, lead unit kind, cooperating kinds, due month, measure, of, target, wording)
TASKS = [
    (
        1,
        "组织“五老”深入校园开展“强国有我”主题宣讲",
        "宣传部",
        ("教育局", "团委"),
        11,
        "activity_sessions",
        "type:主题宣讲",
        60,
        "组织宣讲不少于60场次",
    ),
    (
        1,
        "开展红色基因传承教育，讲好党史、新中国史故事",
        "老干部局",
        ("教育局",),
        10,
        "activity_participants",
        "type:红色教育",
        3000,
        "受教育青少年不少于3000人次",
    ),
    (
        2,
        "推动市直机关和企事业单位普遍建立关工委",
        "组织部",
        ("国资委", "工商联"),
        12,
        "committees",
        "",
        150,
        "已建关工委组织不少于150个",
    ),
    (
        2,
        "巩固乡镇（街道）、村（社区）关工委组织，推进“五好”基层关工委创建",
        "组织部",
        (),
        12,
        "",
        "",
        None,
        "",
    ),
    (
        3,
        "扩大“新五老”入列，充实“五老”志愿者队伍",
        "老干部局",
        ("组织部",),
        9,
        "elders",
        "",
        500,
        "“五老”志愿者不少于500人",
    ),
    (
        3,
        "组织“五老”志愿者开展传帮带和志愿服务",
        "团委",
        (),
        12,
        "activity_service_hours",
        "",
        5000,
        "志愿服务不少于5000小时",
    ),
    (
        4,
        "开展“法护未来·五老送法进乡村”法治宣传教育",
        "司法局",
        ("教育局",),
        11,
        "activity_sessions",
        "type:法治教育",
        40,
        "法治宣传不少于40场次",
    ),
    (
        4,
        "扎实开展家风家教、家长学校和社会实践“家校社”三结合教育",
        "妇联",
        ("教育局",),
        10,
        "activity_sessions",
        "type:家庭教育/家长学校",
        30,
        "家长学校授课不少于30场次",
    ),
    (5, "逐步建立定期例会、联席会议、议事协商制度", "党委社会工作部", (), 6, "", "", None, ""),
    (
        5,
        "建立上下沟通联系机制，各单位及时报送活动情况、经验做法和五老典型",
        "宣传部",
        (),
        12,
        "",
        "",
        None,
        "",
    ),
    (
        6,
        "用好爱国主义教育基地和关爱驿站，开展参观学习活动",
        "教育局",
        ("团委",),
        9,
        "activity_sessions",
        "type:参观学习",
        20,
        "组织参观学习不少于20场次",
    ),
    (7, "刊发《工作简报》，在市新闻网开设关心下一代专栏", "宣传部", (), 12, "", "", None, ""),
    (
        8,
        "开展金秋助学和困难青少年结对帮扶",
        "民政局",
        ("工会", "妇联"),
        9,
        "cases",
        "",
        10,
        "关爱帮扶个案不少于10件",
    ),
    (
        8,
        "组织关爱帮扶活动，覆盖留守、困境儿童",
        "民政局",
        ("团委",),
        12,
        "activity_sessions",
        "group:care",
        100,
        "关爱帮扶活动不少于100场次",
    ),
    (9, "落实基层关工组织办公经费和驻会人员工作补贴", "组织部", (), 6, "", "", None, ""),
]

PROGRESS = {
    TaskStatus.IN_PROGRESS: (
        "已召开专题会议部署，正在按计划推进。",
        "已完成阶段性任务，正在组织第二批。",
    ),
    TaskStatus.DONE: ("已全面完成，相关材料已归档。", "按期完成，成效明显，已报市关工委。"),
}
OWN_TASKS = ("结合本地实际，打造“{name}关爱明天”工作品牌", "开展“{name}五老宣讲团”巡回宣讲")


def remove_all() -> None:
    WorkPlan.objects.all().delete()


def _param(value: str) -> str:
    if value.startswith("type:"):
        item = DictItem.objects.filter(kind=DictKind.ACTIVITY_TYPE, label=value[5:]).first()
        return str(item.pk) if item else "group:ideology"
    return value


def _units(city: Organization) -> dict:
    try:
        from guangong.meetings.models import MemberUnit
    except ImportError:  # pragma: no cover
        return {}
    units = {}
    for unit in MemberUnit.objects.filter(organization=city).select_related("kind"):
        units.setdefault(unit.kind.label, unit)
    return units


def write(anchors: dict, seed: int, today: datetime.date) -> int:
    """The city's plan and the counties' adopted plans; returns how many tasks in all."""
    rng = random.Random(f"workplans-{seed}")
    city = anchors["city"]
    year = today.year
    issued = min(datetime.date(year, 1, 15), today)
    published = datetime.datetime(issued.year, issued.month, issued.day, 9, 0, tzinfo=LOCAL)
    plan = WorkPlan.objects.create(
        organization=city,
        year=year,
        title=f"{year}年全市关心下一代工作要点",
        introduction=(
            f"{year}年全市关心下一代工作的总体要求是：坚持以习近平新时代中国特色社会主义思想"
            "为指导，着眼后继有人这个根本大计，聚焦立德树人这个根本任务，按照市委、市政府"
            "《关于进一步加强新时代关心下一代工作的通知》和市关工委、市直机关工委联合通知"
            "提出的九个方面要求，突出重点、试点先行、分期分批、逐步推开，推动全市关心下一代"
            "工作高质量发展。"
        ),
        sections=list(SECTIONS),
        status=PlanStatus.PUBLISHED,
        published_at=published,
    )
    units = _units(city)
    numbers: dict[int, int] = {}
    sources = []
    for section, text, lead, coop, month, metric, of, target, wording in TASKS:
        numbers[section] = numbers.get(section, 0) + 1
        task = PlanTask.objects.create(
            plan=plan,
            section=section,
            number=numbers[section],
            text=text,
            lead_unit=units.get(lead),
            lead_org=None if lead in units else city,
            due_date=datetime.date(year, month, 28),
            metric=metric,
            metric_param=_param(of),
            target=Decimal(target) if target is not None else None,
            target_text=wording,
        )
        task.cooperating_units.set([units[k] for k in coop if k in units])
        sources.append(task)
    _report(rng, sources, city, [TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.IN_PROGRESS])
    counties = list(
        Organization.objects.filter(path__startswith=city.path, kind=Kind.COUNTY).order_by("path")
    )
    total = len(sources)
    statuses = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE]
    for i, county in enumerate(counties):
        total += _adopt(rng, plan, sources, county, i, statuses, today)
    return total


def _adopt(rng, source, tasks, county, index, statuses, today) -> int:
    draft = index == 2  # one county is still working on its plan
    plan = WorkPlan.objects.create(
        organization=county,
        year=source.year,
        title=f"{source.year}年{county.name}关心下一代工作要点",
        introduction=f"按照市关工委{source.year}年工作要点，结合{county.name}实际，制定本要点。",
        sections=list(source.sections),
        status=PlanStatus.DRAFT if draft else PlanStatus.PUBLISHED,
        published_at=None
        if draft
        else min(source.published_at + datetime.timedelta(days=1 + index), timezone.now()),
        source=source,
    )
    share = Decimal(rng.choice((15, 20, 25, 30))) / 100
    copies = []
    for n, task in enumerate(tasks):
        target = (task.target * share).quantize(Decimal(1)) if task.target else None
        copies.append(
            PlanTask(
                plan=plan,
                section=task.section,
                number=task.number,
                text=task.text,
                lead_org=county,
                due_date=task.due_date,
                metric=task.metric,
                metric_param=task.metric_param,
                target=max(target, Decimal(1)) if target is not None else None,
                target_text=(
                    task.target_text.replace(str(int(task.target)), str(int(target)))
                    if target and task.target_text
                    else ""
                ),
                source=task,
                status=statuses[(n + index) % 3] if not draft else TaskStatus.NOT_STARTED,
            )
        )
    own = rng.choice(OWN_TASKS).format(name=county.short_name or county.name)
    last = max(t.number for t in tasks if t.section == 7)
    copies.append(
        PlanTask(
            plan=plan,
            section=7,
            number=last + 1,
            text=own,
            lead_org=county,
            status=TaskStatus.IN_PROGRESS if not draft else TaskStatus.NOT_STARTED,
        )
    )
    PlanTask.objects.bulk_create(copies)
    _report(rng, plan.tasks.exclude(status=TaskStatus.NOT_STARTED), county)
    return len(copies)


def _report(rng, tasks, org, statuses=None) -> None:
    """A progress report on each task (its status given, or the task's own), by ``org``."""
    reports = []
    for i, task in enumerate(tasks):
        if statuses is not None:
            task.status = statuses[i % len(statuses)]
        percent = 100 if task.status == TaskStatus.DONE else rng.choice((20, 35, 50, 70, 85))
        task.percent = percent
        task.save(update_fields=["status", "percent"])
        reports.append(
            TaskProgress(
                task=task,
                text=rng.choice(PROGRESS[task.status]),
                status=task.status,
                percent=percent,
                author_name=f"{org.short_name or org.name}关工委",
            )
        )
    TaskProgress.objects.bulk_create(reports)
