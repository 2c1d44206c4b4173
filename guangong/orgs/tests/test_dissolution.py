"""An organisation's dissolution date (撤销日期): set through the edit action, audited, shown.

Refused before the establishment date (and in the future: see ``test_rules``); the activity
ledger refuses activities dated after it (``activities/tests/test_dissolved_organisation.py``).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from guangong.audit.models import AuditLog
from guangong.core.tests.support import field_errors, org_form_data, text
from guangong.orgs import services
from guangong.orgs.models import Status


@pytest.fixture
def county(tree, city_admin):
    """County A, established on 2015-06-01."""
    return services.update_organization(
        city_admin,
        tree.county_a,
        status=Status.ESTABLISHED,
        established_on=datetime.date(2015, 6, 1),
    )


def test_the_edit_page_sets_the_dissolution_date_audited_and_shown(client_for, county, city_admin):
    client = client_for(city_admin)

    response = client.post(
        f"/orgs/{county.pk}/edit/", org_form_data(county, dissolved_on="2024-12-31")
    )

    assert response.status_code == 302
    county.refresh_from_db()
    assert county.dissolved_on == datetime.date(2024, 12, 31)
    assert county.status == Status.ESTABLISHED  # the committee's status is kept
    update = AuditLog.objects.filter(object_id=str(county.pk), action="update").latest("pk")
    assert (update.before["dissolved_on"], update.after["dissolved_on"]) == (None, "2024-12-31")
    page = text(client.get(f"/orgs/{county.pk}/"))
    assert "撤销日期" in page and "已撤销" in page


def test_a_dissolution_before_the_establishment_is_refused_everywhere(
    client_for, api_for, county, city_admin
):
    with pytest.raises(ValidationError) as exc:
        services.update_organization(city_admin, county, dissolved_on=datetime.date(2015, 5, 31))
    assert exc.value.message_dict["dissolved_on"] == ["撤销日期不能早于成立日期（2015-06-01）。"]

    page = client_for(city_admin).post(
        f"/orgs/{county.pk}/edit/", org_form_data(county, dissolved_on="2015-05-31")
    )
    assert page.status_code == 400
    assert any("2015-06-01" in m for m in field_errors(page, "dissolved_on"))

    api = api_for(city_admin).patch(
        f"/api/orgs/{county.pk}/", {"dissolved_on": "2015-05-31"}, format="json"
    )
    assert api.status_code == 400
    assert "撤销日期不能早于成立日期" in api.json()["dissolved_on"][0]

    county.refresh_from_db()
    assert county.dissolved_on is None


def test_the_api_reads_and_writes_the_dissolution_date(api_for, county, city_admin):
    api = api_for(city_admin)

    changed = api.patch(f"/api/orgs/{county.pk}/", {"dissolved_on": "2015-06-01"}, format="json")

    assert changed.status_code == 200, changed.content
    assert changed.json()["dissolved_on"] == "2015-06-01"  # the same day is allowed
    assert api.get(f"/api/orgs/{county.pk}/").json()["dissolved_on"] == "2015-06-01"
    cleared = api.patch(f"/api/orgs/{county.pk}/", {"dissolved_on": None}, format="json")
    assert cleared.json()["dissolved_on"] is None
