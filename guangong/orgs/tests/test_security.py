"""Leadership (领导班子) and organisation phones are masked like every other phone: on the
organisation page, the roster page, the exports, the forms and the API, unless the reader holds
the ``reveal`` verb, or (the office line only) the organisation's administrator marked it public.
"""

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import org_form_data, text, xlsx_rows, zh
from guangong.orgs.models import Organization, Position, PositionRole, PositionSource
from guangong.orgs.tests.factories import PositionFactory

MEMBER_PHONE = "13987654321"
MEMBER_MASKED = "139****4321"
OFFICE_PHONE = "0999-8012345"
OFFICE_MASKED = "099*****2345"
FAR_PHONE = "13711112222"  # a member at sibling county B


@pytest.fixture
def phones(tree):
    """The township's office line and its director's mobile; a member at county B."""
    Organization.objects.filter(pk=tree.township.pk).update(contact_phone=OFFICE_PHONE)
    tree.refresh()
    member = PositionFactory(
        organization=tree.township, name="阿不都", role=PositionRole.DIRECTOR, phone=MEMBER_PHONE
    )
    far = PositionFactory(organization=tree.county_b, name="王建国", phone=FAR_PHONE)
    return member, far


@pytest.fixture
def a_revealer(tree):
    return UserFactory(
        username="a_revealer", organization=tree.county_a, role=Role.VIEWER, can_reveal=True
    )


@pytest.fixture
def readers(a_clerk, a_viewer, a_admin):
    """Users of county A who may not reveal sensitive fields."""
    return {"clerk": a_clerk, "viewer": a_viewer, "admin": a_admin}


READERS = pytest.mark.parametrize("who", ["clerk", "viewer", "admin"])


def cells(response) -> str:
    return "\n".join(str(c) for row in xlsx_rows(response) for c in row if c is not None)


# --- Masked for readers without the reveal verb ---------------------------------------------


@READERS
def test_the_organisation_page_masks_roster_and_office_phones(
    client_for, tree, phones, readers, who
):
    response = client_for(readers[who]).get(f"/orgs/{tree.township.pk}/")

    assert response.status_code == 200
    page = text(response)
    assert MEMBER_MASKED in page and OFFICE_MASKED in page
    assert MEMBER_PHONE not in page and OFFICE_PHONE not in page


@READERS
def test_the_roster_page_lists_the_subtree_with_masked_phones(
    client_for, tree, phones, readers, who
):
    response = client_for(readers[who]).get("/orgs/positions/")

    assert response.status_code == 200
    page = text(response)
    assert "阿不都" in page and MEMBER_MASKED in page
    assert MEMBER_PHONE not in page
    # County B's member is outside county A's subtree: neither name nor phone.
    assert "王建国" not in page and FAR_PHONE[-4:] not in page


@READERS
def test_the_exports_mask_roster_and_office_phones(client_for, tree, phones, readers, who):
    client = client_for(readers[who])

    roster = cells(client.get("/orgs/positions/", {"export": "xlsx"}))
    orgs = cells(client.get("/orgs/", {"export": "xlsx"}))

    assert MEMBER_MASKED in roster and MEMBER_PHONE not in roster
    assert "王建国" not in roster
    assert OFFICE_MASKED in orgs and OFFICE_PHONE not in orgs


@READERS
def test_the_api_masks_roster_and_office_phones(api_for, tree, phones, readers, who):
    api = api_for(readers[who])
    member, _far = phones

    positions = api.get("/api/positions/").json()["results"]
    one = api.get(f"/api/positions/{member.pk}/").json()
    org = api.get(f"/api/orgs/{tree.township.pk}/").json()
    listed = api.get("/api/orgs/").json()["results"]

    assert [p["phone"] for p in positions if p["id"] == member.pk] == [MEMBER_MASKED]
    assert one["phone"] == MEMBER_MASKED
    assert (org["contact_phone"], org["phone_public"]) == (OFFICE_MASKED, False)
    body = str(positions) + str(one) + str(org) + str(listed)
    assert MEMBER_PHONE not in body and OFFICE_PHONE not in body and FAR_PHONE not in body


# --- In full with the reveal verb -----------------------------------------------------------


def test_a_user_who_may_reveal_reads_the_phones_in_full(
    client_for, api_for, tree, phones, a_revealer
):
    client = client_for(a_revealer)
    member, _far = phones

    page = text(client.get(f"/orgs/{tree.township.pk}/"))
    roster = text(client.get("/orgs/positions/"))
    roster_export = cells(client.get("/orgs/positions/", {"export": "xlsx"}))
    orgs_export = cells(client.get("/orgs/", {"export": "xlsx"}))
    api = api_for(a_revealer)

    assert MEMBER_PHONE in page and OFFICE_PHONE in page
    assert MEMBER_PHONE in roster and MEMBER_PHONE in roster_export
    assert OFFICE_PHONE in orgs_export
    assert api.get(f"/api/positions/{member.pk}/").json()["phone"] == MEMBER_PHONE
    assert api.get(f"/api/orgs/{tree.township.pk}/").json()["contact_phone"] == OFFICE_PHONE


