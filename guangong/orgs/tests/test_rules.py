"""The rules a change must pass, and what the user reads when it does not.

Each refused change answers 400 (page: the form again, with a message in Chinese on the field;
API: the field name as key) and leaves nothing behind: no row, no audit record, the tree as it
was. Every message is checked to be Chinese (the default language) and to name what matters
(the expected prefix, the number of digits, the kinds involved) rather than matched word for
word, so that rewording a message does not break its test.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.text import capfirst

from guangong.accounts.models import User
from guangong.accounts.tests.factories import UserFactory
from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import CJK, field_errors, org_form_data
from guangong.orgs import services
from guangong.orgs.models import Kind, Organization, Position, Status
from guangong.orgs.tests.factories import OrganizationFactory, PositionFactory


def tree_shape() -> list[tuple]:
    return list(Organization.objects.order_by("pk").values_list("pk", "path", "depth", "numchild"))


def counts() -> tuple[int, int]:
    return Organization.objects.count(), AuditLog.objects.exclude(action=Action.LOGIN).count()


def tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def label(choice) -> str:
    """A choice's label as a Chinese-speaking user reads it."""
    with translation.override("zh-hans"):
        return str(choice.label)


def says(*fragments):
    """A check that one of the messages is Chinese and contains every fragment (a fragment may
    be a function of the tree)."""

    def check(messages, tree):
        wanted = [f(tree) if callable(f) else f for f in fragments]
        assert any(CJK.search(m) and all(w in m for w in wanted) for m in messages), (
            messages,
            wanted,
        )

    return check


#: case → (parent, posted fields, the field that carries the error, what it says)
INVALID = {
    "code-not-digits": (
        "city",
        {"kind": Kind.COUNTY, "division_code": "65400a"},
        "division_code",
        says("6", "12"),
    ),
    "code-wrong-length": (
        "city",
        {"kind": Kind.COUNTY, "division_code": "65400"},
        "division_code",
        says("6", "12"),
    ),
    "code-bad-province": (
        "city",
        {"kind": Kind.COUNTY, "division_code": "994001"},
        "division_code",
        says("99"),
    ),
    "code-not-under-parents-code": (
        "city",
        {"kind": Kind.COUNTY, "division_code": "653001"},
        "division_code",
        says("6540", lambda tree: tree.city.name),
    ),
    "county-code-of-12-digits": (
        "city",
        {"kind": Kind.COUNTY, "division_code": "654004000000"},
        "division_code",
        says(lambda tree: label(Kind.COUNTY), "6"),
    ),
    "township-code-of-6-digits": (
        "county_a",
        {"kind": Kind.TOWNSHIP, "division_code": "654009"},
        "division_code",
        says(lambda tree: label(Kind.TOWNSHIP), "12"),
    ),
    "code-taken": (
        "city",
        {"kind": Kind.COUNTY, "division_code": "654003"},
        "division_code",
        says(),
    ),
    "unit-with-a-code": (
        "county_a",
        {"kind": Kind.AGENCY, "division_code": "654002001009"},
        "division_code",
        says(),
    ),
    "township-under-a-city": (
        "city",
        {"kind": Kind.TOWNSHIP},
        "kind",
        says(lambda tree: label(Kind.TOWNSHIP), lambda tree: label(Kind.CITY)),
    ),
    "established-in-the-future": (
        "county_a",
        {"kind": Kind.AGENCY, "status": Status.ESTABLISHED, "established_on": tomorrow()},
        "established_on",
        says(),
    ),
    "established-date-without-status": (
        "county_a",
        {"kind": Kind.AGENCY, "status": Status.NONE, "established_on": "2020-01-01"},
        "status",
        says(),
    ),
    "dissolved-before-established": (
        "county_a",
        {
            "kind": Kind.AGENCY,
            "status": Status.ESTABLISHED,
            "established_on": "2020-05-01",
            "dissolved_on": "2020-04-30",
        },
        "dissolved_on",
        says("撤销日期", "2020-05-01"),
    ),
    "dissolved-in-the-future": (
        "county_a",
        {"kind": Kind.AGENCY, "status": Status.ESTABLISHED, "dissolved_on": tomorrow()},
        "dissolved_on",
        says(),
    ),
    "bad-phone": (
        "county_a",
        {"kind": Kind.AGENCY, "contact_phone": "12345"},
        "contact_phone",
        says("11"),
    ),
    "name-too-long": ("county_a", {"kind": Kind.AGENCY, "name": "关" * 101}, "name", None),
    "name-missing": ("county_a", {"kind": Kind.AGENCY, "name": ""}, "name", None),
    "kind-missing": ("county_a", {"kind": ""}, "kind", None),
}

