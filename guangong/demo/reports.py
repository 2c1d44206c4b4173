"""The demo region's statistical reports: a quarterly form set by the city (伊犁州), and reports
from its counties and townships in every state for the last four quarters.

The two oldest quarters are approved throughout (a few townships marked 未报); in the quarter
before last county A is approved by the city and county B waits for the city's approval; in the
last quarter the townships are a mix of approved, submitted, returned, draft, 未报 and not
opened (overdue), county B has submitted late and county A is still a draft. Computed items
read the ledgers as they are when the region is loaded. Everything is decided by the seed.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from guangong.core.periods import Period
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Kind, Organization
from guangong.reporting import metrics
from guangong.reporting.models import (
    FormItem,
    FormRule,
    FormSection,
    ItemKind,
    Report,
    ReportEvent,
    ReportForm,
    ReportStatus,
    ReportValue,
)
from guangong.reporting.periods import PeriodType, recent
from guangong.reporting.services.chain import collector_of, reporters

FORM_NAME = "关工委工作季报表"
PERIODS = 4
EXPERIENCES = (
    "组织五老进校园开展红色故事宣讲，学生反响热烈。",
    "结对帮扶困难青少年，定期走访并建立成长档案。",
    "依托新时代文明实践站开展假期关爱活动。",
    "",
)
RETURN_COMMENTS = ("慰问户数与台账不符，请核实后重报。", "助学金额缺少明细，请补充。")
NOT_REPORTED = ("街道机构调整，本季度未开展工作。", "新任负责人交接中，经批准免报。")


def remove_all() -> None:
    Report.objects.all().delete()
    ReportForm.objects.all().delete()


def _item(section, code, label, kind, order, **extra) -> FormItem:
    return FormItem(section=section, code=code, label=label, kind=kind, order=order, **extra)


def make_form(city: Organization, starts_on: datetime.date) -> tuple[ReportForm, dict]:
    talk = DictItem.objects.filter(kind=DictKind.ACTIVITY_TYPE, label="主题宣讲").first()
    talk_param = str(talk.pk) if talk else "group:ideology"
    form = ReportForm.objects.create(
        owner=city,
        name=FORM_NAME,
        period_type=PeriodType.QUARTER,
        reporting_kinds=[Kind.COUNTY, Kind.TOWNSHIP],
        due_days=10,
        starts_on=starts_on,
        description="各县市、乡镇（街道）关工委于每季度结束后10日内报送。带“自动”标记的项目由系统"
        "根据活动台账、关爱帮扶和五老名册自动计算。",
    )
    s1, s2, s3, s4 = (
        FormSection.objects.create(form=form, title=title, order=order)
        for title, order in (
            ("一、思想引领", 10),
            ("二、关爱帮扶", 20),
            ("三、组织建设", 30),
            ("四、工作动态", 40),
        )
    )
    items = [
        _item(
            s1,
            "A1",
            "主题宣讲场次",
            ItemKind.COMPUTED,
            10,
            metric="activity_sessions",
            metric_param=talk_param,
            unit="场",
        ),
        _item(
            s1,
            "A2",
            "主题宣讲受教育人次",
            ItemKind.COMPUTED,
            20,
            metric="activity_participants",
            metric_param=talk_param,
            unit="人次",
            overridable=True,
        ),
        _item(s2, "B1", "新增关爱帮扶个案", ItemKind.COMPUTED, 10, metric="cases", unit="件"),
        _item(
            s2,
            "B2",
            "走访慰问困难青少年",
            ItemKind.INTEGER,
            20,
            unit="户",
            min_value=Decimal(0),
            max_value=Decimal(100000),
        ),
        _item(
            s2,
            "B3",
            "发放助学慰问金",
            ItemKind.DECIMAL,
            30,
            unit="元",
            required=False,
            min_value=Decimal(0),
        ),
        _item(s3, "C1", "五老志愿者人数", ItemKind.COMPUTED, 10, metric="elders", unit="人"),
        _item(s3, "C2", "已建关工委组织", ItemKind.COMPUTED, 20, metric="committees", unit="个"),
        _item(s3, "C3", "本季度新建关工委", ItemKind.INTEGER, 30, unit="个", min_value=Decimal(0)),
        _item(s4, "D1", "典型经验和主要做法", ItemKind.TEXT, 10, required=False),
    ]
    FormItem.objects.bulk_create(items)
    by_code = {i.code: i for i in FormItem.objects.filter(section__form=form)}
    FormRule.objects.create(
        form=form,
        left=by_code["A2"],
        operator=">=",
        right=by_code["A1"],
        message="主题宣讲受教育人次不应少于宣讲场次",
    )
    return form, by_code


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class _Writer:
    def __init__(self, form, items, rng, now, actors):
        self.form, self.items, self.rng, self.now, self.actors = form, items, rng, now, actors
        self.reports: list[Report] = []
        self.values: list[tuple[Report, FormItem, dict]] = []
        self.events: list[tuple[Report, str, datetime.datetime, str, str]] = []
        self.approved: dict[tuple[int, datetime.date], dict[str, Decimal]] = {}

    def actor(self, org):
        return self.actors.get(org.pk)

    def clamp(self, moment):
        return min(moment, self.now - datetime.timedelta(minutes=5))

    def add(self, org, period: Period, status: str, *, late=False, children=()):
        rng = self.rng
        due = period.due(self.form.due_days)
        opened = self.clamp(_at(period.end + datetime.timedelta(days=rng.randint(1, 4)), 9))
        report = Report(
            form=self.form,
            organization=org,
            period_start=period.start,
            period_end=period.end,
            status=status,
            computed_at=opened,
        )
        self.reports.append(report)
        self.event(report, "open", opened, org)
        if status == ReportStatus.NOT_REPORTED:
            reason = rng.choice(NOT_REPORTED)
            report.note = reason
            self.event(report, "not_reported", self.clamp(_at(due, 16)), None, reason)
            return report
        entered = self.fill(report, org, period, children)
        if status == ReportStatus.DRAFT:
            return report
        offset = rng.randint(1, 20) if late else -rng.randint(0, 8)
        submitted = self.clamp(_at(due + datetime.timedelta(days=offset), 15))
        if status == ReportStatus.RETURNED:
            self.event(report, "submit", submitted, org)
            back = self.clamp(submitted + datetime.timedelta(days=1))
            self.event(report, "return", back, None, rng.choice(RETURN_COMMENTS))
            return report
        report.submitted_at = submitted
        self.event(report, "submit", submitted, org)
        if status == ReportStatus.APPROVED:
            report.approved_at = self.clamp(submitted + datetime.timedelta(days=rng.randint(1, 4)))
            self.event(report, "approve", report.approved_at, None)
            self.approved[(org.pk, period.start)] = entered
        return report

    def event(self, report, action, at, org, comment=""):
        self.events.append((report, action, at, comment, org))

    def fill(self, report, org, period, children):
        rng = self.rng
        entered: dict[str, Decimal] = {}
        sums: dict[str, Decimal] = {}
        for child in children:
            for code, value in self.approved.get((child.pk, period.start), {}).items():
                if value is not None:
                    sums[code] = sums.get(code, Decimal(0)) + value
        for code, item in self.items.items():
            if item.kind == ItemKind.COMPUTED:
                computed = metrics.compute(item.metric, org, period, item.metric_param)
                fields = {"computed": computed, "value": computed}
                if item.overridable and computed and rng.random() < 0.1:
                    fields.update(value=computed + rng.randint(1, 20), overridden=True)
            elif item.kind == ItemKind.TEXT:
                fields = {"text": rng.choice(EXPERIENCES)}
            else:
                own = {
                    "B2": Decimal(rng.randint(0, 40)),
                    "B3": Decimal(rng.randint(0, 60) * 100),
                    "C3": Decimal(rng.choice((0, 0, 0, 1))),
                }[code]
                fields = {"value": sums.get(code, Decimal(0)) + own}
            self.values.append((report, item, fields))
            entered[code] = fields.get("value")
        return entered

    def save(self):
        Report.objects.bulk_create(self.reports)
        if any(r.pk is None for r in self.reports):  # backends without RETURNING
            ids = {
                (o, s): pk
                for o, s, pk in Report.objects.filter(form=self.form).values_list(
                    "organization_id", "period_start", "pk"
                )
            }
            for r in self.reports:
                r.pk = ids[(r.organization_id, r.period_start)]
        ReportValue.objects.bulk_create(
            [ReportValue(report=r, item=i, **fields) for r, i, fields in self.values]
        )
        events = []
        for report, action, at, comment, org in self.events:
            user = self.actor(org) if org is not None else self.approver(report)
            events.append(
                ReportEvent(
                    report=report,
                    action=action,
                    actor=user,
                    actor_name=str(user) if user else "",
                    comment=comment,
                    at=at,
                )
            )
        ReportEvent.objects.bulk_create(events)
        # auto_now_add stamped them with the time of loading; the history keeps its own times.
        for event, planned in zip(events, self.events, strict=True):
            event.at = planned[2]
        ReportEvent.objects.bulk_update(events, ["at"])

    def approver(self, report):
        return self.actors.get(collector_of(self.form, report.organization).pk)


def write(anchors: dict, users, seed: int, today: datetime.date) -> int:
    """Make the form and the reports; returns how many reports were written."""
    rng = random.Random(f"reports-{seed}")
    city = anchors["city"]
    periods = recent(PeriodType.QUARTER, today, PERIODS)  # newest first
    form, items = make_form(city, periods[-1].start)
    by_org = {u.organization_id: u for u in reversed(users)}  # the first account of each place
    writer = _Writer(form, items, rng, timezone.now(), by_org)
    counties = [o for o in reporters(form) if o.kind == Kind.COUNTY]
    townships = {
        c.pk: [o for o in reporters(form) if o.kind == Kind.TOWNSHIP and o.path.startswith(c.path)]
        for c in counties
    }
    county_a, county_b = anchors.get("county_a"), anchors.get("county_b")
    town_a = anchors.get("town_a")
    latest = _latest_states(rng, sum(len(t) for t in townships.values()))
    for age, period in reversed(list(enumerate(periods))):
        for county in counties:
            towns = townships[county.pk]
            for n, town in enumerate(towns):
                if age >= 1:
                    status = ReportStatus.NOT_REPORTED if rng.random() < 0.05 else APPROVED
                elif town == town_a:
                    status = ReportStatus.RETURNED  # demo-town-a has a correction to make
                elif county == county_a and n == 0:
                    status = ReportStatus.SUBMITTED  # waiting for demo-county-a's approval
                else:
                    status = latest.pop()
                if status is not None:
                    writer.add(town, period, status, late=rng.random() < 0.2)
            status = _county_status(age, county, county_a, county_b)
            if status is not None:
                writer.add(county, period, status, late=age == 0, children=towns)
    writer.save()
    return len(writer.reports)


APPROVED = ReportStatus.APPROVED
#: The townships' states in the last quarter, in proportion (None: not opened, overdue).
LATEST = (
    (ReportStatus.APPROVED, 3),
    (ReportStatus.SUBMITTED, 3),
    (ReportStatus.RETURNED, 1),
    (ReportStatus.DRAFT, 2),
    (ReportStatus.NOT_REPORTED, 1),
    (None, 2),
)


def _latest_states(rng, count: int) -> list:
    cycle = [state for state, weight in LATEST for _i in range(weight)]
    states = (cycle * (count // len(cycle) + 1))[:count]
    rng.shuffle(states)
    return states


def _county_status(age, county, county_a, county_b):
    if age >= 2:
        return ReportStatus.APPROVED
    if age == 1:
        return ReportStatus.SUBMITTED if county == county_b else ReportStatus.APPROVED
    if county == county_b:
        return ReportStatus.SUBMITTED
    if county == county_a:
        return ReportStatus.DRAFT
    return None
