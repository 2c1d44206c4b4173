"""An activity's dates stay between 2000 and today on every path in (page, API, import), and an
attachment's file is removed only when the deletion commits."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from guangong.activities import bulk, rollup, services
from guangong.activities.models import Activity, ActivityAttachment
from guangong.core.actions import batch
from guangong.core.periods import Period
from guangong.core.tests.support import text
from guangong.stats.activities import summary

from .conftest import api_body
from .test_import import check, row, sheet

pytestmark = pytest.mark.usefixtures("media")


class Boom(Exception):
    """Something failing later in the same transaction."""


@pytest.mark.parametrize("day", ["1999-12-31", "9999-12-31", "0202-03-05"])
def test_the_quick_page_refuses_an_implausible_date(client_for, tree, types, a_clerk, day):
    response = client_for(a_clerk).post(
        "/activities/quick/",
        {
            "organization": tree.county_a.pk,
            "type": types["talk"].pk,
            "title": "社区普法讲座",
            "date": day,
            "participants": 45,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert response.context["form"].has_error("date")
    assert "2000年1月1日" in text(response)
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("field", "day"), [("date", "1999-12-31"), ("end_date", "9999-12-31")])
def test_the_api_refuses_an_implausible_date(api_for, tree, types, a_admin, field, day):
    body = api_body(tree, types, **{field: day})

    response = api_for(a_admin).post(
        "/api/activities/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 400
    assert "2000年1月1日" in str(response.json()[field])
    assert not Activity.objects.exists()


def test_an_import_refuses_an_implausible_date(people, a_admin, types):
    content = sheet(row(), row(date="1999-12-31"))

    with translation.override("zh-hans"):
        checked = check(a_admin, content)

    assert checked.summary["bad_rows"] == 1
    [(number, _column, message)] = checked.summary["errors"]
    assert number == 3 and "2000年1月1日" in message
    assert not Activity.objects.exists()


# --- Files go with the commit, never before ---------------------------------------------------


def attach(actor, activity) -> tuple:
    attachment = services.add_attachment(
        actor, activity, SimpleUploadedFile("报告.pdf", b"%PDF-1.4 report")
    )
    return attachment.file.storage, attachment.file.name


def test_a_rolled_back_activity_deletion_keeps_its_files(ledger, a_admin):
    activity = ledger["county_a"]
    storage, name = attach(a_admin, activity)

    with pytest.raises(Boom), batch("delete then fail"):
        services.delete_activity(a_admin, activity)
        raise Boom

    assert Activity.objects.filter(pk=activity.pk).exists()
    assert storage.exists(name)


def test_a_committed_activity_deletion_removes_its_files(
    ledger, a_admin, django_capture_on_commit_callbacks
):
    activity = ledger["county_a"]
    storage, name = attach(a_admin, activity)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_activity(a_admin, activity)
        assert storage.exists(name)  # not before the commit

    assert not storage.exists(name)


def test_a_rolled_back_bulk_removal_keeps_the_files(
    ledger, a_admin, django_capture_on_commit_callbacks
):
    storage, name = attach(a_admin, ledger["county_a"])

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        bulk.remove(Activity.objects.filter(pk=ledger["county_a"].pk))
        raise Boom

    assert callbacks == []
    assert ActivityAttachment.objects.exists() and storage.exists(name)
    assert rollup.mismatches() == []

    with django_capture_on_commit_callbacks(execute=True):
        bulk.remove(Activity.objects.filter(pk=ledger["county_a"].pk))
    assert not storage.exists(name)


@pytest.mark.parametrize(
    ("start", "end"),
    [((9999, 10, 1), (9999, 12, 31)), ((1, 1, 1), (1, 12, 31))],
)
def test_statistics_of_periods_at_the_ends_of_the_calendar(ledger, tree, start, end):
    # Report periods stored before dates were bounded reach the statistics this way.
    period = Period(datetime.date(*start), datetime.date(*end))

    assert summary(tree.city, period, count_youth=False)["totals"]["sessions"] >= 0