#: What Django (pages) and DRF (API) say for the cases their own validation catches.
PAGE_NATIVE = {
    "name-too-long": says("100"),
    "name-missing": says("必填"),
    "kind-missing": says("必填"),
}
API_NATIVE = {
    "name-too-long": says("100"),
    "name-missing": says("不能为空"),
    "kind-missing": says(),
}


def body(fields: dict) -> dict:
    return {"name": "新的关工委", "status": Status.NONE, **fields}


@pytest.mark.parametrize("case", list(INVALID))
def test_create_page_refuses_invalid_data(client_for, tree, city_admin, case):
    parent, fields, field, check = INVALID[case]
    client = client_for(city_admin)
    before = counts()

    response = client.post(f"/orgs/new/?parent={tree[parent].pk}", body(fields))

    assert response.status_code == 400
    errors = field_errors(response, field)
    assert errors
    (check or PAGE_NATIVE[case])(errors, tree)
    assert counts() == before


@pytest.mark.parametrize("case", list(INVALID))
def test_create_api_refuses_invalid_data(api_for, tree, city_admin, case):
    parent, fields, field, check = INVALID[case]
    api = api_for(city_admin)
    before = counts()

    response = api.post("/api/orgs/", {**body(fields), "parent": tree[parent].pk}, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    (check or API_NATIVE[case])(errors[field], tree)
    assert counts() == before


def test_edit_page_refuses_a_taken_code_and_saves_nothing(client_for, tree, city_admin):
    client = client_for(city_admin)
    before = counts()
    data = org_form_data(tree.county_a, division_code="654003", notes="不应保存")

    response = client.post(f"/orgs/{tree.county_a.pk}/edit/", data)

    assert response.status_code == 400
    says()(field_errors(response, "division_code"), tree)
    tree.county_a.refresh_from_db()
    assert (tree.county_a.division_code, tree.county_a.notes) == ("654002", "")
    assert counts() == before


def test_edit_api_refuses_a_taken_code_and_saves_nothing(api_for, tree, city_admin):
    api = api_for(city_admin)
    before = counts()

    response = api.patch(
        f"/api/orgs/{tree.county_a.pk}/",
        {"division_code": "654003", "notes": "不应保存"},
        format="json",
    )

    assert response.status_code == 400
    assert "division_code" in response.json()
    tree.county_a.refresh_from_db()
    assert (tree.county_a.division_code, tree.county_a.notes) == ("654002", "")
    assert counts() == before


def test_a_region_may_leave_its_code_empty(client_for, tree, city_admin):
    client = client_for(city_admin)

    response = client.post(
        f"/orgs/new/?parent={tree.county_b.pk}", body({"kind": Kind.TOWNSHIP, "name": "新镇"})
    )

    assert response.status_code == 302
    assert Organization.objects.get(name="新镇").division_code is None


# --- Moving ---------------------------------------------------------------------------------


def chinese(message) -> str:
    message = str(message)
    assert CJK.search(message), f"not in Chinese: {message!r}"
    return message


def verbose_plural(model) -> str:
    with translation.override("zh-hans"):
        return capfirst(str(model._meta.verbose_name_plural))


@pytest.mark.parametrize("target", ["county_a", "township", "enterprise"])
def test_move_page_refuses_itself_or_a_descendant(client_for, tree, city_admin, target):
    client = client_for(city_admin)
    shape, before = tree_shape(), counts()

    response = client.post(f"/orgs/{tree.county_a.pk}/move/", {"parent": tree[target].pk})

    assert response.status_code == 400
    [error] = field_errors(response, "parent")
    assert chinese(error) in response.content.decode()
    assert tree_shape() == shape
    assert counts() == before


@pytest.mark.parametrize("target", ["county_a", "township", "enterprise"])
def test_move_api_refuses_itself_or_a_descendant(api_for, tree, city_admin, target):
    api = api_for(city_admin)
    shape, before = tree_shape(), counts()

    response = api.patch(
        f"/api/orgs/{tree.county_a.pk}/", {"parent": tree[target].pk}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["parent"]
    chinese(body["parent"][0])
    assert tree_shape() == shape
    assert counts() == before


def test_move_refusal_reads_the_same_on_the_page_and_in_the_api(
    client_for, api_for, tree, city_admin
):
    page = client_for(city_admin).post(
        f"/orgs/{tree.county_a.pk}/move/", {"parent": tree.township.pk}
    )
    api = api_for(city_admin).patch(
        f"/api/orgs/{tree.county_a.pk}/", {"parent": tree.township.pk}, format="json"
    )

    assert field_errors(page, "parent") == api.json()["parent"]


def test_move_api_refused_keeps_the_other_changes_of_the_request_unsaved(api_for, tree, city_admin):
    """A PATCH that renames and moves is one change: a refused move renames nothing."""
    api = api_for(city_admin)
    shape, before = tree_shape(), counts()

    response = api.patch(
        f"/api/orgs/{tree.county_a.pk}/",
        {"name": "改名的伊宁市", "parent": tree.township.pk},
        format="json",
    )

    assert response.status_code == 400
    tree.county_a.refresh_from_db()
    assert tree.county_a.name == "伊宁市"
    assert tree_shape() == shape
    assert counts() == before


def refused_move_service(actor, org, parent) -> str:
    """Move ``org`` under ``parent`` through the service, which refuses it on ``parent``;
    nothing changes. The message."""
    shape, before = tree_shape(), counts()

    with pytest.raises(ValidationError) as exc:
        services.move_organization(actor, org, parent)

    assert list(exc.value.message_dict) == ["parent"]
    assert tree_shape() == shape
    assert counts() == before
    return exc.value.message_dict["parent"][0]


def test_move_service_refuses_a_descendant(tree, city_admin):
    refused_move_service(city_admin, tree.city, tree.enterprise)


def test_nobody_moves_their_own_organisation(tree, a_admin):
    chinese(refused_move_service(a_admin, tree.county_a, tree.enterprise))


def refused_move(client, org, parent):
    """Post a move of ``org`` under ``parent`` that the rules refuse: a 400, and nothing
    changes. The response and its form's errors."""
    shape, before = tree_shape(), counts()
    response = client.post(f"/orgs/{org.pk}/move/", {"parent": parent.pk})
    assert response.status_code == 400
    assert tree_shape() == shape
    assert counts() == before
    return response, response.context["form"].non_field_errors()


def test_move_page_applies_the_code_rule_of_the_new_parent(client_for, tree, city_admin):
    """墩买里街道 (654002001000) cannot hang under 奎屯市 (654003): its code says 伊宁市."""
    response, [error] = refused_move(client_for(city_admin), tree.township, tree.county_b)

    assert "654003" in chinese(error)
    assert "奎屯市" in error
    assert error in response.content.decode()


def test_move_page_applies_the_kind_rule_of_the_new_parent(client_for, tree, city_admin):
    """A county cannot hang under a township."""
    _response, errors = refused_move(client_for(city_admin), tree.county_b, tree.township)

    assert any(label(Kind.COUNTY) in chinese(error) for error in errors), errors


# --- Deleting -------------------------------------------------------------------------------


def test_delete_page_refuses_while_children_and_users_remain(client_for, tree, city_admin, a_admin):
    client = client_for(city_admin)
    shape, before = tree_shape(), counts()

    response = client.post(f"/orgs/{tree.county_a.pk}/delete/", follow=True)

    assert response.redirect_chain == [(tree.county_a.get_absolute_url(), 302)]
    [message] = [str(m) for m in response.context["messages"]]
    assert verbose_plural(User) in chinese(message)
    assert "1" in message
    assert message in response.content.decode()
    assert tree_shape() == shape
    assert counts() == before


@pytest.mark.parametrize("blocker", ["child", "position", "user"])
def test_delete_service_refuses_while_anything_hangs_on_it(tree, city_admin, blocker):
    org = OrganizationFactory(parent=tree.county_b, name="有牵挂的单位")
    if blocker == "child":
        OrganizationFactory(parent=org)
        named = ["1"]
    elif blocker == "position":
        PositionFactory(organization=org)
        PositionFactory(organization=org)
        named = [verbose_plural(Position), "2"]
    else:
        UserFactory(organization=org)
        named = [verbose_plural(User), "1"]
    shape, before = tree_shape(), counts()

    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.delete_organization(city_admin, org)

    [message] = exc.value.messages
    assert all(word in chinese(message) for word in named), message
    assert tree_shape() == shape
    assert counts() == before


def test_delete_api_refuses_while_children_and_users_remain(api_for, tree, city_admin, a_admin):
    api = api_for(city_admin)
    shape, before = tree_shape(), counts()

    response = api.delete(f"/api/orgs/{tree.county_a.pk}/")

    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["non_field_errors"]
    assert verbose_plural(User) in chinese(body["non_field_errors"][0])
    assert tree_shape() == shape
    assert counts() == before


def test_nobody_deletes_their_own_organisation(client_for, tree):
    leafless = OrganizationFactory(parent=tree.county_b)
    user = UserFactory(organization=leafless, role="unit_admin")
    client = client_for(user)

    response = client.post(f"/orgs/{leafless.pk}/delete/", follow=True)

    [message] = [str(m) for m in response.context["messages"]]
    chinese(message)
    assert Organization.objects.filter(pk=leafless.pk).exists()


def test_an_organisation_with_nothing_left_is_deleted(tree, city_admin):
    services.delete_organization(city_admin, tree.enterprise)

    assert not Organization.objects.filter(pk=tree.enterprise.pk).exists()
    assert Organization.objects.find_problems() == ([], [], [], [], [])


# --- Leadership positions -------------------------------------------------------------------

POSITION_INVALID = {
    "end-before-start": (
        {"start_date": "2024-05-01", "end_date": "2024-04-30"},
        "end_date",
    ),
    "bad-phone": ({"phone": "12345"}, "phone"),
    "no-role": ({"role": ""}, "role"),
    "name-too-long": ({"name": "阿" * 51}, "name"),
}


@pytest.mark.parametrize("case", list(POSITION_INVALID))
def test_position_page_refuses_invalid_data(client_for, tree, a_admin, case):
    changes, field = POSITION_INVALID[case]
    data = {"name": "阿依古丽", "role": "member", "source": "elder", **changes}
    before = (Position.objects.count(), counts())

    response = client_for(a_admin).post(f"/orgs/{tree.township.pk}/positions/new/", data)

    assert response.status_code == 400
    says()(field_errors(response, field), tree)
    assert (Position.objects.count(), counts()) == before


@pytest.mark.parametrize("case", list(POSITION_INVALID))
def test_position_api_refuses_invalid_data(api_for, tree, a_admin, case):
    changes, field = POSITION_INVALID[case]
    data = {"organization": tree.township.pk, "name": "阿依古丽", "role": "member"}
    data.update(source="elder", **changes)
    api = api_for(a_admin)
    before = (Position.objects.count(), counts())

    response = api.post("/api/positions/", data, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert (Position.objects.count(), counts()) == before
