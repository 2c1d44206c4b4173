"""Each change to an organisation or a leadership position writes exactly one audit record:
who (user and a copy of the user name), from where (IP, request id), what (action, object,
parent) and the values before and after."""

import pytest

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import changed, org_form_data
from guangong.orgs import services
from guangong.orgs.models import Kind, Organization, Position, PositionRole, PositionSource, Status
from guangong.orgs.tests.factories import OrganizationFactory, PositionFactory

REQUEST_ID = "req0123456789abcdef"


def new_records(since: int) -> list[AuditLog]:
    return list(AuditLog.objects.filter(pk__gt=since).order_by("pk"))


def last_id() -> int:
    return AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def assert_origin(record: AuditLog, user, response) -> None:
    assert record.user == user
    assert record.username == user.username
    assert record.ip == "127.0.0.1"
    assert record.request_id == REQUEST_ID == response["X-Request-ID"]


def post_audited(client, user, url: str, data: dict, action: str):
    """Post ``data`` as ``user`` with a request id: the change goes through (302) and writes
    exactly one audit record, of ``action``, that names who and whence. The response and the
    record."""
    since = last_id()
    response = client.post(url, data, HTTP_X_REQUEST_ID=REQUEST_ID)
    assert response.status_code == 302
    [record] = new_records(since)
    assert record.action == action
    assert_origin(record, user, response)
    return response, record


def assert_object(record: AuditLog, obj, parent) -> None:
    assert record.object_type == obj._meta.label_lower
    assert record.object_id == str(obj.pk)
    assert record.object_repr == str(obj)
    assert record.parent_type == parent._meta.label_lower
    assert record.parent_id == str(parent.pk)
    assert record.parent_repr == str(parent)


# --- Organisations through the pages --------------------------------------------------------


def test_create_page_writes_one_record(client_for, tree, a_admin):
    data = {
        "name": "解放路社区",
        "kind": Kind.VILLAGE,
        "division_code": "654002001001",
        "status": Status.PREPARING,
        "contact_phone": "13912345678",
    }

    response, record = post_audited(
        client_for(a_admin), a_admin, f"/orgs/new/?parent={tree.township.pk}", data, Action.CREATE
    )
    org = Organization.objects.get(name="解放路社区")
    assert_object(record, org, tree.township)
    assert record.org_path == org.path
    assert record.before is None
    assert record.after == {
        "name": "解放路社区",
        "short_name": "",
        "kind": "village",
        "division_code": "654002001001",
        "status": "preparing",
        "status_since": None,
        "established_on": None,
        "dissolved_on": None,
        "address": "",
        "contact_person": "",
        "contact_phone": "139****5678",  # the audit log holds phones masked
        "phone_public": False,
        "notes": "",
    }


def test_edit_page_writes_one_record_with_the_changed_values(client_for, tree, a_admin):
    org = tree.township
    data = org_form_data(org, status=Status.ESTABLISHED, established_on="2020-05-04")

    response, record = post_audited(
        client_for(a_admin), a_admin, f"/orgs/{org.pk}/edit/", data, Action.UPDATE
    )
    assert_object(record, org, tree.county_a)
    assert record.before["status"] == "none"
    assert record.after["status"] == "established"
    assert changed(record) == {
        "status": ("none", "established"),
        "established_on": (None, "2020-05-04"),
    }


def test_saving_an_unchanged_form_writes_no_record(client_for, tree, a_admin):
    client = client_for(a_admin)
    since = last_id()

    response = client.post(f"/orgs/{tree.township.pk}/edit/", org_form_data(tree.township))

    assert response.status_code == 302
    assert new_records(since) == []


def test_move_page_writes_one_record(client_for, tree, city_admin):
    response, record = post_audited(
        client_for(city_admin),
        city_admin,
        f"/orgs/{tree.enterprise.pk}/move/",
        {"parent": tree.county_b.pk},
        Action.MOVE,
    )
    tree.refresh()
    assert Organization.objects.get_parent(tree.enterprise) == tree.county_b
    assert_object(record, tree.enterprise, tree.county_b)
    assert record.before == {"parent": tree.township.pk}
    assert record.after == {"parent": tree.county_b.pk}
    assert record.org_path == tree.enterprise.path
    # The numbers of children follow the move.
    assert (tree.township.numchild, tree.county_b.numchild) == (0, 1)


