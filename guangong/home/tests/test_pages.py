"""The home page for each of the three personas: their own organisation, nothing outside it."""

import pytest
from django.urls import reverse

from guangong.core.tests.support import SEES, assert_no_leak, seen_keys, text


@pytest.mark.parametrize("persona", list(SEES))
def test_home_page_shows_only_the_users_subtree(client_for, tree, personas, persona):
    response = client_for(personas[persona]).get("/")

    assert response.status_code == 200
    assert response.context["root"] == personas[persona].organization
    assert response.context["cov"].total.total == len(seen_keys(persona))
    assert_no_leak(text(response), tree, persona)


def test_the_home_page_is_where_a_login_lands(settings):
    assert reverse(settings.LOGIN_REDIRECT_URL) == "/"
