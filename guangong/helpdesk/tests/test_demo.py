"""The demo region gives the demo care worker help requests in every status."""

import pytest
from django.contrib.auth import get_user_model

from guangong.demo.loader import load
from guangong.helpdesk.models import HelpRequest, Status

pytestmark = pytest.mark.django_db


def test_the_demo_care_worker_has_requests_in_every_status(client):
    load("small", 1)
    worker = get_user_model().objects.get(username="demo-care-a")
    mine = HelpRequest.objects.visible_to(worker)
    assert set(mine.values_list("status", flat=True)) == set(Status.values)
    converted = mine.get(status=Status.CONVERTED)
    assert converted.case is not None and converted.case.youth is not None
    client.force_login(worker)
    assert client.get("/helpdesk/").status_code == 200
    assert client.get(converted.get_absolute_url()).status_code == 200
