import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guangong.audit.models import AuditLog
from guangong.core.scope import OutOfScope
from guangong.dicts.models import DictKind

from ..figures import items_by_owner, items_by_status, items_in, joint_activities
from ..models import ItemStatus, Meeting, MeetingStatus
from ..services import items, meetings, units
from .conftest import kind, make_decision, make_item, make_meeting, make_unit

pytestmark = pytest.mark.django_db


def test_dictionaries_are_seeded():
    assert kind(DictKind.MEETING_KIND, "推进会")
    assert kind(DictKind.MEMBER_UNIT, "党委社会工作部")


def test_unit_name_defaults_to_kind_and_phone_is_checked(tree, a_admin):
    unit = make_unit(a_admin, tree.county_a, name="")
    assert unit.name == "教育局"
    with pytest.raises(ValidationError) as exc:
        make_unit(a_admin, tree.county_a, phone="12")
    assert "phone" in exc.value.message_dict


def test_unit_outside_scope_is_refused(tree, a_admin):
    with pytest.raises(OutOfScope):
        make_unit(a_admin, tree.county_b)


def test_overlong_text_is_refused_in_words(tree, a_admin):
    with pytest.raises(ValidationError) as exc:
        make_meeting(a_admin, tree.county_a, held=False, agenda="议" * 5001)
    assert "5000" in exc.value.message_dict["agenda"][0]


def test_meeting_moves_planned_held_minuted(tree, a_admin):
    meeting = make_meeting(a_admin, tree.county_a, held=False)
    assert meeting.status == MeetingStatus.PLANNED
    with pytest.raises(ValidationError):
        meetings.minute(a_admin, meeting, "纪要")
    meetings.hold(a_admin, meeting, 45)
    meeting = meetings.minute(a_admin, meeting, "会议研究了……", "讲话")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.head_count) == (MeetingStatus.MINUTED, 45)


def test_future_meeting_cannot_be_held(tree, a_admin):
    future = timezone.localdate() + datetime.timedelta(days=20)
    meeting = make_meeting(a_admin, tree.county_a, held=False, date=future)
    with pytest.raises(ValidationError):
        meetings.hold(a_admin, meeting)


def test_schedule_creates_planned_regular_meetings(tree, a_admin):
    before = AuditLog.objects.count()
    made = meetings.schedule(
        a_admin,
        tree.county_a,
        kind=kind(DictKind.MEETING_KIND, "例会"),
        title="主任例会",
        first=datetime.date(2026, 1, 15),
        every="quarter",
        count=4,
    )
    assert [m.date for m in made] == [
        datetime.date(2026, 1, 15),
        datetime.date(2026, 4, 15),
        datetime.date(2026, 7, 15),
        datetime.date(2026, 10, 15),
    ]
    assert {m.status for m in made} == {MeetingStatus.PLANNED}
    assert AuditLog.objects.count() - before == 4
    with pytest.raises(ValidationError):
        meetings.schedule(
            a_admin,
            tree.county_a,
            kind=made[0].kind,
            title="x",
            first=datetime.date(2026, 1, 1),
            every="month",
            count=99,
        )


def test_attendees_must_be_in_scope(tree, a_admin, b_admin):
    b_unit = make_unit(b_admin, tree.county_b)
    meeting = Meeting(
        organization=tree.county_a,
        kind=kind(DictKind.MEETING_KIND, "推进会"),
        title="推进会",
        date=datetime.date(2026, 3, 1),
    )
    with pytest.raises(ValidationError) as exc:
        meetings.save_meeting(a_admin, meeting, units=[b_unit], committees=[tree.county_b])
    assert set(exc.value.message_dict) == {"units", "committees"}
    assert not Meeting.objects.exists()


def test_due_date_must_follow_the_meeting(tree, a_admin, joint):
    with pytest.raises(ValidationError) as exc:
        make_item(a_admin, joint.decision, due=joint.meeting.date, owner_org=tree.county_a)
    assert "due_date" in exc.value.message_dict