def test_delete_page_writes_one_record(client_for, tree, a_admin):
    enterprise = tree.enterprise
    response, record = post_audited(
        client_for(a_admin), a_admin, f"/orgs/{enterprise.pk}/delete/", {}, Action.DELETE
    )
    assert response["Location"] == tree.township.get_absolute_url()
    assert not Organization.objects.filter(pk=enterprise.pk).exists()
    assert_object(record, enterprise, tree.township)
    assert record.before["name"] == "恒泰纺织有限公司"
    assert record.before["kind"] == "private"
    assert record.after is None
    tree.township.refresh_from_db()
    assert tree.township.numchild == 0


# --- Leadership positions through the pages -------------------------------------------------


def test_position_add_page_writes_one_record(client_for, tree, a_admin):
    data = {
        "name": "阿依古丽",
        "role": PositionRole.SECRETARY_GENERAL,
        "source": PositionSource.ELDER,
        "phone": "0999-8021234",
        "start_date": "2024-01-01",
    }

    response, record = post_audited(
        client_for(a_admin),
        a_admin,
        f"/orgs/{tree.township.pk}/positions/new/",
        data,
        Action.CREATE,
    )
    position = Position.objects.get(name="阿依古丽")
    assert_object(record, position, tree.township)
    assert record.org_path == tree.township.path
    assert record.before is None
    assert record.after == {
        "organization": tree.township.pk,
        "name": "阿依古丽",
        "role": "secretary_general",
        "source": "elder",
        "phone": "099*****1234",  # the audit log holds phones masked
        "start_date": "2024-01-01",
        "end_date": None,
    }


def test_position_edit_page_writes_one_record(client_for, tree, a_admin):
    position = PositionFactory(organization=tree.township, name="阿依古丽")
    data = {"name": "阿依古丽", "role": PositionRole.DIRECTOR, "source": PositionSource.ELDER}

    response, record = post_audited(
        client_for(a_admin), a_admin, f"/orgs/positions/{position.pk}/edit/", data, Action.UPDATE
    )
    position.refresh_from_db()
    assert_object(record, position, tree.township)
    assert changed(record) == {"role": ("member", "director")}


def test_position_delete_page_writes_one_record(client_for, tree, a_admin):
    position = PositionFactory(organization=tree.township, name="阿依古丽")
    response, record = post_audited(
        client_for(a_admin), a_admin, f"/orgs/positions/{position.pk}/delete/", {}, Action.DELETE
    )
    assert not Position.objects.filter(pk=position.pk).exists()
    assert_object(record, position, tree.township)
    assert record.before["name"] == "阿依古丽"


# --- The same through the API ---------------------------------------------------------------


def test_api_writes_one_record_per_change(api_for, tree, a_admin):
    api = api_for(a_admin)
    tagged = {"format": "json", "HTTP_X_REQUEST_ID": REQUEST_ID}

    def one_record(response, action):
        [record] = new_records(since)
        assert record.action == action
        assert_origin(record, a_admin, response)
        return record

    since = last_id()
    response = api.post(
        "/api/orgs/",
        {"name": "教育局关工委", "kind": Kind.AGENCY, "parent": tree.county_a.pk},
        **tagged,
    )
    assert response.status_code == 201
    org = Organization.objects.get(pk=response.json()["id"])
    assert one_record(response, Action.CREATE).parent_id == str(tree.county_a.pk)

    since = last_id()
    response = api.patch(f"/api/orgs/{org.pk}/", {"status": "preparing"}, **tagged)
    assert response.status_code == 200
    assert one_record(response, Action.UPDATE).changes == [("status", "none", "preparing")]

    since = last_id()
    response = api.patch(f"/api/orgs/{org.pk}/", {"parent": tree.township.pk}, **tagged)
    assert response.status_code == 200
    record = one_record(response, Action.MOVE)
    assert (record.before, record.after) == (
        {"parent": tree.county_a.pk},
        {"parent": tree.township.pk},
    )

    since = last_id()
    response = api.post(
        "/api/positions/",
        {"organization": org.pk, "name": "阿依古丽", "role": "director", "source": "serving"},
        **tagged,
    )
    assert response.status_code == 201
    position_id = response.json()["id"]
    assert one_record(response, Action.CREATE).object_type == "orgs.position"

    since = last_id()
    response = api.patch(f"/api/positions/{position_id}/", {"role": "deputy"}, **tagged)
    assert response.status_code == 200
    assert one_record(response, Action.UPDATE).changes == [("role", "director", "deputy")]

    since = last_id()
    response = api.delete(f"/api/positions/{position_id}/", **tagged)
    assert response.status_code == 204
    assert one_record(response, Action.DELETE).object_id == str(position_id)

    since = last_id()
    response = api.delete(f"/api/orgs/{org.pk}/", **tagged)
    assert response.status_code == 204
    assert one_record(response, Action.DELETE).object_id == str(org.pk)


