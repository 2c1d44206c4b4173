"""Demo member units, meetings, decisions and action items (``meetings``).

The city and each county have member units (成员单位) from the dictionary; a year of meetings at
the city, every county and the demo township (全体会议, 联席会议, 主任办公会, 座谈会, regular
例会, 议事协商会), and the seed's 推进会 at the city: the committee chairs and staff of 19 units'
committees, 45 people, with speeches and the year's 部署. Decisions carry action items in every
status: not started, in progress, overdue, awaiting closure and closed. Some activities name
member units as co-organisers.

Written directly, like the rest of the demo region (whose loading is one audit record).
"""

import datetime
import random

from django.utils import timezone

from guangong.activities.models import Activity
from guangong.dicts.models import DictItem, DictKind
from guangong.meetings.models import (
    ActionItem,
    Decision,
    ItemStatus,
    Meeting,
    MeetingStatus,
    MemberUnit,
    ProgressReport,
)
from guangong.orgs.models import UNIT_KINDS, Kind, Organization

#: Member units of the city (every kind), of a county and of the demo township.
COUNTY_UNITS = 8
TOWNSHIP_UNITS = ("党委社会工作部", "团委", "妇联", "教育局")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "志强", "秀英", "丽娟", "海燕", "文斌", "卫东", "红梅", "国庆", "玉兰", "永刚")

DECISIONS = (
    "建立联席会议制度，共同研究解决企业关工委建设中的重大问题",
    "各成员单位明确一名联络员，每季度报送关心下一代工作情况",
    "按年度工作要点分解任务，明确责任单位和完成时限",
    "推动国有企业、民营企业和商会率先建立规范化的关工委组织",
    "组织“五老”开展主题宣讲，年内不少于60场次",
)
TASKS = (
    "制定本系统关心下一代工作实施方案",
    "报送联络员名单和联系方式",
    "完成所属单位关工委组建情况摸底",
    "组织一次“五老”主题宣讲活动",
    "报送上半年工作总结和典型事例",
    "制定本年度乡镇（街道）改革的计划和时间表",
)
PUSH_SPEECHES = (
    "市关工委常务主任在讲话中回顾了市直机关关心下一代工作开局以来的进展，"
    "要求各单位按照市关工委年度工作要点，抓发动、抓试点、抓重点。\n"
    "市直机关工委常务副书记主持会议并最后讲话，对本年度市直机关关心下一代工作作出部署。\n"
    "市司法局、市国资局、市邮政管理局、市中医院四个单位关工委主任作交流发言。"
)


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng) -> str:
    return f"139{rng.randint(10_000_000, 99_999_999)}"


def _short(org: Organization) -> str:
    return org.short_name or org.name


def write(organizations: list[Organization], anchors: dict, seed: int, today=None) -> int:
    """Write the demo's meetings; returns how many meetings."""
    rng = random.Random(f"meetings-{seed}")
    today = today or timezone.localdate()
    unit_kinds = list(DictItem.objects.filter(kind=DictKind.MEMBER_UNIT, active=True))
    meeting_kinds = {i.label: i for i in DictItem.objects.filter(kind=DictKind.MEETING_KIND)}
    if not unit_kinds or not meeting_kinds:
        return 0
    city = anchors["city"]
    counties = [o for o in organizations if o.kind == Kind.COUNTY and o.path.startswith(city.path)]
    township = anchors.get("town_a")
    units = _units(rng, city, counties, township, unit_kinds, today)
    meetings = _meetings(rng, city, counties, township, meeting_kinds, units, today)
    _push_meeting(organizations, city, meeting_kinds, units, meetings, today)
    _decisions(rng, meetings, units, organizations, today)
    _co_organised(rng, [city, *counties], units)
    return len(meetings)


