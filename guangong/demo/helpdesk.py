"""Demo help requests: a handful for the demo care worker (demo-care-a) in every status.

Written directly, like the rest of the demo region (whose loading is one audit record), in the
states the help desk's services would leave them in. The choice of texts, kinds, phones and
people follows the seed; tracking codes stay random, as they must be unguessable.
"""

import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from guangong.care.models import Case
from guangong.care.services.cases import _insert_registered as insert_registered
from guangong.core import crypto
from guangong.core.validators import mask_phone
from guangong.dicts.models import DictItem, DictKind
from guangong.helpdesk import services
from guangong.helpdesk.consent import CONSENT_VERSION
from guangong.helpdesk.models import HelpReferral, HelpReply, HelpRequest, Status, new_code
from guangong.orgs.models import Organization
from guangong.people.models import Youth

CARE_WORKER = "demo-care-a"

#: (kind of help, relation, age, what the requester wrote).
REQUESTS = (
    (
        "心理疏导",
        "parent",
        13,
        "孩子上初一后不爱说话，回家就关在房间里，成绩下滑明显，想请老师帮忙疏导。",
    ),
    (
        "助学",
        "self",
        17,
        "我是高二学生，父亲去年生病住院，家里负担很重，想了解有没有助学金可以申请。",
    ),
    ("法律援助", "parent", 15, "孩子在打工的饭店被拖欠三个月工资，老板不给结算，不知道该怎么办。"),
    (
        "留守儿童关爱",
        "other",
        9,
        "邻居家孩子父母都在外地打工，跟着奶奶生活，放学后常常一个人在路边玩。",
    ),
    ("助困", "self", 19, "我刚毕业还没找到工作，母亲下岗，房租交不上，想问问有没有临时救助。"),
    ("心理疏导", "self", 16, "最近总是睡不着，感觉压力很大，不想跟家里人说，想找人聊聊。"),
    ("助学", "parent", 12, "家里两个孩子上学，今年秋季学费还差一些，想请关工委帮忙想想办法。"),
)
PUBLIC_REPLY = "您好，我们已收到您的求助，工作人员会在三个工作日内与您电话联系。"
NOTE = "已与所在社区核实情况，计划安排五老志愿者上门走访。"


def remove_all() -> None:
    """Delete every help request, and the care cases they were turned into."""
    cases = list(HelpRequest.objects.filter(case__isnull=False).values_list("case", flat=True))
    HelpRequest.objects.all().delete()
    Case.objects.filter(pk__in=cases).delete()


def _place(anchors: dict) -> Organization:
    """Where the requests go: the demo county if it has a committee, else the demo township
    below it (which always has one); both are in demo-care-a's scope."""
    county = anchors["county_a"]
    if services.public_places().filter(pk=county.pk).exists():
        return county
    return anchors["town_a"]


def _reply(req: HelpRequest, worker, text: str, public: bool) -> None:
    HelpReply.objects.create(
        request=req,
        text=text,
        public=public,
        author=worker,
        author_name=str(worker),
        organization=worker.organization,
    )


def _case(req: HelpRequest, worker, youth: Youth) -> Case:
    case = Case(
        organization=req.organization,
        youth=youth,
        kind=req.kind,
        situation=req.description,
        care_worker=worker,
        opened_on=timezone.localdate(),
        created_by=worker,
    )
    insert_registered(case, worker)
    return case


def load(anchors: dict, users, seed: int) -> int:
    """Create the demo requests; returns how many. Nothing without the demo care worker."""
    worker = next((u for u in users if u.username == CARE_WORKER), None)
    if worker is None:
        return 0
    worker = get_user_model().objects.select_related("organization").get(pk=worker.pk)
    rng = random.Random(seed * 7919 + 5)
    place = _place(anchors)
    other = anchors["town_a"] if place.pk != anchors["town_a"].pk else anchors["county_a"]
    kinds = {i.label: i for i in DictItem.objects.filter(kind=DictKind.CASE_KIND)}
    made = []
    for label, relation, age, text in REQUESTS:
        phone = f"13{rng.randint(5, 9)}{rng.randint(0, 99999999):08d}"
        req = HelpRequest(
            code=new_code(),
            kind=kinds.get(label) or next(iter(kinds.values())),
            addressed_to=place,
            organization=place,
            description=text,
            requester_name=rng.choice(["", "王女士", "小李", "张先生", "阿依努尔"]),
            phone_enc=crypto.encrypt(phone),
            phone_hash=services.phone_key(phone),
            phone_masked=mask_phone(phone),
            relation=relation,
            youth_age=age,
            consent_version=CONSENT_VERSION,
            consent_at=timezone.now(),
        )
        req.save()
        made.append(req)
    new, working, referred, replied, closed, converted = made[:6]
    # ``new`` and the last one stay 新提交.
    _reply(working, worker, NOTE, public=False)
    working.status, working.assigned_to = Status.IN_PROGRESS, worker
    HelpReferral.objects.create(
        request=referred,
        from_org=place,
        to_org=other,
        by=worker,
        by_name=str(worker),
        note="按户籍所在地转交",
    )
    referred.organization, referred.status = other, Status.REFERRED
    for req in (replied, closed):
        _reply(req, worker, PUBLIC_REPLY, public=True)
        req.status, req.assigned_to = Status.REPLIED, worker
    _reply(closed, worker, "已电话联系，转介人社部门", public=False)
    closed.status = Status.CLOSED
    youth = list(Youth.objects.visible_to(worker).current().order_by("pk")[:50])
    if youth:
        converted.case = _case(converted, worker, rng.choice(youth))
        converted.status, converted.assigned_to = Status.CONVERTED, worker
    for req in made:
        req.save()
    return len(made)
