"""Notices, information items and meetings bring their work to people: each event reaches the
users it concerns, never another county's, and only once."""

import datetime

import pytest
from django.utils import timezone

from guangong.meetings.models import Meeting
from guangong.meetings.services import items as action_items
from guangong.meetings.services import meetings as meeting_services
from guangong.meetings.tests.conftest import kind, make_decision, make_meeting
from guangong.meetings.tests.conftest import make_item as make_action_item
from guangong.notices.models import Audience
from guangong.notices.services import items as info_services
from guangong.notices.services import notices as notice_services
from guangong.notices.tests.conftest import make_item as make_info_item
from guangong.notices.tests.conftest import make_notice
from guangong.notifications import work
from guangong.notifications.models import Event, Message
from guangong.notifications.sending import make_messages

pytestmark = pytest.mark.django_db


def inbox(user, event=None):
    found = Message.objects.filter(recipient=user)
    if event:
        found = found.filter(event=event)
    return list(found.order_by("pk"))


# --- Notices --------------------------------------------------------------------------------


def test_an_issued_notice_reaches_the_recipients_users_who_answer_it(
    tree, a_admin, a_viewer, t_clerk, t_writer, b_clerk, committed
):
    with committed():
        notice, _receipt = make_notice(a_admin, tree.county_a, audience=Audience.SUBTREE)
    for user in (t_clerk, t_writer):
        (message,) = inbox(user)
        assert message.event == Event.NOTICE_ISSUED
        assert message.title == f"新通知：{notice.doc_number} {notice.title}"
        assert "伊宁市" in message.body and "前反馈" in message.body
        assert message.url == notice.get_absolute_url()
    # the issuer's own county, a viewer there and another county hear nothing
    assert inbox(a_admin) == [] and inbox(a_viewer) == [] and inbox(b_clerk) == []
    make_messages(Event.NOTICE_ISSUED, {"notice": notice.pk})  # the event again
    assert len(inbox(t_clerk)) == 1


def test_the_reminder_hook_tells_the_reminded_organisation(
    tree, a_admin, t_clerk, b_clerk, committed
):
    assert work.reminded in notice_services.reminder_hooks
    notice, _receipt = make_notice(a_admin, tree.county_a, audience=Audience.CHILDREN)
    with committed():
        notice_services.remind(a_admin, notice, note="请本周内反馈")
    (message,) = inbox(t_clerk, Event.NOTICE_REMINDER)
    assert message.title.startswith("催办：") and notice.doc_number in message.title
    assert "请本周内反馈" in message.body and "伊宁市提醒您" in message.body
    assert inbox(b_clerk) == []
    with committed():  # a second reminder is a second message
        notice_services.remind(a_admin, notice)
    assert len(inbox(t_clerk, Event.NOTICE_REMINDER)) == 2


def test_feedback_due_in_three_days_is_told_once_and_not_after_it_is_filed(
    tree, a_admin, t_clerk, t_writer, b_clerk
):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=3)
    notice, receipt = make_notice(
        a_admin, tree.county_a, audience=Audience.CHILDREN, feedback_due=due
    )
    later, _r = make_notice(a_admin, tree.county_a, feedback_due=due + datetime.timedelta(days=1))
    work.remind(today)
    work.remind(today)  # the daily task run twice
    for user in (t_clerk, t_writer):
        (message,) = inbox(user, Event.NOTICE_FEEDBACK_DUE)
        assert (
            message.title == f"{due.month}月{due.day}日截止反馈：{notice.doc_number} {notice.title}"
        )
    assert inbox(b_clerk) == []
    other, answered = make_notice(
        a_admin, tree.county_a, audience=Audience.CHILDREN, feedback_due=due, feedback="已完成"
    )
    assert answered.answered_at is not None
    work.remind(today)
    assert len(inbox(t_clerk, Event.NOTICE_FEEDBACK_DUE)) == 1  # the answered one: nothing


# --- Information items ----------------------------------------------------------------------


