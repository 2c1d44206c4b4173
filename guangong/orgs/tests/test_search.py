"""Pinyin search: typing "ylz" finds 伊犁州 on the list page, in the organisation picker and in
the API, but only within the user's scope."""

import pytest

from guangong.core.pinyin import search_key
from guangong.orgs.models import Kind
from guangong.orgs.tests.factories import OrganizationFactory

#: A second match for "ylz", inside county B.
B_MATCH = "伊犁州奎屯种子公司"


@pytest.fixture
def b_match(tree):
    return OrganizationFactory(parent=tree.county_b, name=B_MATCH, kind=Kind.STATE_ENTERPRISE)


#: persona → what "ylz" finds for them
FINDS = {
    "city": {"伊犁哈萨克自治州", B_MATCH},
    "a": set(),
    "b": {B_MATCH},
}


def test_search_key_holds_initials_and_full_pinyin():
    key = search_key("伊犁哈萨克自治州", "伊犁州")

    assert key.split() == ["ylhskzzz", "yilihasakezizhizhou", "ylz", "yilizhou"]


def test_the_fixture_city_is_found_by_its_short_names_initials(tree):
    assert "ylz" in tree.city.search_text
    assert "ylz" not in search_key(tree.city.name)  # only the short name gives "ylz"


@pytest.mark.parametrize("persona", list(FINDS))
def test_list_page_finds_ylz(client_for, b_match, personas, persona):
    response = client_for(personas[persona]).get("/orgs/", {"q": "ylz"})

    assert response.status_code == 200
    found = {row.record.name for row in response.context["table"].page.object_list}
    assert found == FINDS[persona]


@pytest.mark.parametrize("persona", list(FINDS))
def test_picker_finds_ylz(client_for, b_match, personas, persona):
    response = client_for(personas[persona]).get("/orgs/choices/", {"q": "ylz"})

    assert response.status_code == 200
    assert {o.name for o in response.context["choices"]} == FINDS[persona]
    for name in {"伊犁哈萨克自治州", B_MATCH} - FINDS[persona]:
        assert name not in response.content.decode()


@pytest.mark.parametrize("persona", list(FINDS))
def test_api_finds_ylz(api_for, b_match, personas, persona):
    response = api_for(personas[persona]).get("/api/orgs/", {"q": "ylz"})

    assert response.status_code == 200
    assert {o["name"] for o in response.json()["results"]} == FINDS[persona]


@pytest.mark.parametrize("q", ["YLZ", "yili", "伊犁", "  ylz  "])
def test_search_ignores_case_and_surrounding_space(client_for, b_match, city_admin, q):
    response = client_for(city_admin).get("/orgs/", {"q": q})

    found = {row.record.name for row in response.context["table"].page.object_list}
    assert "伊犁哈萨克自治州" in found


def test_renaming_updates_the_search_key(tree, city_admin):
    from guangong.orgs import services

    services.update_organization(city_admin, tree.county_b, name="乌苏市")

    tree.county_b.refresh_from_db()
    assert "wss" in tree.county_b.search_text
    assert "kts" not in tree.county_b.search_text
