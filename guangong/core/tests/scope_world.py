"""The scope walk's world, continued: rows of the modules that reach users through messages,
notices, groups, meetings and work points, and a plausible range (``test_scope_walk.world``)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from guangong.dicts.models import DictItem, DictKind
from guangong.orgs.models import Kind


def add_modules(made, tree, city_admin, sysadmin, t_clerk, activity, jpeg) -> None:
    """Rows owned at the township (``made.add``) of the messages, notices, organisation groups,
    meetings and work points modules, and a plausible range of the activity ledger."""
    # Messages: one to the township's clerk (theirs alone), and its SMS in the delivery log.
    from guangong.notifications.models import Delivery, Message

    note = Message.objects.create(
        recipient=t_clerk, event="report_returned", title="街道季报已退回", url="/", key="walk"
    )
    made.add(note)
    made.add(
        Delivery.objects.create(
            key="walk:sms",
            channel="sms",
            event="report_returned",
            message=note,
            org_path=tree.township.path,
            recipient="138****5678",
            subject="街道季报已退回",
        )
    )

    # Notices: the township's draft (with a file) and its notice to its enterprise (a receipt
    # with feedback), and an information item the township sent up to county A (with a photo).
    from guangong.notices.tests.conftest import make_draft, make_item, make_notice

    pending = make_draft(city_admin, tree.township)
    made.add(pending, pending.files.first())
    notice, receipt = make_notice(city_admin, tree.township, feedback="已部署落实。")
    made.add(notice, receipt, notice.files.first())
    item = make_item(city_admin, tree.township, photo=jpeg())
    made.add(item, item.photos.first())

    # Organisation groups: a set of the township's, a group, the township in it.
    from guangong.orggroups import services as group_services
    from guangong.orggroups.models import Assignment, GroupSet, OrgGroup

    group_set = group_services.save_group_set(
        city_admin, GroupSet(organization=tree.township, name="示范点")
    )
    group = group_services.save_group(city_admin, OrgGroup(group_set=group_set, name="市级示范点"))
    made.add(
        group_set,
        group,
        group_services.save_assignment(
            city_admin, Assignment(organization=tree.township, group=group)
        ),
    )

    # Meetings: the township's member unit, a held joint meeting with a photo of its minutes,
    # a decision, an action item the township owns and a progress report with evidence.
    from guangong.meetings.models import ActionItem, Decision, Meeting, MemberUnit
    from guangong.meetings.services import items as item_services
    from guangong.meetings.services import meetings as meeting_services
    from guangong.meetings.services import units as unit_services

    unit = unit_services.save_unit(
        city_admin,
        MemberUnit(
            organization=tree.township,
            kind=DictItem.objects.get(kind=DictKind.MEMBER_UNIT, label="团委"),
            name="街道团工委",
            phone="13811112222",
        ),
    )
    unit_services.link_activity(city_admin, unit, activity)
    meeting = meeting_services.save_meeting(
        city_admin,
        Meeting(
            organization=tree.township,
            kind=DictItem.objects.get(kind=DictKind.MEETING_KIND, label="联席会议"),
            title="街道联席会议",
            date=datetime.date(2025, 9, 1),
        ),
        units=[unit],
    )
    meeting = meeting_services.hold(city_admin, meeting, 20)
    photo = SimpleUploadedFile("会场.jpg", jpeg(), content_type="image/jpeg")
    made.add(meeting, meeting_services.add_attachment(city_admin, meeting, photo))
    decision = meeting_services.save_decision(
        city_admin, Decision(meeting=meeting, text="建立成员单位联络员制度")
    )
    item = item_services.save_item(
        city_admin,
        ActionItem(
            decision=decision,
            task="报送联络员名单",
            owner_org=tree.township,
            due_date=datetime.date(2025, 10, 1),
        ),
    )
    evidence = SimpleUploadedFile("名单.jpg", jpeg(), content_type="image/jpeg")
    made.add(unit, decision, item, item_services.report(city_admin, item, "已报送", evidence))

    # Work points: the township's published plan with a task measured by the statistics, a
    # progress report with evidence, and a draft plan of the year after.
    from guangong.workplans.models import PlanTask, WorkPlan
    from guangong.workplans.services import plans as plan_services
    from guangong.workplans.services import tasks as task_services

    plan = plan_services.save_plan(
        city_admin,
        WorkPlan(
            organization=tree.township, year=2025, title="街道2025年工作要点", sections=["宣传教育"]
        ),
    )
    task = task_services.save_task(
        city_admin,
        PlanTask(plan=plan, text="组织宣讲不少于6场次", metric="activity_sessions", target=6),
        cooperating_units=[unit],
    )
    plan = plan_services.publish(city_admin, plan)
    proof = SimpleUploadedFile("宣讲.jpg", jpeg(), content_type="image/jpeg")
    made.add(
        plan, task, task_services.report(city_admin, task, "已宣讲3场", "in_progress", 50, proof)
    )
    made.add(
        plan_services.save_plan(
            city_admin, WorkPlan(organization=tree.township, year=2026, title="街道2026年工作要点")
        )
    )

    # Activities: a plausible range (a dictionary row, the whole network's).
    from guangong.activities import ranges as activity_ranges
    from guangong.activities.models import ActivityRange

    made.add(
        activity_ranges.save_range(
            sysadmin,
            ActivityRange(
                type=DictItem.objects.get(kind=DictKind.ACTIVITY_TYPE, label="主题宣讲"),
                org_kind=Kind.TOWNSHIP,
                max_participants=800,
                max_hours=8,
            ),
        )
    )