def _units(rng, city, counties, township, kinds, today) -> dict[int, list[MemberUnit]]:
    by_label = {k.label: k for k in kinds}
    plan = [(city, kinds)]
    plan += [(c, rng.sample(kinds, min(COUNTY_UNITS, len(kinds)))) for c in counties]
    if township is not None:
        plan.append((township, [by_label[x] for x in TOWNSHIP_UNITS if x in by_label]))
    rows = []
    for org, chosen in plan:
        for item in chosen:
            rows.append(
                MemberUnit(
                    organization=org,
                    kind=item,
                    name=f"{_short(org)}{item.label}",
                    contact_person=_person(rng),
                    phone=_phone(rng),
                    joined_on=datetime.date(rng.randint(2016, today.year - 1), 1, 1),
                )
            )
    for row in rows:
        row.search_text = row.name
    MemberUnit.objects.bulk_create(rows)
    made = {}
    for unit in MemberUnit.objects.filter(organization__path__startswith=city.path):
        made.setdefault(unit.organization_id, []).append(unit)
    return made


def _schedule(org, level: str) -> list[tuple[str, str, int]]:
    """(kind, title, month offset from a year ago) of the year's meetings at ``org``."""
    name = _short(org)
    found = [("全体会议", f"{name}关工委全体会议", 1), ("联席会议", f"{name}关工委联席会议", 4)]
    if level != "township":
        found += [("联席会议", f"{name}关工委联席会议（下半年）", 10)]
        found += [("主任办公会", f"{name}关工委主任办公会", m) for m in (2, 5, 8, 11)]
        found += [("座谈会", f"{name}“五老”座谈会", 7)]
    step = 1 if level == "city" else 3
    found += [("例会", f"{name}关工委例会", m) for m in range(0, 14, step)]
    if level == "township":
        found += [("议事协商会", f"{name}关心下一代工作议事协商会", 6)]
    return found


def _meetings(rng, city, counties, township, kinds, units, today) -> list[Meeting]:
    start = today - datetime.timedelta(days=365)
    plan = [(city, "city"), *((c, "county") for c in counties)]
    if township is not None:
        plan.append((township, "township"))
    rows = []
    for org, level in plan:
        for label, title, month in _schedule(org, level):
            day = start + datetime.timedelta(days=month * 30 + rng.randint(0, 20))
            if day > today:
                status = MeetingStatus.PLANNED
            elif (today - day).days < 20:
                status = MeetingStatus.HELD
            else:
                status = MeetingStatus.MINUTED
            regular = label == "例会"
            rows.append(
                Meeting(
                    organization=org,
                    kind=kinds[label],
                    title=f"{title}（{day.month}月）" if regular else title,
                    date=day,
                    place=f"{_short(org)}关工委会议室",
                    chair=_person(rng),
                    status=status,
                    head_count=0 if status == MeetingStatus.PLANNED else rng.randint(8, 40),
                    agenda="一、传达上级会议精神\n二、研究部署近期工作\n三、议定事项",
                    minutes=""
                    if status != MeetingStatus.MINUTED
                    else "会议传达了上级关工委会议精神，研究部署了近期工作，形成议定事项。",
                    series=f"{title}" if regular else "",
                    search_text=title,
                )
            )
    Meeting.objects.bulk_create(rows)
    made = list(
        Meeting.objects.filter(organization__path__startswith=city.path)
        .select_related("kind", "organization")
        .order_by("pk")
    )
    links = []
    for meeting in made:
        if meeting.status == MeetingStatus.PLANNED or meeting.kind.label == "例会":
            continue
        present = units.get(meeting.organization_id, [])
        for unit in rng.sample(present, min(len(present), 6)):
            links.append(Meeting.units.through(meeting_id=meeting.pk, memberunit_id=unit.pk))
    Meeting.units.through.objects.bulk_create(links)
    return made