def test_api_update_and_move_in_one_request_writes_both(api_for, tree, city_admin):
    api = api_for(city_admin)
    since = last_id()

    response = api.patch(
        f"/api/orgs/{tree.enterprise.pk}/",
        {"contact_person": "张伟", "parent": tree.county_b.pk},
        format="json",
    )

    assert response.status_code == 200
    assert [r.action for r in new_records(since)] == [Action.UPDATE, Action.MOVE]


# --- Services called directly (imports, commands) -------------------------------------------


def test_services_audit_outside_a_request(tree, city_admin):
    """Without a request there is no address, but a request id still ties a run together."""
    since = last_id()

    org = services.create_organization(city_admin, tree.county_b, name="奎屯农场", kind="agency")
    services.update_organization(city_admin, org, notes="备注")
    services.move_organization(city_admin, org, tree.county_a)
    services.delete_organization(city_admin, org)

    records = new_records(since)
    assert [r.action for r in records] == ["create", "update", "move", "delete"]
    assert {r.object_id for r in records} == {str(org.pk)}
    assert all(r.user == city_admin and r.ip is None and r.request_id for r in records)
    assert [r.parent_id for r in records] == [
        str(tree.county_b.pk),
        str(tree.county_b.pk),
        str(tree.county_a.pk),
        str(tree.county_a.pk),
    ]


def test_a_viewer_cannot_change_anything_through_the_services(tree, a_viewer):
    from django.core.exceptions import PermissionDenied

    viewer = a_viewer
    since = last_id()

    with pytest.raises(PermissionDenied):
        services.create_organization(viewer, tree.township, name="不应存在", kind="agency")
    with pytest.raises(PermissionDenied):
        services.update_organization(viewer, tree.township, notes="x")
    with pytest.raises(PermissionDenied):
        services.move_organization(viewer, tree.enterprise, tree.county_a)
    with pytest.raises(PermissionDenied):
        services.delete_organization(viewer, tree.enterprise)
    with pytest.raises(PermissionDenied):
        services.save_position(
            viewer, Position(organization=tree.township, name="x", role="member", source="elder")
        )

    assert new_records(since) == []
    assert not Organization.objects.filter(name="不应存在").exists()
    tree.township.refresh_from_db()
    assert tree.township.notes == ""


def test_out_of_scope_is_absent_for_the_services(tree, b_admin):
    from django.http import Http404

    since = last_id()
    with pytest.raises(Http404):
        services.update_organization(b_admin, tree.township, notes="x")
    with pytest.raises(Http404):
        services.create_organization(b_admin, tree.township, name="不应存在", kind="agency")
    with pytest.raises(Http404):
        services.move_organization(b_admin, tree.enterprise, tree.county_b)
    with pytest.raises(Http404):
        services.move_organization(b_admin, OrganizationFactory(parent=tree.county_b), tree.city)
    with pytest.raises(Http404):
        services.delete_organization(b_admin, tree.enterprise)
    assert new_records(since) == []
