"""An activity dated after its organisation was dissolved (``Organization.dissolved_on``) is
refused on every path — the service, the full page, the quick form, the API and the import —
with a Chinese message naming the date; the dissolution day itself is still within its life."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from guangong.activities import rollup, services
from guangong.activities.models import Activity
from guangong.core.tests.support import text
from guangong.orgs import services as org_services
from guangong.orgs.models import Status

from .conftest import api_body, record
from .test_import import check, row, sheet
from .test_plausibility import messages, new_activity, quick

pytestmark = pytest.mark.usefixtures("media")

ENDED = datetime.date(2026, 2, 28)
REFUSED = "已于2026-02-28撤销，活动日期不能晚于撤销日期"


@pytest.fixture
def dissolved(tree, city_admin):
    """County A, dissolved at the end of February 2026 (the dates the other paths post are in
    February and March)."""
    return org_services.update_organization(
        city_admin, tree.county_a, status=Status.ESTABLISHED, dissolved_on=ENDED
    )


def test_the_service_refuses_a_date_after_the_dissolution(dissolved, a_admin, types):
    with pytest.raises(ValidationError) as exc:
        record(a_admin, dissolved, types["talk"], day=datetime.date(2026, 3, 1))
    assert f"{dissolved.name}{REFUSED}" in messages(exc)
    assert not Activity.objects.exists()

    kept = record(a_admin, dissolved, types["talk"], day=ENDED)  # its last day
    kept.end_date = datetime.date(2026, 3, 2)
    with pytest.raises(ValidationError) as exc:
        services.save_activity(a_admin, kept)
    assert "已于2026-02-28撤销，活动结束日期不能晚于撤销日期" in messages(exc)
    assert Activity.objects.get().end_date is None
    assert rollup.mismatches() == []


def test_other_organisations_still_record(tree, dissolved, a_admin, people, types):
    record(a_admin, tree.township, types["talk"], day=datetime.date(2026, 3, 5))
    assert Activity.objects.get().organization == tree.township


def test_the_full_page_refuses_it(client_for, tree, dissolved, a_admin, types):
    data = new_activity(tree, types, date="2026-03-10")
    response = client_for(a_admin).post("/activities/new/", {**data, "confirmed": "on"})
    assert response.status_code == 400
    assert REFUSED in text(response)
    assert not Activity.objects.exists()


def test_the_quick_form_refuses_it(client_for, tree, dissolved, a_admin, types):
    response = client_for(a_admin).post("/activities/quick/", quick(tree, types))
    assert response.status_code == 400
    assert REFUSED in text(response)
    assert not Activity.objects.exists()


def test_the_api_answers_400(api_for, tree, dissolved, a_admin, types):
    api = api_for(a_admin)
    refused = api.post("/api/activities/", api_body(tree, types, date="2026-03-03"), format="json")
    assert refused.status_code == 400
    assert REFUSED in refused.json()["date"][0]
    accepted = api.post("/api/activities/", api_body(tree, types), format="json")  # 02-03
    assert accepted.status_code == 201, accepted.content


def test_the_import_refuses_the_row(dissolved, people, a_admin, types):
    checked = check(
        a_admin, sheet(row(date="2026-03-02"), row(title="二月宣讲", date="2026-02-20"))
    )
    assert checked.summary["bad_rows"] == 1
    found = " ".join(message for _n, _c, message in checked.summary["errors"])
    assert REFUSED in found
