"""The organisation pages for each of the three personas: seen, or 404 without a trace.

The personas (guangong/conftest.py) are an administrator at the city, one at county A inside it
and one at its sibling county B. ``SEES`` in guangong/core/tests/support.py is the matrix of
which organisation of the fixture tree each of them sees. An organisation outside a persona's
subtree must answer 404 (never 403, which would confirm it exists), and no page a persona gets
may carry the name of an organisation or leadership member they do not see.

Every URL naming an organisation or a position in its path is requested by the scope walk
(core/tests/test_scope_walk.py) as every persona; here are the organisation named in a query
(``?parent=``, ``?org=``, ``?node=``), the lists, and changes posted with real data.
"""

import pytest

from guangong.core.tests.support import (
    CHILDREN,
    MATRIX,
    ORG_KEYS,
    PERSONAS,
    ROSTER_NAMES,
    SUBTREE,
    assert_no_leak,
    field_errors,
    org_form_data,
    seen_keys,
    text,
    xlsx_rows,
)
from guangong.orgs.models import Kind, Organization, Position, PositionRole, PositionSource
from guangong.orgs.tests.factories import OrganizationFactory


def table_names(response) -> set[str]:
    return {row.record.name for row in response.context["table"].page.object_list}


# --- Reading pages --------------------------------------------------------------------------

#: page → (URL, what a persona who sees it finds on it: the organisation's or the member's name)
#: The first two name the organisation in a query, which the scope walk does not fill in.
PAGES = {
    "new-child": ("/orgs/new/?parent={org}", "org"),
    "coverage": ("/orgs/coverage/?org={org}", "org"),
    "detail": ("/orgs/{org}/", "org"),
    "edit": ("/orgs/{org}/edit/", "org"),
    "move": ("/orgs/{org}/move/", "org"),
    "delete": ("/orgs/{org}/delete/", "org"),
    "position-add": ("/orgs/{org}/positions/new/", "org"),
    "position-edit": ("/orgs/positions/{position}/edit/", "org"),
    "position-delete": ("/orgs/positions/{position}/delete/", "position"),
}


def get_page(client, tree, roster, page, key):
    url, _shows = PAGES[page]
    return client.get(url.format(org=tree[key].pk, position=roster[key].pk))


@pytest.mark.parametrize("page", ["new-child", "coverage"])
@MATRIX
def test_page_named_in_a_query_is_seen_or_404(
    client_for, tree, roster, personas, page, persona, key, seen
):
    response = get_page(client_for(personas[persona]), tree, roster, page, key)

    assert response.status_code == (200 if seen else 404)
    assert_no_leak(text(response), tree, persona)
    if seen:
        assert tree[key].name in text(response)


@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_names_what_it_shows(client_for, tree, roster, a_admin, page):
    response = get_page(client_for(a_admin), tree, roster, page, "township")

    assert response.status_code == 200
    _url, shows = PAGES[page]
    expected = tree.township.name if shows == "org" else ROSTER_NAMES["township"]
    assert expected in text(response)


@MATRIX
def test_tree_level_is_seen_or_404(client_for, tree, personas, persona, key, seen):
    client = client_for(personas[persona])

    response = client.get(f"/orgs/tree/?node={tree[key].pk}")

    assert response.status_code == (200 if seen else 404)
    assert_no_leak(text(response), tree, persona)
    if seen:
        for child in CHILDREN[key]:
            assert tree[child].display_name in text(response)


@pytest.mark.parametrize(
    ("persona", "root"), [("city", "city"), ("a", "county_a"), ("b", "county_b")]
)
def test_tree_starts_at_the_users_organisation(client_for, tree, personas, persona, root):
    response = client_for(personas[persona]).get("/orgs/tree/")

    assert response.status_code == 200
    assert [node.pk for node in response.context["nodes"]] == [tree[root].pk]
    assert_no_leak(text(response), tree, persona)


@MATRIX
def test_coverage_export_is_seen_or_404(client_for, tree, personas, persona, key, seen):
    client = client_for(personas[persona])

    response = client.get(f"/orgs/coverage/?org={tree[key].pk}&export=xlsx")

    assert response.status_code == (200 if seen else 404)
    if seen:
        cells = [str(c) for row in xlsx_rows(response) for c in row if c is not None]
        assert_no_leak("\n".join(cells), tree, persona)
        for child in CHILDREN[key]:
            assert tree[child].name in cells
    else:
        assert_no_leak(text(response), tree, persona)


