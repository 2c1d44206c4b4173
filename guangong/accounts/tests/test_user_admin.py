"""Managing accounts: only inside one's subtree, never granting more than one holds, never
touching an account that holds more."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from guangong.accounts import services
from guangong.accounts.models import User
from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import PASSWORD, UserFactory
from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import (
    MATRIX,
    SEES,
    assert_no_leak,
    changed,
    field_errors,
    seen_keys,
    text,
    xlsx_rows,
)
from guangong.orgs.models import Organization

NEW_PASSWORD = "Yili-volunteer-2025"


def account(org, role=Role.VIEWER, username="new_user", **extra) -> dict:
    data = {
        "username": username,
        "full_name": "新用户",
        "organization": org.pk,
        "role": role,
        "phone": "",
        "is_active": "on",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(extra)
    return data


@pytest.fixture
def a_care_worker(tree):
    """An account in county A holding a verb the county's admin lacks (reveal)."""
    return UserFactory(username="a_care", organization=tree.county_a, role=Role.CARE_WORKER)


# --- Creating -------------------------------------------------------------------------------


@MATRIX
def test_create_user_only_inside_the_subtree(client_for, tree, personas, persona, key, seen):
    client = client_for(personas[persona])
    accounts = User.objects.count()

    response = client.post("/accounts/users/new/", account(tree[key]))

    if seen:
        assert response.status_code == 302
        assert User.objects.get(username="new_user").organization == tree[key]
    else:
        assert response.status_code == 400
        assert field_errors(response, "organization")
        assert User.objects.count() == accounts
        assert_no_leak(text(response), tree, persona)


def test_create_user_is_audited_without_the_password(client_for, tree, a_admin):
    client = client_for(a_admin)
    since = AuditLog.objects.order_by("-pk").first().pk

    response = client.post("/accounts/users/new/", account(tree.township, role=Role.CLERK))

    assert response.status_code == 302
    user = User.objects.get(username="new_user")
    assert user.check_password(NEW_PASSWORD)
    [record] = AuditLog.objects.filter(pk__gt=since)
    assert (record.action, record.user, record.object_id) == (Action.CREATE, a_admin, str(user.pk))
    assert record.parent_id == str(tree.township.pk)
    assert record.org_path == tree.township.path
    assert record.after["role"] == "clerk"
    assert NEW_PASSWORD not in str(record.after)
    assert "password" not in record.after


def test_role_choices_hold_only_what_the_admin_may_grant(client_for, tree, a_admin):
    response = client_for(a_admin).get("/accounts/users/new/")

    form = response.context["form"]
    assert [value for value, _ in form.fields["role"].choices] == [
        Role.UNIT_ADMIN,
        Role.CLERK,
        Role.VIEWER,
    ]
    assert "can_reveal" not in form.fields


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.CARE_WORKER])
def test_admin_cannot_create_a_role_with_more_verbs(client_for, tree, a_admin, role):
    client = client_for(a_admin)
    accounts = User.objects.count()

    response = client.post("/accounts/users/new/", account(tree.county_a, role=role))

    assert response.status_code == 400
    assert field_errors(response, "role")
    assert User.objects.count() == accounts


def test_admin_may_create_an_equal_admin(client_for, tree, a_admin):
    response = client_for(a_admin).post(
        "/accounts/users/new/", account(tree.township, role=Role.UNIT_ADMIN)
    )

    assert response.status_code == 302
    assert User.objects.get(username="new_user").role == Role.UNIT_ADMIN


def test_admin_without_reveal_cannot_grant_it_through_the_page(client_for, tree, a_admin):
    response = client_for(a_admin).post(
        "/accounts/users/new/", account(tree.county_a, can_reveal="on")
    )

    assert response.status_code == 302
    assert User.objects.get(username="new_user").can_reveal is False


def test_admin_without_reveal_cannot_grant_it_through_the_service(tree, a_admin):
    with pytest.raises(ValidationError) as exc:
        services.create_user(
            a_admin,
            password=NEW_PASSWORD,
            username="new_user",
            organization=tree.county_a,
            role=Role.VIEWER,
            can_reveal=True,
        )

    assert "role" in exc.value.message_dict
    assert not User.objects.filter(username="new_user").exists()


def test_admin_with_reveal_may_grant_it(client_for, tree):
    admin = UserFactory(
        organization=tree.county_a, role=Role.UNIT_ADMIN, can_reveal=True, can_handle_cases=True
    )
    client = client_for(admin)

    response = client.post(
        "/accounts/users/new/", account(tree.county_a, role=Role.CARE_WORKER, can_reveal="on")
    )

    assert response.status_code == 302
    user = User.objects.get(username="new_user")
    assert (user.role, user.can_reveal) == (Role.CARE_WORKER, True)


