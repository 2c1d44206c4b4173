"""Member units, meetings, decisions and action items for the tests, made through the
services (so each one is as a user would have made it)."""

import datetime

import pytest

from guangong.activities.tests.conftest import types  # noqa: F401  (fixture)
from guangong.dicts.models import DictItem, DictKind
from guangong.people.tests.conftest import a_revealer  # noqa: F401  (fixture)

from ..models import ActionItem, Decision, Meeting, MeetingStatus, MemberUnit
from ..services import items, meetings, units

DAY = datetime.date(2026, 3, 10)


def kind(dictionary: str, label: str) -> DictItem:
    return DictItem.objects.get(kind=dictionary, label=label)


def make_unit(actor, org, label="教育局", **fields) -> MemberUnit:
    unit = MemberUnit(
        organization=org,
        kind=kind(DictKind.MEMBER_UNIT, label),
        name=fields.pop("name", f"{org.name}{label}"),
        **fields,
    )
    return units.save_unit(actor, unit)


def make_meeting(actor, org, label="联席会议", held=True, **fields) -> Meeting:
    fields.setdefault("title", f"{org.name}{label}")
    fields.setdefault("date", DAY)
    meeting = meetings.save_meeting(
        actor, Meeting(organization=org, kind=kind(DictKind.MEETING_KIND, label), **fields)
    )
    if held:
        meeting = meetings.hold(actor, meeting, 12)
    return meeting


def make_decision(actor, meeting, text="建立联席会议制度") -> Decision:
    return meetings.save_decision(actor, Decision(meeting=meeting, text=text))


def make_item(actor, decision, due=None, **fields) -> ActionItem:
    item = ActionItem(
        decision=decision,
        task=fields.pop("task", "制定成员单位职责清单"),
        due_date=due or decision.meeting.date + datetime.timedelta(days=30),
        **fields,
    )
    return items.save_item(actor, item)


@pytest.fixture
def joint(tree, a_admin):
    """County A's joint meeting (held), with a member unit, a decision and an item it owns."""
    unit = make_unit(a_admin, tree.county_a, phone="13912345678", contact_person="王建国")
    meeting = make_meeting(a_admin, tree.county_a)
    decision = make_decision(a_admin, meeting)
    item = make_item(a_admin, decision, owner_unit=unit, responsible="李明")
    return type("Joint", (), {"unit": unit, "meeting": meeting, "decision": decision, "item": item})


__all__ = ["DAY", "MeetingStatus", "kind", "make_decision", "make_item", "make_meeting"]
