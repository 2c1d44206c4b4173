import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guangong.audit.models import AuditLog
from guangong.dicts.models import DictKind
from guangong.home.todo import Todo

from ..models import ActionItem, Meeting, MeetingStatus
from ..services import items
from .conftest import kind, make_decision, make_item, make_meeting

pytestmark = pytest.mark.django_db


def test_lists_and_pages_in_chinese(client_for, a_admin, joint):
    client = client_for(a_admin)
    for name in ("meeting_list", "memberunit_list", "actionitem_list", "actionitem_supervision"):
        response = client.get(reverse(f"meetings:{name}"))
        assert response.status_code == 200, name
    body = client.get(joint.meeting.get_absolute_url()).content.decode()
    assert "议定事项与督办" in body and joint.item.task in body
    body = client.get(joint.item.get_absolute_url()).content.decode()
    assert "报告进展" in body and joint.unit.name in body


def test_phone_is_masked_and_revealed_with_a_reason(client_for, a_admin, a_revealer, joint):
    body = client_for(a_admin).get(joint.unit.get_absolute_url()).content.decode()
    assert "139****5678" in body and "13912345678" not in body
    client = client_for(a_revealer)
    url = reverse("meetings:memberunit_reveal", args=[joint.unit.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "联系会议事宜"})
    assert "13912345678" in response.content.decode()
    assert AuditLog.objects.filter(action="reveal").count() == 1


def test_another_county_sees_nothing(client_for, b_admin, joint):
    client = client_for(b_admin)
    for url in (
        joint.meeting.get_absolute_url(),
        joint.item.get_absolute_url(),
        joint.unit.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404
    body = client.get(reverse("meetings:meeting_list")).content.decode()
    assert joint.meeting.title not in body


def test_meeting_form_refuses_overlong_text_in_chinese(client_for, a_admin, tree):
    response = client_for(a_admin).post(
        reverse("meetings:meeting_add"),
        {
            "organization": tree.county_a.pk,
            "kind": kind(DictKind.MEETING_KIND, "座谈会").pk,
            "title": "座谈会",
            "date": "2026-03-01",
            "head_count": "0",
            "agenda": "议" * 5001,
        },
    )
    assert response.status_code == 400
    assert "5000" in response.content.decode()
    assert not Meeting.objects.exists()


def test_meeting_form_refuses_a_date_out_of_bounds(client_for, a_admin, tree):
    response = client_for(a_admin).post(
        reverse("meetings:meeting_add"),
        {
            "organization": tree.county_a.pk,
            "kind": kind(DictKind.MEETING_KIND, "座谈会").pk,
            "title": "座谈会",
            "date": "1899-03-01",
            "head_count": "0",
        },
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_schedule_page_creates_regular_meetings(client_for, a_admin, tree):
    response = client_for(a_admin).post(
        reverse("meetings:meeting_schedule"),
        {
            "organization": tree.county_a.pk,
            "kind": kind(DictKind.MEETING_KIND, "例会").pk,
            "title": "月度例会",
            "first": "2026-01-05",
            "every": "month",
            "count": "3",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(series="月度例会", status=MeetingStatus.PLANNED).count() == 3


def test_hold_and_minute_on_the_page(client_for, a_admin, tree):
    meeting = make_meeting(a_admin, tree.county_a, held=False)
    client = client_for(a_admin)
    client.post(reverse("meetings:meeting_hold", args=[meeting.pk]), {"head_count": "45"})
    client.post(reverse("meetings:meeting_minute", args=[meeting.pk]), {"minutes": "研究部署"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.head_count) == (MeetingStatus.MINUTED, 45)


def test_owner_reports_and_organiser_approves_on_pages(client_for, tree, a_admin, city_admin):
    meeting = make_meeting(city_admin, tree.city)
    item = make_item(city_admin, make_decision(city_admin, meeting), owner_org=tree.county_a)
    client = client_for(a_admin)
    assert client.get(item.get_absolute_url()).status_code == 200
    client.post(reverse("meetings:actionitem_report", args=[item.pk]), {"text": "已部署"})
    client.post(reverse("meetings:actionitem_finish", args=[item.pk]), {})
    assert client.post(reverse("meetings:actionitem_approve", args=[item.pk])).status_code == 404
    client = client_for(city_admin)
    client.post(reverse("meetings:actionitem_approve", args=[item.pk]), {})
    item.refresh_from_db()
    assert item.closed
    # A closed item takes no more reports.
    client = client_for(a_admin)
    client.post(reverse("meetings:actionitem_report", args=[item.pk]), {"text": "再报"})
    assert item.reports.count() == 1


def test_todo_lists_open_items_and_closures(tree, a_admin, city_admin):
    meeting = make_meeting(city_admin, tree.city)
    decision = make_decision(city_admin, meeting)
    late = make_item(city_admin, decision, due=datetime.date(2026, 3, 20), owner_org=tree.county_a)
    keys = {i.title: i.overdue for i in Todo(a_admin).items() if i.kind == "action_item"}
    assert keys == {late.task: True}
    items.report(a_admin, late, "完成")
    items.request_closure(a_admin, late)
    assert not [i for i in Todo(a_admin).items() if i.kind == "action_item"]
    waiting = [i for i in Todo(city_admin).items() if i.kind == "action_item_closure"]
    assert [i.title for i in waiting] == [late.task]


def test_supervision_exports_a_workbook(client_for, tree, a_admin, joint):
    make_item(a_admin, joint.decision, due=datetime.date(2026, 3, 20), owner_org=tree.township)
    client = client_for(a_admin)
    body = client.get(reverse("meetings:actionitem_supervision")).content.decode()
    assert "逾期" in body and joint.unit.name in body
    response = client.get(reverse("meetings:actionitem_supervision") + "?export=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3
    owners = {row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert owners == {joint.unit.name, tree.township.name}
    assert ActionItem.objects.count() == 2