def test_an_admin_without_the_care_capability_cannot_make_a_care_worker(client_for, tree):
    admin = UserFactory(organization=tree.county_a, role=Role.UNIT_ADMIN, can_reveal=True)
    client = client_for(admin)

    response = client.post(
        "/accounts/users/new/", account(tree.county_a, role=Role.CARE_WORKER, can_reveal="on")
    )

    assert response.status_code == 400
    assert not User.objects.filter(username="new_user").exists()
    assert "can_handle_cases" not in response.context["form"].fields


def test_create_user_refuses_a_weak_password_and_saves_nothing(client_for, tree, a_admin):
    client = client_for(a_admin)
    accounts, records = User.objects.count(), AuditLog.objects.count()

    response = client.post(
        "/accounts/users/new/", account(tree.county_a, password1="123", password2="123")
    )

    assert response.status_code == 400
    assert response.context["form"].errors
    assert (User.objects.count(), AuditLog.objects.count()) == (accounts, records)


def test_create_user_refuses_differing_passwords(client_for, tree, a_admin):
    response = client_for(a_admin).post(
        "/accounts/users/new/", account(tree.county_a, password2="Something-else-99")
    )

    assert response.status_code == 400
    assert field_errors(response, "password2")
    assert not User.objects.filter(username="new_user").exists()


# --- Editing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "status"),
    [("a_viewer", 200), ("a_admin", 200), ("a_care", 403), ("b_admin", 404), ("city_admin", 404)],
)
def test_who_an_admin_may_edit(client_for, tree, personas, a_viewer, a_care_worker, target, status):
    user = User.objects.get(username=target)
    client = client_for(personas["a"])
    data = {
        "username": user.username,
        "full_name": "被修改",
        "organization": tree.county_a.pk,
        "role": Role.VIEWER if target == "a_viewer" else user.role,
        "is_active": "on",
    }

    page = client.get(f"/accounts/users/{user.pk}/")
    post = client.post(f"/accounts/users/{user.pk}/", data)

    user.refresh_from_db()
    assert (page.status_code, post.status_code) == (status, 302 if status == 200 else status)
    assert (user.full_name == "被修改") is (status == 200)
    assert_no_leak(text(page) + text(post), tree, "a")


def test_admin_edits_an_account_in_scope(client_for, tree, a_admin, a_viewer):
    client = client_for(a_admin)
    old_name = a_viewer.full_name
    data = {
        "username": "a_viewer",
        "full_name": "改名的查看员",
        "organization": tree.township.pk,
        "role": Role.CLERK,
        "phone": "13912345678",
        "is_active": "on",
    }

    response = client.post(f"/accounts/users/{a_viewer.pk}/", data)

    assert response.status_code == 302
    a_viewer.refresh_from_db()
    assert (a_viewer.organization, a_viewer.role) == (tree.township, Role.CLERK)
    [record] = AuditLog.objects.filter(action=Action.UPDATE)
    assert (record.user, record.object_id) == (a_admin, str(a_viewer.pk))
    assert changed(record) == {
        "full_name": (old_name, "改名的查看员"),
        "organization": (tree.county_a.pk, tree.township.pk),
        "role": ("viewer", "clerk"),
        "phone": ("", "139****5678"),  # the audit log holds phones masked
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [({"role": Role.SYSTEM_ADMIN}, "role"), ({"organization": "county_b"}, "organization")],
)
def test_admin_cannot_raise_an_account_or_send_it_out_of_scope(
    client_for, tree, a_admin, a_viewer, change, field
):
    client = client_for(a_admin)
    data = {
        "username": "a_viewer",
        "full_name": a_viewer.full_name,
        "organization": tree.county_a.pk,
        "role": Role.VIEWER,
        "is_active": "on",
    }
    data.update({k: tree[v].pk if k == "organization" else v for k, v in change.items()})

    response = client.post(f"/accounts/users/{a_viewer.pk}/", data)

    assert response.status_code == 400
    assert field_errors(response, field)
    a_viewer.refresh_from_db()
    assert (a_viewer.organization, a_viewer.role) == (tree.county_a, Role.VIEWER)
    assert_no_leak(text(response), tree, "a")


def test_services_refuse_an_account_holding_more_rights(tree, a_admin, a_care_worker):
    with pytest.raises(PermissionDenied):
        services.update_user(a_admin, a_care_worker, full_name="x")
    with pytest.raises(PermissionDenied):
        services.set_password(a_admin, a_care_worker, NEW_PASSWORD)
    a_care_worker.refresh_from_db()
    assert a_care_worker.check_password(PASSWORD)


def test_services_treat_an_account_outside_the_subtree_as_absent(tree, a_admin, b_admin):
    with pytest.raises(Http404):
        services.update_user(a_admin, b_admin, full_name="x")
    with pytest.raises(Http404):
        services.set_password(a_admin, b_admin, NEW_PASSWORD)


def test_nobody_deactivates_themselves(tree, a_admin):
    with pytest.raises(ValidationError) as exc:
        services.update_user(a_admin, a_admin, is_active=False)

    assert "is_active" in exc.value.message_dict
    a_admin.refresh_from_db()
    assert a_admin.is_active


