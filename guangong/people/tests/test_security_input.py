"""People's dates stay plausible on every path in: birth dates 1900 → today, joining 1950 →
today, mentorships 2000 → five years ahead."""

import datetime

import pytest
from django.utils import translation

from guangong.core import dates
from guangong.core.tests.support import text
from guangong.people.importers import ElderImporter
from guangong.people.models import Elder, Mentorship

from .test_import import check, elder_row, elder_sheet

TOMORROW = (dates.today() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("birth_date", ["1899-12-31", "0195-03-14", TOMORROW])
def test_the_api_refuses_an_implausible_birth_date(api_for, tree, a_admin, birth_date):
    body = {
        "organization": tree.county_a.pk,
        "name": "新五老",
        "sex": "M",
        "birth_date": birth_date,
    }

    response = api_for(a_admin).post(
        "/api/elders/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 400
    assert "1900年1月1日" in str(response.json()["birth_date"])
    assert not Elder.objects.filter(name="新五老").exists()


def test_the_page_refuses_an_implausible_joining_date(client_for, tree, a_admin):
    data = {
        "organization": tree.county_a.pk,
        "name": "新五老",
        "sex": "M",
        "birth_date": "1951-07-01",
        "joined_on": "1900-01-01",
    }

    response = client_for(a_admin).post("/people/elders/new/", data, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 400
    assert response.context["form"].has_error("joined_on")
    assert "1950年1月1日" in text(response)
    assert not Elder.objects.filter(name="新五老").exists()


def test_an_import_refuses_an_implausible_birth_date(tree, a_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = elder_sheet(elder_row(sex="男", birth_date="1850-05-01"))

    with translation.override("zh-hans"):
        job = check(a_admin, ElderImporter, content)

    assert job.summary["error_count"] == 1
    [(_number, _column, message)] = job.summary["errors"]
    assert "1900年1月1日" in message
    assert not Elder.objects.filter(name="王建国").exists()


def test_a_mentorship_cannot_end_in_the_year_9999(client_for, people, a_admin):
    mentorship = people["county_a"].mentorship

    response = client_for(a_admin).post(
        f"/people/mentorships/{mentorship.pk}/end/",
        {"end_date": "9999-12-31"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert "2000年1月1日" in text(response)
    assert Mentorship.objects.get(pk=mentorship.pk).end_date is None
