"""``?org=`` on a page (core.scope.requested_org): the organisation it names must be in scope.

Out of scope, or not an id at all, it answers 404 like any other object the user does not see;
without it a page starts from the user's own organisation."""

import pytest

PAGES = [
    "/people/elders/new/",
    "/people/mentorships/new/",
    "/activities/new/",
    "/documents/bulletins/new/",
    "/documents/summaries/new/",
    "/reports/overdue/",
]


@pytest.mark.parametrize("url", PAGES)
def test_an_organisation_out_of_scope_answers_404(client_for, tree, a_admin, url):
    client = client_for(a_admin)
    assert client.get(url, {"org": tree.county_b.pk}).status_code == 404
    assert client.get(url, {"org": "county"}).status_code == 404
    assert client.get(url, {"org": tree.county_a.pk}).status_code == 200
    assert client.get(url).status_code == 200


def test_a_care_page_for_an_organisation_out_of_scope_answers_404(client_for, tree, a_admin):
    client = client_for(a_admin)
    assert client.get("/care/", {"org": tree.county_b.pk}).status_code == 404
    assert client.get("/care/", {"org": tree.county_a.pk}).status_code == 200
