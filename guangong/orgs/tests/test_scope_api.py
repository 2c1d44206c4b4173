"""Every organisation and position endpoint of the API for each of the three personas.

Same matrix as the pages (``SEES`` in guangong/core/tests/support.py): an organisation outside
the caller's subtree answers 404, or, where it is named as a parent or organisation in a
request body, exactly what a non-existent id answers. Requests carry a token obtained from
POST /api/auth/token/.
"""

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import (
    MATRIX,
    PERSONAS,
    ROSTER_NAMES,
    assert_no_leak,
    seen_keys,
)
from guangong.orgs.models import Kind, Organization, Position, PositionRole, PositionSource
from guangong.orgs.tests.factories import OrganizationFactory

MISSING_PK = 987654


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def without_pk(body: dict, pk: int) -> str:
    return str(body).replace(str(pk), "<pk>")


def assert_parent_taken_or_unknown(response, org, parent, seen, status, ask_missing):
    """A parent in scope is taken and answered; one out of scope is refused in the very words
    a parent that does not exist gets (``ask_missing(pk)`` sends the same request for it)."""
    if seen:
        assert response.status_code == status, response.content
        assert Organization.objects.get_parent(org) == parent
        assert response.json()["parent"] == parent.pk
    else:
        assert response.status_code == 400
        missing = ask_missing(MISSING_PK)
        assert without_pk(response.json(), parent.pk) == without_pk(missing.json(), MISSING_PK)


# --- Organisations --------------------------------------------------------------------------


def test_token_endpoint_issues_a_token_that_authenticates(tree, a_admin, password):
    from rest_framework.test import APIClient

    api = APIClient()
    response = api.post("/api/auth/token/", {"username": "a_admin", "password": password})
    assert response.status_code == 200
    token = response.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/orgs/").status_code == 200
    issued = AuditLog.objects.get(action=Action.TOKEN)
    assert (issued.user, issued.ip, issued.org_path) == (a_admin, "127.0.0.1", tree.county_a.path)
    assert token not in f"{issued.before}{issued.after}{issued.message}"

    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/orgs/").status_code == 401


def test_token_endpoint_refuses_a_wrong_password(tree, a_admin):
    from rest_framework.test import APIClient

    response = APIClient().post("/api/auth/token/", {"username": "a_admin", "password": "nope"})

    assert response.status_code == 400
    assert "token" not in response.json()


@PERSONAS
def test_list_holds_exactly_the_callers_subtree(api_for, tree, personas, persona):
    response = api_for(personas[persona]).get("/api/orgs/")

    assert {o["name"] for o in results(response)} == tree.names(seen_keys(persona))
    assert_no_leak(response.content.decode(), tree, persona)


@PERSONAS
def test_list_reports_each_rows_parent(api_for, tree, personas, persona):
    """``parent`` of each row is its real parent's id (an id, never a name)."""
    rows = results(api_for(personas[persona]).get("/api/orgs/"))

    for row in rows:
        org = Organization.objects.get(pk=row["id"])
        assert row["parent"] == Organization.objects.get_parent(org).pk


def test_detail_reads_the_organisation_and_its_position(api_for, tree, roster, a_admin):
    """What a detail holds. (Who reads which detail, and that out of scope answers as a
    missing id does, is the scope walk's: core/tests/test_scope_walk.py.)"""
    api = api_for(a_admin)

    assert api.get(f"/api/orgs/{tree.township.pk}/").json()["name"] == tree.township.name
    position = api.get(f"/api/positions/{roster['township'].pk}/").json()
    assert position["name"] == ROSTER_NAMES["township"]


@MATRIX
def test_subtree_filter_stays_in_scope(api_for, tree, personas, persona, key, seen):
    response = api_for(personas[persona]).get("/api/orgs/", {"subtree": tree[key].pk})

    names = {o["name"] for o in results(response)}
    assert names <= tree.names(seen_keys(persona))
    assert_no_leak(response.content.decode(), tree, persona)


@MATRIX
def test_partial_update_is_seen_or_404(api_for, tree, personas, persona, key, seen):
    api = api_for(personas[persona])

    response = api.patch(
        f"/api/orgs/{tree[key].pk}/", {"contact_person": "新联系人"}, format="json"
    )

    tree[key].refresh_from_db()
    assert response.status_code == (200 if seen else 404)
    assert tree[key].contact_person == ("新联系人" if seen else "")
    assert_no_leak(response.content.decode(), tree, persona)


@MATRIX
def test_full_update_is_seen_or_404(api_for, tree, personas, persona, key, seen):
    org = tree[key]
    status_before = org.status
    api = api_for(personas[persona])
    body = {
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "division_code": org.division_code,
        "status": "preparing",
    }

    response = api.put(f"/api/orgs/{org.pk}/", body, format="json")

    org.refresh_from_db()
    assert response.status_code == (200 if seen else 404), response.content
    assert org.status == ("preparing" if seen else status_before)
    assert_no_leak(response.content.decode(), tree, persona)


