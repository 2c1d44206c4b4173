import pytest

from guangong.demo.loader import load
from guangong.meetings.figures import items_by_status
from guangong.meetings.models import ActionItem, Meeting, MeetingStatus, MemberUnit
from guangong.orgs.models import Kind

pytestmark = pytest.mark.django_db


def test_the_demo_region_has_meetings_and_items_in_every_status():
    load("small", 1)
    assert MemberUnit.objects.filter(organization__kind=Kind.CITY).count() >= 10
    assert MemberUnit.objects.filter(organization__kind=Kind.COUNTY).exists()
    push = Meeting.objects.get(kind__label="推进会")
    assert (push.head_count, push.status) == (45, MeetingStatus.MINUTED)
    assert push.committees.count() == 19 and push.speeches
    levels = set(Meeting.objects.values_list("organization__kind", flat=True))
    assert {Kind.CITY, Kind.COUNTY, Kind.TOWNSHIP} <= levels
    assert set(Meeting.objects.values_list("status", flat=True)) == set(MeetingStatus.values)
    counts = items_by_status(ActionItem.objects.all())
    assert all(counts.values()), counts
    waiting = ActionItem.objects.filter(closure_requested_at__isnull=False, closed_at__isnull=True)
    assert waiting.exists()
    assert MemberUnit.activities.through.objects.exists()
    # Items owned by a member unit and by an organisation below the organiser.
    assert ActionItem.objects.filter(owner_unit__isnull=False).exists()
    assert ActionItem.objects.filter(owner_org__isnull=False).exists()