@pytest.mark.parametrize(("target", "status"), [("a_care", 403), ("b_admin", 404)])
def test_password_of_another_account_only_where_one_may_edit(
    client_for, tree, a_admin, b_admin, a_care_worker, target, status
):
    user = User.objects.get(username=target)
    client = client_for(a_admin)

    response = client.post(
        f"/accounts/users/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == status
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_admin_sets_a_password_in_scope_and_it_is_audited(client_for, tree, a_admin, a_viewer):
    response = client_for(a_admin).post(
        f"/accounts/users/{a_viewer.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    a_viewer.refresh_from_db()
    assert a_viewer.check_password(NEW_PASSWORD)
    record = AuditLog.objects.get(action=Action.PASSWORD)
    assert (record.user, record.object_id) == (a_admin, str(a_viewer.pk))
    assert NEW_PASSWORD not in str(record.before) + str(record.after) + record.message


def test_a_viewer_changes_their_own_password(client_for, tree, a_viewer):
    client = client_for(a_viewer)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    a_viewer.refresh_from_db()
    assert a_viewer.check_password(NEW_PASSWORD)
    # Still logged in: the session follows the new password.
    assert client.get("/orgs/").status_code == 200


# --- Who may do anything at all -------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/orgs/new/"),
        ("get", "/orgs/new/?parent={county_b}"),
        ("post", "/orgs/new/?parent={county_a}"),
        ("get", "/orgs/{county_a}/edit/"),
        ("post", "/orgs/{township}/delete/"),
        ("get", "/orgs/{township}/move/"),
        ("get", "/orgs/{county_a}/positions/new/"),
        ("get", "/accounts/users/"),
        ("get", "/accounts/users/new/"),
        ("post", "/accounts/users/new/"),
        ("get", "/audit/"),
    ],
)
def test_a_viewer_is_refused_changes_with_403_and_no_data(client_for, tree, a_viewer, method, url):
    client = client_for(a_viewer)
    organisations, records = tree.names(), AuditLog.objects.count()
    count = Organization.objects.count()
    pks = {k: tree[k].pk for k in ("county_a", "county_b", "township")}

    response = getattr(client, method)(
        url.format(**pks), {"name": "不应存在", "kind": "agency", "status": "none"}
    )

    assert response.status_code == 403
    assert not any(name in text(response) for name in organisations)
    assert Organization.objects.count() == count
    assert AuditLog.objects.count() == records


def test_a_viewer_reads_but_does_not_write_through_the_api(api_for, tree, a_viewer):
    api = api_for(a_viewer)

    assert api.get("/api/orgs/").status_code == 200
    response = api.post(
        "/api/orgs/", {"name": "不应存在", "kind": "agency", "parent": tree.county_a.pk}
    )
    assert response.status_code == 403
    assert api.delete(f"/api/orgs/{tree.enterprise.pk}/").status_code == 403
    assert not Organization.objects.filter(name="不应存在").exists()
    assert Organization.objects.filter(pk=tree.enterprise.pk).exists()


@pytest.mark.parametrize("url", ["/accounts/users/", "/audit/"])
def test_a_clerk_edits_records_but_neither_accounts_nor_the_log(client_for, tree, a_clerk, url):
    client = client_for(a_clerk)

    assert client.get(url).status_code == 403
    response = client.post(
        f"/orgs/new/?parent={tree.county_a.pk}",
        {"name": "新机关", "kind": "agency", "status": "none"},
    )
    assert response.status_code == 302


# --- The user list --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", list(SEES))
def test_user_list_and_export_hold_only_accounts_in_the_subtree(
    client_for, tree, personas, a_viewer, persona
):
    client = client_for(personas[persona])
    orgs = {tree[k].pk for k in seen_keys(persona)}
    expected = set(User.objects.filter(organization__in=orgs).values_list("username", flat=True))

    page = client.get("/accounts/users/")
    export = client.get("/accounts/users/", {"export": "xlsx"})

    assert {row.record.username for row in page.context["table"].page.object_list} == expected
    assert {row[0] for row in xlsx_rows(export)[1:]} == expected
    assert_no_leak(text(page), tree, persona)


@MATRIX
def test_account_pages_are_seen_or_404(client_for, tree, personas, persona, key, seen):
    """A viewer's account on each organisation: its admins above may open it, nobody else."""
    user = UserFactory(username=f"viewer_{key}", organization=tree[key], role=Role.VIEWER)
    client = client_for(personas[persona])

    edit = client.get(f"/accounts/users/{user.pk}/")
    password = client.get(f"/accounts/users/{user.pk}/password/")

    assert (edit.status_code, password.status_code) == ((200, 200) if seen else (404, 404))
    for response in (edit, password):
        assert (f"viewer_{key}" in text(response)) is seen
        assert_no_leak(text(response), tree, persona)
