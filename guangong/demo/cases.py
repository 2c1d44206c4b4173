"""Care cases of the demo region: some at every stage of the workflow, some closed and some
anonymised, for the demo care worker (demo-care-a, 伊宁市) to work on.

They are made through the care services, as the pages would make them: encrypted fields,
transitions with who and when, consent, follow-up visits and the audit records. Which young
people, kinds, amounts and texts is drawn from the seed, so a seed gives the same cases.
"""

import datetime
import random
from decimal import Decimal

from django.db.models import Q

from guangong.audit.models import AuditLog
from guangong.care import retention
from guangong.care.models import Access, Case, FollowUp, Status
from guangong.care.services.cases import record_consent, save_case
from guangong.care.services.entries import add_follow_up
from guangong.care.services.transitions import transition
from guangong.core.scope import subtree_q
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Organization
from guangong.people.models import Youth

#: How many cases end at each stage ("anonymised": closed, then anonymised).
PLAN = (
    (Status.REGISTERED, 3),
    (Status.ASSESSMENT, 3),
    (Status.APPROVAL, 3),
    (Status.IMPLEMENTATION, 2),
    (Status.FOLLOW_UP, 2),
    (Status.CLOSED, 3),
    ("anonymised", 2),
)
STAGES = [s for s, _ in Status.choices]

SITUATIONS = (
    "父母在外务工，由祖母照看，家庭收入微薄，学费难以负担。",
    "父亲因病去世，母亲打零工维持生活，孩子面临辍学风险。",
    "孩子患先天性心脏病，需手术治疗，家庭负担沉重。",
    "家中房屋受损，孩子上学路途远，需要生活补助。",
    "孩子性格孤僻，学习成绩下滑，需要心理疏导和陪伴。",
    "孩子曾有不良行为，需要帮教和法律知识辅导。",
)
ADDRESSES = (
    "伊宁市解放路{n}号",
    "伊宁市新华东路{n}号",
    "伊宁市斯大林街{n}号",
    "伊宁市飞机场路{n}号",
)
FAMILIES = (
    "祖孙二人生活，祖母年迈多病。",
    "单亲家庭，母亲无固定收入。",
    "父母离异，随父亲生活，父亲长期在外。",
    "家中三个孩子，父亲残疾。",
)
HEALTHS = ("身体健康", "轻度哮喘", "视力较差", "先天性心脏病，术后恢复中")
VISITS = (
    "孩子已返校上课，状态良好。",
    "家庭情况有所改善，继续关注。",
    "孩子成绩提高，家长表示感谢。",
)
RELATIONS = (("母亲", "母"), ("父亲", "父"), ("祖母", "祖母"), ("祖父", "祖父"))


def _people(county: Organization):
    """Young people at the county or one level below (its approvers can approve them)."""
    near = Q(organization=county) | Q(
        subtree_q("organization__path", county.path), organization__depth=county.depth + 1
    )
    return list(Youth.objects.current().filter(near).select_related("organization").order_by("pk"))


def _step(worker, approver, case: Case, target: str, rng: random.Random, today) -> Case:
    """Move ``case`` from registration to ``target`` through the services."""
    opened = case.opened_on
    if STAGES.index(target) >= STAGES.index(Status.ASSESSMENT):
        transition(worker, case, "submit", "材料已收齐")
    if STAGES.index(target) >= STAGES.index(Status.APPROVAL):
        case.refresh_from_db()
        case.assessment = "经入户核实，情况属实，符合帮扶条件。"
        case.plan = f"资助{case.amount_requested}元，并安排五老结对关爱。"
        save_case(worker, case)
        if case.youth.is_minor:
            relation, prefix = rng.choice(RELATIONS)
            record_consent(
                worker,
                case,
                by=case.youth.guardian_name or case.youth.name[0] + prefix,
                relation=relation,
                on=opened + datetime.timedelta(days=2),
                note="签署书面同意书",
            )
        transition(worker, case, "assess", "建议批准")
    if STAGES.index(target) >= STAGES.index(Status.IMPLEMENTATION):
        transition(approver, case, "approve", "同意", amount_approved=case.amount_requested)
    if STAGES.index(target) >= STAGES.index(Status.FOLLOW_UP):
        transition(
            worker,
            case,
            "disburse",
            amount_disbursed=case.amount_requested,
            disbursed_on=min(today, opened + datetime.timedelta(days=20)),
        )
        add_follow_up(
            worker,
            case,
            FollowUp(
                date=min(today, opened + datetime.timedelta(days=40)),
                content=rng.choice(VISITS),
                visitor=str(worker),
            ),
        )
    if target == Status.CLOSED:
        transition(worker, case, "close", "帮扶目标已实现")
    return case


def build(anchors: dict, users: list, seed: int, today: datetime.date) -> int:
    """Make the demo cases; returns how many.

    The services write an audit record for every step; the demo region as a whole is recorded
    once by the loader (its message counts the cases), so the steps' records, made inside the
    loader's transaction, are dropped again at the end.
    """
    last_audit = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    count = _build(anchors, users, seed, today)
    steps = AuditLog.objects.filter(pk__gt=last_audit, object_type__startswith="care.")
    steps.filter(Q(user__in=users) | Q(user=None, username="system")).delete()
    return count


def _build(anchors: dict, users: list, seed: int, today: datetime.date) -> int:
    by_name = {u.username: u for u in users}
    worker, approver = by_name.get("demo-care-a"), by_name.get("demo-county-a")
    county = anchors.get("county_a")
    if worker is None or approver is None or county is None:
        return 0
    youth = _people(county)
    if not youth:
        return 0
    rng = random.Random(f"cases-{seed}")
    kinds = list(DictItem.objects.filter(kind=DictKind.CASE_KIND).order_by("order", "pk"))
    funding = list(DictItem.objects.filter(kind=DictKind.FUNDING_SOURCE).order_by("order", "pk"))
    chosen = rng.sample(youth, min(len(youth), sum(n for _, n in PLAN)))
    count = 0
    targets = [stage for stage, n in PLAN for _ in range(n)]
    for person, target in zip(chosen, targets, strict=False):
        opened = today - datetime.timedelta(days=rng.randint(60, 400))
        case = Case(
            organization=person.organization,
            youth=person,
            kind=rng.choice(kinds),
            care_worker=worker,
            situation=rng.choice(SITUATIONS),
            amount_requested=Decimal(rng.choice((500, 800, 1000, 1500, 2000, 3000, 5000))),
            funding_source=rng.choice(funding) if funding else None,
            opened_on=opened,
        )
        save_case(
            worker,
            case,
            sensitive={
                "address": rng.choice(ADDRESSES).format(n=rng.randint(1, 300)),
                "family_situation": rng.choice(FAMILIES),
                "health": rng.choice(HEALTHS),
            },
        )
        stage = Status.CLOSED if target == "anonymised" else target
        _step(worker, approver, case, stage, rng, today)
        if target == "anonymised":
            retention.anonymise(None, case)
        count += 1
    return count


def remove_all() -> None:
    """Delete every case (they hold on to people and organisations) and the access log."""
    Access.objects.all().delete()
    Case.objects.all().delete()