# --- The list, its filters, its export and the organisation picker --------------------------


@PERSONAS
def test_list_shows_exactly_the_users_subtree(client_for, tree, personas, persona):
    response = client_for(personas[persona]).get("/orgs/")

    assert response.status_code == 200
    assert table_names(response) == tree.names(seen_keys(persona))
    assert_no_leak(text(response), tree, persona)


@MATRIX
def test_list_subtree_filter(client_for, tree, personas, persona, key, seen):
    response = client_for(personas[persona]).get(f"/orgs/?org={tree[key].pk}")

    assert response.status_code == 200
    expected = SUBTREE[key] & seen_keys(persona) if seen else set()
    assert table_names(response) == tree.names(expected)
    assert_no_leak(text(response), tree, persona)


#: search text → the organisations of the tree it matches
SEARCHES = {
    "墩买里": {"township"},  # part of a name
    "伊犁州": {"city"},  # the short name
    "dml": {"township"},  # pinyin initials of 墩买里街道
    "kuitun": {"county_b"},  # full pinyin of 奎屯市
    "654": {"city", "county_a", "county_b", "township"},  # start of a division code
}


@pytest.mark.parametrize("q", list(SEARCHES))
@PERSONAS
def test_list_search_stays_in_scope(client_for, tree, personas, persona, q):
    response = client_for(personas[persona]).get("/orgs/", {"q": q})

    assert response.status_code == 200
    assert table_names(response) == tree.names(SEARCHES[q] & seen_keys(persona))
    # The search box shows back what the user typed; nothing else may name an unseen row.
    assert_no_leak(text(response).replace(f'value="{q}"', ""), tree, persona)


@PERSONAS
def test_list_export_holds_exactly_the_users_subtree(client_for, tree, personas, persona):
    response = client_for(personas[persona]).get("/orgs/", {"export": "xlsx"})

    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert {row[0] for row in rows[1:]} == tree.names(seen_keys(persona))
    cells = "\n".join(str(c) for row in rows for c in row if c is not None)
    assert_no_leak(cells, tree, persona)


@MATRIX
def test_list_export_with_subtree_filter(client_for, tree, personas, persona, key, seen):
    response = client_for(personas[persona]).get("/orgs/", {"export": "xlsx", "org": tree[key].pk})

    assert response.status_code == 200
    names = {row[0] for row in xlsx_rows(response)[1:]}
    assert names == tree.names(SUBTREE[key] & seen_keys(persona) if seen else set())


@pytest.mark.parametrize(("q", "matches"), [("", set(ORG_KEYS)), ("市", {"county_a", "county_b"})])
@PERSONAS
def test_org_choices_stay_in_scope(client_for, tree, personas, persona, q, matches):
    response = client_for(personas[persona]).get("/orgs/choices/", {"q": q})

    assert response.status_code == 200
    assert {o.name for o in response.context["choices"]} == tree.names(matches & seen_keys(persona))
    assert_no_leak(text(response), tree, persona)


@PERSONAS
def test_org_choices_ignore_an_out_of_scope_exclusion(client_for, tree, personas, persona):
    """Excluding the subtree of an organisation one cannot see changes nothing: the picker is
    not an oracle for which ids sit above the user."""
    client = client_for(personas[persona])
    plain = client.get("/orgs/choices/")

    excluded = client.get("/orgs/choices/", {"exclude_subtree": tree.province.pk})

    assert list(excluded.context["choices"]) == list(plain.context["choices"])


# --- Changing through the pages -------------------------------------------------------------


@MATRIX
def test_create_child_post_is_seen_or_404(client_for, tree, personas, persona, key, seen):
    client = client_for(personas[persona])
    data = {"name": "新建机关关工委", "kind": Kind.AGENCY, "status": "none"}

    response = client.post(f"/orgs/new/?parent={tree[key].pk}", data)

    created = Organization.objects.filter(name="新建机关关工委").first()
    if seen:
        assert response.status_code == 302
        assert Organization.objects.get_parent(created) == tree[key]
    else:
        assert response.status_code == 404
        assert created is None
        assert_no_leak(text(response), tree, persona)


