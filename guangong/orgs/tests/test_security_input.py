"""What the organisation pages take from a request: the tree's links lead only to our own pages,
and organisations' and positions' dates stay plausible."""

import datetime
import re

import pytest
from django.utils import translation

from guangong.core import dates
from guangong.core.tests.support import field_errors, org_form_data, text
from guangong.orgs.models import Organization, Position, Status

HOSTILE_BASES = [
    "\\evil.example/",
    "/\\evil.example/",
    "//evil.example/",
    "///evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    " /\\evil.example/",
    "/orgs/\x00/",
    "/\tevil.example/",
]


def tree_links(body: str) -> set[str]:
    return set(re.findall(r'href="([^"]*)\?org=', body))


@pytest.mark.parametrize("base", HOSTILE_BASES)
def test_the_tree_never_links_to_another_site(client_for, tree, city_admin, base):
    response = client_for(city_admin).get("/orgs/tree/", {"base": base})

    assert response.status_code == 200
    assert tree_links(text(response)) == {"/orgs/"}
    assert "evil" not in text(response) and "javascript" not in text(response)


def test_a_backslash_encoded_in_the_address_is_refused_too(client_for, tree, city_admin):
    response = client_for(city_admin).get("/orgs/tree/?base=/%5Cevil.example/")

    assert tree_links(text(response)) == {"/orgs/"}
    assert "evil" not in text(response)


@pytest.mark.parametrize(
    "base",
    ["/accounts/login/", "/reports/forms/new/", "/orgs/tree/", "/no/such/page/", "/dicts/"],
)
def test_only_a_page_that_shows_the_tree_is_linked(client_for, tree, city_admin, base):
    response = client_for(city_admin).get("/orgs/tree/", {"base": base})

    assert tree_links(text(response)) == {"/orgs/"}


@pytest.mark.parametrize(
    "page",
    [
        "/orgs/",
        "/orgs/coverage/",
        "/people/elders/",
        "/people/youth/",
        "/activities/",
        "/care/",
        "/stats/",
        "/stats/completeness/",
        "/documents/",
    ],
)
def test_the_pages_beside_the_tree_keep_their_links(client_for, tree, city_admin, page):
    client = client_for(city_admin)
    assert client.get(page).status_code == 200

    response = client.get("/orgs/tree/", {"base": page, "org": str(tree.county_a.pk)})

    assert tree_links(text(response)) == {page}
    assert f'href="{page}?org={tree.city.pk}"' in text(response)


def test_the_selected_organisation_is_an_id_or_nothing(client_for, tree, city_admin):
    response = client_for(city_admin).get("/orgs/tree/", {"org": '1"&evil=1'})

    assert response.status_code == 200
    assert "evil" not in text(response)


# --- Dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("established_on", "1949-12-31"), ("status_since", "9999-12-31")],
)
def test_the_edit_page_refuses_an_implausible_date(client_for, tree, city_admin, field, value):
    data = org_form_data(tree.county_a, status=Status.ESTABLISHED, **{field: value})

    with translation.override("zh-hans"):
        response = client_for(city_admin).post(f"/orgs/{tree.county_a.pk}/edit/", data)

    assert response.status_code == 400
    assert any("1950年1月1日" in message for message in field_errors(response, field))
    assert getattr(Organization.objects.get(pk=tree.county_a.pk), field) is None


def test_the_api_refuses_a_term_ending_too_far_ahead(api_for, tree, city_admin):
    too_far = dates.shift_years(dates.today(), 10) + datetime.timedelta(days=1)
    body = {
        "organization": tree.county_a.pk,
        "name": "马晓燕",
        "role": "director",
        "source": "serving",
        "end_date": too_far.isoformat(),
    }

    response = api_for(city_admin).post(
        "/api/positions/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 400, response.content
    assert "1950年1月1日" in str(response.json()["end_date"])
    assert not Position.objects.exists()


def test_an_import_refuses_an_implausible_founding_date(tree, a_admin, settings, tmp_path):
    from .test_import import check, row

    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("zh-hans"):
        job = check(
            a_admin,
            row("伊宁市", "伊宁市教育局关工委", status=Status.ESTABLISHED, date="1949-10-01"),
        )

    assert job.summary["error_count"] == 1
    [(number, _column, message)] = job.summary["errors"]
    assert number == 2 and "1950年1月1日" in message
    assert not Organization.objects.filter(name="伊宁市教育局关工委").exists()