def _push_meeting(organizations, city, kinds, units, meetings, today) -> None:
    """The seed's 推进会: 19 units' committee chairs and staff, 45 people."""
    day = today - datetime.timedelta(days=60)
    meeting = Meeting.objects.create(
        organization=city,
        kind=kinds["推进会"],
        title=f"{_short(city)}直机关关心下一代工作推进会",
        date=day,
        place=f"{_short(city)}委党校报告厅",
        chair="直机关工委常务副书记",
        status=MeetingStatus.MINUTED,
        head_count=45,
        agenda="一、传达全市关心下一代工作会议精神\n二、传达年度工作要点\n三、单位交流发言\n四、安排部署",
        minutes="会议传达了全市关心下一代工作会议精神和年度工作要点，"
        "四个单位关工委主任作交流发言，会议对本年度直属机关关心下一代工作进行了安排部署。",
        speeches=PUSH_SPEECHES,
        search_text="推进会",
    )
    # The units' committees nearest the city (directly under it first), 19 of them.
    committees = sorted(
        (o for o in organizations if o.path.startswith(city.path) and o.kind in UNIT_KINDS),
        key=lambda o: (o.depth, o.path),
    )[:19]
    meeting.committees.set(committees)
    meeting.units.set(units.get(city.pk, [])[:6])
    meetings.append(meeting)


def _owners(rng, meeting, units, children):
    present = units.get(meeting.organization_id, [])
    below = children.get(meeting.organization.path, [])
    if below and (not present or rng.random() < 0.4):
        return {"owner_org": rng.choice(below)}
    if present:
        return {"owner_unit": rng.choice(present)}
    return {"owner_org": meeting.organization}


#: The statuses the items cycle through: every one appears at every level.
STATES = ("done", "in_progress", "overdue", "closure", "not_started", "in_progress")


def _decisions(rng, meetings, units, organizations, today) -> None:
    children = {}
    for org in organizations:
        if org.kind in (Kind.COUNTY, Kind.TOWNSHIP):
            children.setdefault(org.path[: -Organization.steplen], []).append(org)
    now = timezone.now()
    n = 0
    for meeting in meetings:
        if meeting.status == MeetingStatus.PLANNED or meeting.kind.label == "例会":
            continue
        for number in (1, 2):
            decision = Decision.objects.create(
                meeting=meeting, number=number, text=rng.choice(DECISIONS)
            )
            for _ in range(rng.randint(1, 2)):
                state = STATES[n % len(STATES)]
                n += 1
                _item(rng, decision, state, _owners(rng, meeting, units, children), today, now)


def _item(rng, decision, state, owner, today, now) -> None:
    meeting = decision.meeting
    days_left = max((today - meeting.date).days, 2)
    if state == "overdue":
        due = meeting.date + datetime.timedelta(days=rng.randint(1, days_left - 1))
    elif state == "done":
        due = meeting.date + datetime.timedelta(days=rng.randint(20, 120))
    else:
        due = today + datetime.timedelta(days=rng.randint(10, 120))
    status = {
        "done": ItemStatus.DONE,
        "not_started": ItemStatus.NOT_STARTED,
    }.get(state, ItemStatus.IN_PROGRESS)
    if state == "overdue" and rng.random() < 0.5:
        status = ItemStatus.NOT_STARTED
    item = ActionItem.objects.create(
        decision=decision,
        meeting=meeting,
        task=rng.choice(TASKS),
        responsible=_person(rng),
        due_date=due,
        status=status,
        closure_requested_at=now if state in ("closure", "done") else None,
        closed_at=now if state == "done" else None,
        **owner,
    )
    if status != ItemStatus.NOT_STARTED:
        ProgressReport.objects.create(
            item=item,
            text="已召开专题会议研究部署，正在按时间节点推进。",
            author_name=item.responsible,
        )


def _co_organised(rng, regions, units) -> None:
    """Some activities of each region name one or two of its member units as co-organisers."""
    links = []
    for region in regions:
        present = units.get(region.pk, [])
        if not present:
            continue
        ids = list(
            Activity.objects.filter(organization__path__startswith=region.path)
            .order_by("pk")
            .values_list("pk", flat=True)[:400]
        )
        for activity_id in rng.sample(ids, min(len(ids), 25)):
            for unit in rng.sample(present, min(len(present), rng.randint(1, 2))):
                links.append(
                    MemberUnit.activities.through(memberunit_id=unit.pk, activity_id=activity_id)
                )
    MemberUnit.activities.through.objects.bulk_create(links, ignore_conflicts=True)


def remove_all() -> None:
    ActionItem.objects.all().delete()
    Decision.objects.all().delete()
    Meeting.objects.all().delete()
    MemberUnit.objects.all().delete()