def test_a_returned_item_tells_its_sender_the_reason_and_an_adopted_one_too(
    tree, a_admin, t_clerk, t_writer, b_clerk, committed
):
    item = make_info_item(t_clerk, tree.township)
    with committed():
        info_services.return_item(a_admin, item, "请补充活动照片")
    for user in (t_clerk, t_writer):
        (message,) = inbox(user)
        assert message.event == Event.INFO_ITEM_DECIDED
        assert message.title == f"报送信息被退回：{item.title}"
        assert "请补充活动照片" in message.body
        assert message.url == item.get_absolute_url()
    assert inbox(a_admin) == [] and inbox(b_clerk) == []
    item.refresh_from_db()
    info_services.save_item(t_clerk, item)  # sent again
    with committed():
        info_services.accept(a_admin, item)
    titles = [m.title for m in inbox(t_clerk)]
    assert titles == [f"报送信息被退回：{item.title}", f"报送信息已采用：{item.title}"]
    make_messages(Event.INFO_ITEM_DECIDED, {"item": item.pk})
    assert len(inbox(t_clerk)) == 2


def test_a_forwarded_item_tells_nobody(tree, a_admin, t_clerk, committed):
    item = make_info_item(t_clerk, tree.township)
    with committed():
        info_services.forward(a_admin, item)
    assert inbox(t_clerk) == []


# --- Meetings -------------------------------------------------------------------------------


def planned(actor, org, users, day, place="县委三楼会议室"):
    meeting = Meeting(
        organization=org,
        kind=kind("meeting_kind", "联席会议"),
        title="关工委成员单位联席会议",
        date=day,
        place=place,
    )
    return meeting_services.save_meeting(actor, meeting, users=users)


def test_attendees_are_invited_once_and_told_once_of_a_new_date(
    tree, a_admin, a_clerk, t_clerk, b_clerk, committed
):
    day = timezone.localdate() + datetime.timedelta(days=10)
    with committed():
        meeting = planned(a_admin, tree.county_a, [a_admin, a_clerk, t_clerk], day)
    (message,) = inbox(a_clerk)
    assert message.event == Event.MEETING_INVITATION
    assert message.title == "会议通知：关工委成员单位联席会议"
    assert f"{day.month}月{day.day}日" in message.body and "县委三楼会议室" in message.body
    assert message.url == meeting.get_absolute_url()
    (township,) = inbox(t_clerk)  # told, without a link to a meeting it cannot open
    assert "县委三楼会议室" in township.body and township.url == ""
    assert inbox(a_admin) == [] and inbox(b_clerk) == []  # not the organiser who saved it
    with committed():
        meeting.agenda = "研究部署"
        meeting_services.save_meeting(a_admin, meeting)
    assert len(inbox(a_clerk)) == 1
    new_day = day + datetime.timedelta(days=2)
    for _twice in range(2):
        with committed():
            meeting.date = new_day
            meeting_services.save_meeting(a_admin, meeting)
    titles = [m.title for m in inbox(a_clerk)]
    assert titles == ["会议通知：关工委成员单位联席会议", "会议改期：关工委成员单位联席会议"]
    assert f"{new_day.month}月{new_day.day}日" in inbox(a_clerk)[1].body


def test_an_action_item_tells_its_owner_and_its_closure_the_organisers_approvers(
    tree, a_admin, a_clerk, t_clerk, t_writer, b_admin, b_clerk, committed
):
    meeting = make_meeting(a_admin, tree.county_a)
    decision = make_decision(a_admin, meeting)
    with committed():
        item = make_action_item(a_admin, decision, owner_org=tree.township, responsible="李明")
    for user in (t_clerk, t_writer):
        (message,) = inbox(user)
        assert message.event == Event.ACTION_ITEM_ASSIGNED
        assert message.title == f"督办事项交办：{item.task}" and "墩买里街道" in message.body
        assert message.url == item.get_absolute_url()
    assert inbox(a_clerk) == [] and inbox(b_clerk) == []
    with committed():  # saved again, same owner: nothing more
        item.responsible = "王芳"
        action_items.save_item(a_admin, item)
    assert len(inbox(t_clerk)) == 1

    action_items.report(t_clerk, item, "已制定职责清单")
    with committed():
        action_items.request_closure(t_clerk, item)
    (closure,) = inbox(a_admin)
    assert closure.event == Event.ACTION_ITEM_CLOSURE and item.task in closure.title
    assert inbox(a_clerk) == [] and inbox(b_admin) == []  # no approver, another county
    assert inbox(t_clerk, Event.ACTION_ITEM_CLOSURE) == []


