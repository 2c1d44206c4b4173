"""Demo notices and information items: the city's joint notice 鸡关联字〔year〕1号 setting
requirements in nine areas (feedback required, partly read and answered) and a second notice
to the counties; information items from the demo township and county in every state.

Written directly, like the rest of the demo region (whose loading is one audit record), in the
states the services would leave them in."""

import datetime
import random

from django.utils import timezone

from guangong.dicts.models import DictItem, DictKind
from guangong.notices.models import (
    Audience,
    InfoItem,
    ItemStatus,
    Notice,
    NoticeStatus,
    Receipt,
    Reminder,
)
from guangong.orgs.models import Kind, Organization

NINE_AREAS = (
    "思想建设",
    "组织建设",
    "队伍建设",
    "职能建设",
    "机制建设",
    "阵地建设",
    "制度建设",
    "作风建设",
    "保障建设",
)
JOINT_BODY = (
    "各县（市、区）关工委、市直各单位：\n"
    "为贯彻落实《关于加强新时代关心下一代工作委员会工作的意见》和《关心下一代工作细则》，"
    "现就加强关工委建设提出以下要求：\n"
    + "\n".join(f"{i}. 加强{area}。" for i, area in enumerate(NINE_AREAS, start=1))
    + "\n请各单位于规定时间前报送贯彻落实情况。"
)
ITEMS = (
    ("工作动态", "街道五老宣讲团走进社区", ItemStatus.PENDING, ""),
    ("经验做法", "“银龄课堂”助力青少年成长", ItemStatus.ACCEPTED, ""),
    ("五老典型", "退休教师义务辅导留守儿童十年", ItemStatus.FORWARDED, ""),
    ("工作动态", "暑期关爱活动启动", ItemStatus.RETURNED, "请补充参加人数和活动照片。"),
)


def _kinds() -> dict:
    kinds = {i.label: i for i in DictItem.objects.filter(kind=DictKind.INFO_KIND)}
    for label in ("工作动态", "经验做法", "五老典型"):
        if label not in kinds:
            kinds[label] = DictItem.objects.create(kind=DictKind.INFO_KIND, label=label)
    return kinds


def _issue(notice: Notice, targets, rng, read_share: float, answer_share: float, now) -> int:
    notice.save()
    receipts = []
    for org in targets:
        r = Receipt(notice=notice, organization=org)
        if rng.random() < read_share:
            r.read_at = now - datetime.timedelta(days=rng.randint(0, 5), hours=rng.randint(0, 8))
            r.read_by_name = "演示用户"
            if notice.feedback_required and rng.random() < answer_share:
                r.answered_at = r.read_at + datetime.timedelta(days=1)
                r.answered_by_name = "演示用户"
                r.feedback = "已组织学习传达，按九个方面要求逐项落实。"
                r.figures = {"新建关工委": rng.randint(1, 6), "五老人数": rng.randint(5, 40)}
        receipts.append(r)
    Receipt.objects.bulk_create(receipts)
    unread = list(Receipt.objects.filter(notice=notice, read_at__isnull=True)[:3])
    Reminder.objects.bulk_create([Reminder(receipt=r, by_name="演示用户") for r in unread])
    Receipt.objects.filter(pk__in=[r.pk for r in unread]).update(reminders_sent=1)
    return len(receipts)


def write(anchors: dict, seed: int, today: datetime.date) -> int:
    """Two notices of the city and information items; returns how many notices."""
    city = anchors.get("city")
    if city is None:
        return 0
    rng = random.Random(seed * 31 + 17)
    now = timezone.now()
    below = Organization.objects.filter(path__startswith=city.path).exclude(pk=city.pk)
    children = list(below.filter(depth=city.depth + 1))
    joint = Notice(
        organization=city,
        joint_names="市直机关工委",
        prefix="鸡关联字",
        year=today.year,
        number=1,
        title="关于贯彻落实《关于加强新时代关心下一代工作委员会工作的意见》的通知",
        body=JOINT_BODY,
        audience=Audience.CHILDREN,
        feedback_required=True,
        feedback_due=today + datetime.timedelta(days=20),
        status=NoticeStatus.ISSUED,
        issued_on=today - datetime.timedelta(days=6),
        issued_at=now - datetime.timedelta(days=6),
    )
    _issue(joint, children, rng, read_share=0.6, answer_share=0.5, now=now)
    agencies = below.filter(kind=Kind.AGENCY, depth=city.depth + 1)[:2]
    joint.co_issuers.set(agencies)
    plan = Notice(
        organization=city,
        prefix="关工发",
        year=today.year,
        number=1,
        title=f"关于印发《{today.year}年全市关心下一代工作要点》的通知",
        body="各县（市、区）关工委：\n现将工作要点印发给你们，请结合实际认真贯彻落实。",
        audience=Audience.KINDS,
        audience_kinds=[Kind.COUNTY],
        status=NoticeStatus.ISSUED,
        issued_on=today - datetime.timedelta(days=30),
        issued_at=now - datetime.timedelta(days=30),
    )
    counties = [o for o in children if o.kind == Kind.COUNTY]
    _issue(plan, counties, rng, read_share=0.7, answer_share=0, now=now)
    _items(anchors, today, now)
    return 2


def _items(anchors: dict, today, now) -> None:
    town, county, city = anchors.get("town_a"), anchors.get("county_a"), anchors.get("city")
    if town is None or county is None:
        return
    kinds = _kinds()
    rows = []
    for i, (kind, title, status, reason) in enumerate(ITEMS):
        handler = city if status == ItemStatus.FORWARDED else county
        rows.append(
            InfoItem(
                organization=town,
                handler=handler,
                kind=kinds[kind],
                title=title,
                text=f"{title}。近日，{town.name}关工委组织开展相关工作，取得良好效果。",
                sent_on=today - datetime.timedelta(days=3 + i * 4),
                status=status,
                reason=reason,
                adopted_by=county if status == ItemStatus.ACCEPTED else None,
                decided_at=None if status == ItemStatus.PENDING else now,
                decided_by_name="" if status == ItemStatus.PENDING else "演示用户",
            )
        )
    rows.append(
        InfoItem(
            organization=county,
            handler=city,
            kind=kinds["经验做法"],
            title="建立“联席会议”制度推动企业关工委建设",
            text="县关工委联合组织部、国资委、工商联和工会建立联席会议制度。",
            sent_on=today - datetime.timedelta(days=2),
        )
    )
    InfoItem.objects.bulk_create(rows)


def remove_all() -> None:
    InfoItem.objects.all().delete()
    Notice.objects.all().delete()