@MATRIX
def test_create_under_a_parent_is_in_scope_or_unknown(api_for, tree, personas, persona, key, seen):
    api = api_for(personas[persona])
    body = {"name": "新建机关关工委", "kind": Kind.AGENCY, "parent": tree[key].pk}

    response = api.post("/api/orgs/", body, format="json")

    created = Organization.objects.filter(name="新建机关关工委").first()
    assert (created is not None) is seen
    assert_parent_taken_or_unknown(
        response,
        created,
        tree[key],
        seen,
        201,
        lambda pk: api.post("/api/orgs/", {**body, "parent": pk}, format="json"),
    )
    assert_no_leak(response.content.decode(), tree, persona)


@MATRIX
def test_delete_is_seen_or_404(api_for, tree, personas, persona, key, seen):
    leaf = OrganizationFactory(parent=tree[key], name="待撤销单位")

    response = api_for(personas[persona]).delete(f"/api/orgs/{leaf.pk}/")

    assert response.status_code == (204 if seen else 404)
    assert Organization.objects.filter(pk=leaf.pk).exists() is not seen


@MATRIX
def test_moving_an_organisation_is_seen_or_404(api_for, tree, personas, persona, key, seen):
    user = personas[persona]
    leaf = OrganizationFactory(parent=tree[key], name="待调整单位")

    response = api_for(user).patch(
        f"/api/orgs/{leaf.pk}/", {"parent": user.organization_id}, format="json"
    )

    leaf.refresh_from_db()
    assert response.status_code == (200 if seen else 404)
    assert Organization.objects.get_parent(leaf) == (user.organization if seen else tree[key])


@MATRIX
def test_moving_under_a_parent_is_in_scope_or_unknown(api_for, tree, personas, persona, key, seen):
    user = personas[persona]
    leaf = OrganizationFactory(parent=user.organization, name="待调整单位")
    api = api_for(user)

    response = api.patch(f"/api/orgs/{leaf.pk}/", {"parent": tree[key].pk}, format="json")

    leaf.refresh_from_db()
    if not seen:
        assert "parent" in response.json()
        assert Organization.objects.get_parent(leaf) == user.organization
    assert_parent_taken_or_unknown(
        response,
        leaf,
        tree[key],
        seen,
        200,
        lambda pk: api.patch(f"/api/orgs/{leaf.pk}/", {"parent": pk}, format="json"),
    )
    assert_no_leak(response.content.decode(), tree, persona)


# --- Positions ------------------------------------------------------------------------------


@PERSONAS
def test_position_list_holds_exactly_the_callers_subtree(api_for, tree, roster, personas, persona):
    response = api_for(personas[persona]).get("/api/positions/")

    assert {p["name"] for p in results(response)} == {ROSTER_NAMES[k] for k in seen_keys(persona)}
    assert_no_leak(response.content.decode(), tree, persona)


@MATRIX
def test_position_create_is_in_scope_or_unknown(api_for, tree, personas, persona, key, seen):
    api = api_for(personas[persona])
    body = {
        "organization": tree[key].pk,
        "name": "新任委员",
        "role": PositionRole.MEMBER,
        "source": PositionSource.ELDER,
    }

    response = api.post("/api/positions/", body, format="json")

    created = Position.objects.filter(name="新任委员").first()
    if seen:
        assert response.status_code == 201, response.content
        assert created.organization == tree[key]
    else:
        assert response.status_code == 400
        assert created is None
        missing = api.post("/api/positions/", {**body, "organization": MISSING_PK}, format="json")
        assert without_pk(response.json(), tree[key].pk) == without_pk(missing.json(), MISSING_PK)


@MATRIX
def test_position_update_is_seen_or_404(api_for, tree, roster, personas, persona, key, seen):
    position = roster[key]

    response = api_for(personas[persona]).patch(
        f"/api/positions/{position.pk}/", {"name": "改任委员"}, format="json"
    )

    position.refresh_from_db()
    assert response.status_code == (200 if seen else 404)
    assert position.name == ("改任委员" if seen else ROSTER_NAMES[key])


@MATRIX
def test_position_cannot_be_moved_out_of_scope(api_for, tree, personas, persona, key, seen):
    """A member of the caller's own committee re-seated on ``key``: only inside the scope."""
    user = personas[persona]
    position = Position.objects.create(
        organization=user.organization, name="调任委员", role="member", source="elder"
    )

    response = api_for(user).patch(
        f"/api/positions/{position.pk}/", {"organization": tree[key].pk}, format="json"
    )

    position.refresh_from_db()
    assert response.status_code == (200 if seen else 400)
    assert position.organization == (tree[key] if seen else user.organization)


@MATRIX
def test_position_delete_is_seen_or_404(api_for, tree, roster, personas, persona, key, seen):
    position = roster[key]

    response = api_for(personas[persona]).delete(f"/api/positions/{position.pk}/")

    assert response.status_code == (204 if seen else 404)
    assert Position.objects.filter(pk=position.pk).exists() is not seen