def test_an_overdue_action_item_tells_its_owner_once(tree, a_admin, t_clerk, b_clerk):
    meeting = make_meeting(a_admin, tree.county_a)
    decision = make_decision(a_admin, meeting)
    item = make_action_item(a_admin, decision, owner_org=tree.township)
    day_after = item.due_date + datetime.timedelta(days=1)
    work.remind(day_after)
    work.remind(day_after + datetime.timedelta(days=1))
    (message,) = inbox(t_clerk, Event.ACTION_ITEM_OVERDUE)
    assert message.title == f"督办事项逾期：{item.task}"
    assert inbox(b_clerk) == []


def test_an_item_of_a_member_unit_tells_the_organisers_writers(
    tree, a_admin, a_clerk, a_viewer, t_clerk, committed
):
    from guangong.meetings.tests.conftest import make_unit

    unit = make_unit(a_admin, tree.county_a)
    meeting = make_meeting(a_admin, tree.county_a)
    with committed():
        make_action_item(a_admin, make_decision(a_admin, meeting), owner_unit=unit)
    assert [m.event for m in inbox(a_clerk)] == [Event.ACTION_ITEM_ASSIGNED]
    assert inbox(a_viewer) == [] and inbox(t_clerk) == []


def test_the_new_kinds_can_be_chosen_on_the_preferences_page(client_for, t_clerk):
    page = client_for(t_clerk).get("/messages/preferences/").content.decode()
    for label in (
        "本单位收到新通知",
        "通知催办",
        "会议通知",
        "督办事项交由本单位办理",
        "督办事项已逾期",
    ):
        assert label in page
    assert "notice_reminder-sms" in page


def test_an_invitation_goes_by_the_channel_the_user_chose_once(tree, a_admin, t_clerk, committed):
    from guangong.notifications import services
    from guangong.notifications.models import Delivery, DeliveryStatus

    services.save_preferences(t_clerk, {Event.MEETING_INVITATION: {"email": False, "sms": True}})
    day = timezone.localdate() + datetime.timedelta(days=5)
    with committed():
        meeting = planned(a_admin, tree.county_a, [t_clerk], day)
    with committed():  # saved again with the same attendees and date
        meeting_services.save_meeting(a_admin, meeting, users=[t_clerk])
    (delivery,) = Delivery.objects.filter(event=Event.MEETING_INVITATION)
    assert delivery.channel == "sms" and delivery.recipient == "138****5678"
    assert delivery.status == DeliveryStatus.SENT
    assert "会议通知" in delivery.text and meeting.place in delivery.text


def test_the_daily_task_looks_for_feedback_due_and_overdue_items(tree, a_admin, t_clerk):
    from guangong.notifications import tasks

    due = timezone.localdate() + datetime.timedelta(days=3)
    make_notice(a_admin, tree.county_a, audience=Audience.CHILDREN, feedback_due=due)
    meeting = make_meeting(
        a_admin, tree.county_a, date=timezone.localdate() - datetime.timedelta(days=20)
    )
    item = make_action_item(
        a_admin,
        make_decision(a_admin, meeting),
        owner_org=tree.township,
        due=timezone.localdate() - datetime.timedelta(days=1),
    )
    tasks.remind_deadlines.call_local()
    events = sorted(m.event for m in inbox(t_clerk))
    assert events == [Event.ACTION_ITEM_OVERDUE, Event.NOTICE_FEEDBACK_DUE]
    assert item.task in inbox(t_clerk, Event.ACTION_ITEM_OVERDUE)[0].title


def test_an_item_given_to_another_owner_tells_the_new_owner(
    tree, a_admin, a_clerk, t_clerk, committed
):
    meeting = make_meeting(a_admin, tree.county_a)
    with committed():
        item = make_action_item(a_admin, make_decision(a_admin, meeting), owner_org=tree.township)
    with committed():
        item.owner_org = tree.county_a
        action_items.save_item(a_admin, item)
    assert [m.event for m in inbox(a_clerk)] == [Event.ACTION_ITEM_ASSIGNED]
    assert len(inbox(t_clerk)) == 1