# Each change, posted with real data at the township: made by county A (its subtree), a 404
# for county B that changes nothing. (Every persona against every organisation, with an empty
# post, is the scope walk's.) Each returns the URL, the data and a check that the change is made.


def edit_org(tree, roster, user):
    org = tree.township
    return (
        f"/orgs/{org.pk}/edit/",
        org_form_data(org, contact_person="新联系人"),
        lambda: Organization.objects.get(pk=org.pk).contact_person == "新联系人",
    )


def delete_org(tree, roster, user):
    leaf = OrganizationFactory(parent=tree.township, name="待撤销单位")
    return (
        f"/orgs/{leaf.pk}/delete/",
        {},
        lambda: not Organization.objects.filter(pk=leaf.pk).exists(),
    )


def move_org(tree, roster, user):
    leaf = OrganizationFactory(parent=tree.township, name="待调整单位")
    return (
        f"/orgs/{leaf.pk}/move/",
        {"parent": user.organization_id},
        lambda: (
            Organization.objects.get_parent(Organization.objects.get(pk=leaf.pk))
            == user.organization
        ),
    )


def add_position(tree, roster, user):
    data = {"name": "新任委员", "role": PositionRole.MEMBER, "source": PositionSource.ELDER}
    return (
        f"/orgs/{tree.township.pk}/positions/new/",
        data,
        lambda: Position.objects.filter(name="新任委员", organization=tree.township).exists(),
    )


def edit_position(tree, roster, user):
    position = roster["township"]
    data = {"name": "改任委员", "role": PositionRole.DEPUTY, "source": PositionSource.SERVING}
    return (
        f"/orgs/positions/{position.pk}/edit/",
        data,
        lambda: Position.objects.filter(
            pk=position.pk, name="改任委员", role=PositionRole.DEPUTY
        ).exists(),
    )


def delete_position(tree, roster, user):
    position = roster["township"]
    return (
        f"/orgs/positions/{position.pk}/delete/",
        {},
        lambda: not Position.objects.filter(pk=position.pk).exists(),
    )


CHANGES = [edit_org, delete_org, move_org, add_position, edit_position, delete_position]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
@pytest.mark.parametrize(("persona", "made"), [("a", True), ("b", False)])
def test_a_change_is_made_in_scope_and_404_outside(
    client_for, tree, roster, personas, change, persona, made
):
    user = personas[persona]
    url, data, done = change(tree, roster, user)

    response = client_for(user).post(url, data)

    assert response.status_code == (302 if made else 404)
    assert done() is made
    if not made:
        body = text(response)
        assert_no_leak(body, tree, persona)
        for name in ("待撤销单位", "待调整单位", ROSTER_NAMES["township"]):
            assert name not in body


@MATRIX
def test_move_post_to_a_parent_is_in_scope_or_refused(
    client_for, tree, personas, persona, key, seen
):
    user = personas[persona]
    leaf = OrganizationFactory(parent=user.organization, name="待调整单位")
    client = client_for(user)

    response = client.post(f"/orgs/{leaf.pk}/move/", {"parent": tree[key].pk})

    leaf.refresh_from_db()
    if seen:
        assert response.status_code == 302
        assert Organization.objects.get_parent(leaf) == tree[key]
    else:
        assert response.status_code == 400
        assert field_errors(response, "parent")
        assert Organization.objects.get_parent(leaf) == user.organization
        assert_no_leak(text(response), tree, persona)


@pytest.mark.parametrize(
    "query",
    [{"exclude_subtree": "abc"}, {"node": "abc"}, {"org": "abc"}],
    ids=["choices-exclude", "tree-node", "coverage-org"],
)
def test_malformed_ids_are_not_server_errors(client_for, tree, city_admin, query):
    client = client_for(city_admin)
    url = {"exclude_subtree": "/orgs/choices/", "node": "/orgs/tree/", "org": "/orgs/coverage/"}
    response = client.get(url[next(iter(query))], query)

    assert response.status_code in (200, 404)


def test_move_post_with_a_malformed_parent_is_a_form_error(client_for, tree, city_admin):
    response = client_for(city_admin).post(f"/orgs/{tree.township.pk}/move/", {"parent": "abc"})

    assert response.status_code == 400
    assert field_errors(response, "parent")