def test_item_needs_exactly_one_owner(tree, a_admin, joint):
    with pytest.raises(ValidationError):
        make_item(a_admin, joint.decision)
    with pytest.raises(ValidationError):
        make_item(a_admin, joint.decision, owner_org=tree.county_a, owner_unit=joint.unit)
    with pytest.raises(ValidationError):  # not below the organiser
        make_item(a_admin, joint.decision, owner_org=tree.county_b)


def test_owner_reports_and_closure_is_approved(tree, a_admin, city_admin, media):
    meeting = make_meeting(city_admin, tree.city)
    decision = make_decision(city_admin, meeting)
    item = make_item(city_admin, decision, owner_org=tree.county_a)
    # County A reads the item (it owns it) but may not approve its closure.
    with pytest.raises(ValidationError):
        items.request_closure(a_admin, item)  # nothing reported yet
    evidence = SimpleUploadedFile("台账.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    items.report(a_admin, item, "已召开专题会", evidence)
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS
    assert item.reports.get().name == "台账.pdf"
    items.request_closure(a_admin, item)
    with pytest.raises(OutOfScope):
        items.approve_closure(a_admin, item)
    items.approve_closure(city_admin, item)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.closed_at
    with pytest.raises(ValidationError):
        items.report(a_admin, item, "补充")


def test_sibling_county_cannot_report(tree, b_admin, city_admin):
    meeting = make_meeting(city_admin, tree.city)
    item = make_item(city_admin, make_decision(city_admin, meeting), owner_org=tree.county_a)
    with pytest.raises(OutOfScope):
        items.report(b_admin, item, "不是我的")


def test_viewer_cannot_report(tree, a_viewer, joint):
    with pytest.raises((PermissionDenied, OutOfScope)):
        items.report(a_viewer, joint.item, "看看")


def test_returned_closure_can_be_asked_again(tree, a_admin, joint):
    items.report(a_admin, joint.item, "推进中")
    items.request_closure(a_admin, joint.item)
    items.approve_closure(a_admin, joint.item, approved=False, note="材料不全")
    joint.item.refresh_from_db()
    assert joint.item.closure_requested_at is None
    items.request_closure(a_admin, joint.item)


def test_figures(tree, a_admin, joint):
    overdue = make_item(
        a_admin, joint.decision, due=datetime.date(2026, 3, 20), owner_org=tree.township
    )
    counts = items_by_status(items_in(a_admin, tree.county_a), today=datetime.date(2026, 4, 1))
    assert counts == {"not_started": 1, "in_progress": 0, "overdue": 1, "done": 0}
    owners = {r["owner"]: r["total"] for r in items_by_owner(items_in(a_admin, tree.county_a))}
    assert owners == {joint.unit.name: 1, overdue.owner_org.name: 1}


def test_joint_activities_count_once_per_activity(tree, a_admin, city_admin, types):
    from guangong.activities.tests.conftest import record

    first = record(city_admin, tree.township, types["talk"], title="联合宣讲")
    record(city_admin, tree.township, types["talk"], title="单独宣讲")
    unit = make_unit(a_admin, tree.county_a)
    other = make_unit(a_admin, tree.county_a, label="团委")
    units.link_activity(a_admin, unit, first)
    units.link_activity(a_admin, other, first)
    assert joint_activities(a_admin, tree.county_a) == 1
    assert joint_activities(a_admin, tree.township) == 1
    assert joint_activities(city_admin, tree.county_b) == 0
    units.link_activity(a_admin, unit, first, linked=False)
    units.link_activity(a_admin, other, first, linked=False)
    assert joint_activities(a_admin, tree.county_a) == 0


def test_reveal_is_audited(tree, a_admin, joint, a_revealer):
    with pytest.raises(PermissionDenied):
        units.reveal_phone(a_admin, joint.unit, "核实联系人")
    assert units.reveal_phone(a_revealer, joint.unit, "核实联系人") == "13912345678"
    assert AuditLog.objects.filter(action="reveal").count() == 1


def test_meeting_with_decisions_is_not_deleted(tree, a_admin, joint):
    with pytest.raises(ValidationError):
        meetings.delete_meeting(a_admin, joint.meeting)
    assert Meeting.objects.filter(pk=joint.meeting.pk).exists()
