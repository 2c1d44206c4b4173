"""Bad input answers in words (a 400 or the form again), never a 500; nothing half-saved."""

import pytest
from django.urls import reverse

from ..models import Meeting, MeetingStatus, ProgressReport

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def test_ids_that_cannot_be_ids_are_absent(client_for, a_admin, joint):
    client = client_for(a_admin)
    urls = [
        f"/meetings/{joint.meeting.pk}/files/{HUGE}/",
        f"/meetings/items/{joint.item.pk}/evidence/{HUGE}/",
        f"/meetings/{HUGE}/",
        f"/meetings/units/{HUGE}/",
        f"/meetings/{HUGE}/decisions/new/",
        f"/api/meetings/{HUGE}/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_bad_numbers_and_overlong_reports_change_nothing(client_for, a_admin, tree, joint):
    from .conftest import make_meeting

    meeting = make_meeting(a_admin, tree.county_a, held=False, title="待召开的会议")
    client = client_for(a_admin)
    response = client.post(reverse("meetings:meeting_hold", args=[meeting.pk]), {"head_count": "x"})
    assert response.status_code == 303
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    url = reverse("meetings:actionitem_report", args=[joint.item.pk])
    assert client.post(url, {"text": "进" * 2001}).status_code == 303
    assert not ProgressReport.objects.exists()
    link = reverse("meetings:memberunit_link", args=[joint.unit.pk])
    assert client.post(link, {"activity": HUGE, "linked": "on"}).status_code == 303


def test_a_refused_upload_is_not_stored(client_for, a_admin, joint, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("病毒.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    url = reverse("meetings:meeting_file_add", args=[joint.meeting.pk])
    assert client_for(a_admin).post(url, {"file": bad}).status_code == 303
    assert not joint.meeting.attachments.exists()


def test_the_api_refuses_bad_schedule_like_input(api_for, a_admin, joint):
    api = api_for(a_admin)
    url = f"/api/meetings/{joint.meeting.pk}/hold/"
    assert api.post(url, {"head_count": -5}, format="json").status_code == 400
    assert Meeting.objects.get(pk=joint.meeting.pk).head_count == 12