# --- A public office line -------------------------------------------------------------------


def test_an_office_phone_marked_public_is_shown_in_full_to_everyone(
    client_for, api_for, tree, phones, a_clerk, a_viewer
):
    since = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    data = org_form_data(tree.township, phone_public="on", contact_phone="")

    response = client_for(a_clerk).post(f"/orgs/{tree.township.pk}/edit/", data)

    assert response.status_code == 302
    tree.township.refresh_from_db()
    # The clerk never saw the number; leaving it empty kept it.
    assert (tree.township.phone_public, tree.township.contact_phone) == (True, OFFICE_PHONE)
    [entry] = AuditLog.objects.filter(pk__gt=since, action=Action.UPDATE)
    assert entry.object_id == str(tree.township.pk)
    assert (entry.before["phone_public"], entry.after["phone_public"]) == (False, True)

    client = client_for(a_viewer)
    page = text(client.get(f"/orgs/{tree.township.pk}/"))
    orgs_export = cells(client.get("/orgs/", {"export": "xlsx"}))
    org = api_for(a_viewer).get(f"/api/orgs/{tree.township.pk}/").json()
    assert OFFICE_PHONE in page and OFFICE_PHONE in orgs_export
    assert (org["contact_phone"], org["phone_public"]) == (OFFICE_PHONE, True)
    # The office line only: the members' mobiles stay masked.
    assert MEMBER_PHONE not in page and MEMBER_MASKED in page


def test_the_api_marks_an_office_phone_public(api_for, tree, phones, a_clerk, a_viewer):
    response = api_for(a_clerk).patch(
        f"/api/orgs/{tree.township.pk}/", {"phone_public": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["contact_phone"] == OFFICE_PHONE
    entry = AuditLog.objects.filter(action=Action.UPDATE).latest("pk")
    assert entry.after["phone_public"] is True
    org = api_for(a_viewer).get(f"/api/orgs/{tree.township.pk}/").json()
    assert org["contact_phone"] == OFFICE_PHONE


# --- Forms: a stored number is not sent to an editor who may not reveal --------------------


def test_the_edit_forms_do_not_send_stored_phones_to_a_clerk(client_for, tree, phones, a_clerk):
    member, _far = phones
    client = client_for(a_clerk)

    org_form = text(client.get(f"/orgs/{tree.township.pk}/edit/"))
    position_form = text(client.get(f"/orgs/positions/{member.pk}/edit/"))

    assert OFFICE_PHONE not in org_form and OFFICE_MASKED in org_form
    assert MEMBER_PHONE not in position_form and MEMBER_MASKED in position_form
    stored = zh(
        "Stored: %(masked)s. Leave empty to keep it; enter a new number to replace it.",
        masked=MEMBER_MASKED,
    )
    assert stored in position_form


def test_a_clerk_keeps_or_replaces_a_member_phone_without_seeing_it(
    client_for, tree, phones, a_clerk
):
    member, _far = phones
    client = client_for(a_clerk)
    data = {"name": "阿不都", "role": PositionRole.DIRECTOR, "source": PositionSource.ELDER}

    kept = client.post(f"/orgs/positions/{member.pk}/edit/", {**data, "phone": ""})
    assert kept.status_code == 302
    assert Position.objects.get(pk=member.pk).phone == MEMBER_PHONE

    replaced = client.post(f"/orgs/positions/{member.pk}/edit/", {**data, "phone": "13655556666"})
    assert replaced.status_code == 302
    assert Position.objects.get(pk=member.pk).phone == "13655556666"


def test_an_editor_who_may_reveal_sees_the_stored_numbers(client_for, tree, phones):
    member, _far = phones
    editor = UserFactory(
        username="a_editor", organization=tree.county_a, role=Role.CLERK, can_reveal=True
    )
    client = client_for(editor)

    assert OFFICE_PHONE in text(client.get(f"/orgs/{tree.township.pk}/edit/"))
    assert MEMBER_PHONE in text(client.get(f"/orgs/positions/{member.pk}/edit/"))


# --- The roster page within scope -----------------------------------------------------------


def test_the_roster_page_of_an_organisation_outside_the_scope_lists_nobody(
    client_for, tree, phones, a_viewer
):
    response = client_for(a_viewer).get("/orgs/positions/", {"org": tree.county_b.pk})

    assert response.status_code == 200
    assert "王建国" not in text(response)
