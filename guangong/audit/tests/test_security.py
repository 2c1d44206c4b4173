"""The audit log never holds a phone, an ID number or a secret in clear: masked where the
record is written (``audit.masking``), on the record's page, and in rows written earlier (the
migration that masks them)."""

import datetime
import json

from django.apps import apps
from django.core.management import call_command

from guangong.accounts import services as accounts
from guangong.accounts.models import User
from guangong.accounts.roles import Role
from guangong.audit.masking import field_masks, mask_stored_rows
from guangong.audit.models import Action, AuditLog
from guangong.audit.services import record, record_many, record_rows, snapshot
from guangong.core import crypto
from guangong.core.tests.support import text, zh
from guangong.core.validators import validate_mobile, validate_phone
from guangong.dicts.models import DictItem, DictKind
from guangong.orgs import services as orgs
from guangong.orgs.models import Position, PositionRole, PositionSource
from guangong.people.models import Elder
from guangong.people.services.persons import save_person
from guangong.people.tests.conftest import youth_of

ID_NUMBER = "654002195503071231"
ID_MASKED = "654002********1231"
ELDER_PHONE, ELDER_NEW = "13912345678", "13587654321"
GUARDIAN_PHONE, GUARDIAN_NEW = "13811112222", "0999-8023456"
CLEAR = (ID_NUMBER, ELDER_PHONE, ELDER_NEW, GUARDIAN_PHONE, GUARDIAN_NEW)


def entries(obj) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
            "pk"
        )
    )


def stored(entry: AuditLog) -> str:
    """Everything a record holds, as the database gives it back."""
    entry.refresh_from_db()
    return json.dumps([entry.before, entry.after, entry.message], ensure_ascii=False)


def assert_nothing_clear(*records: AuditLog) -> None:
    for entry in records:
        body = stored(entry)
        leaked = [value for value in CLEAR if value in body]
        assert not leaked, f"clear values in audit record {entry.pk}: {leaked}"


def entered_and_edited(actor, org, name: str) -> Elder:
    """An elder entered with a phone and an ID number, whose phone is then changed."""
    elder = save_person(
        actor, Elder(organization=org, name=name, phone=ELDER_PHONE), id_number=ID_NUMBER
    )
    elder.phone = ELDER_NEW
    return save_person(actor, elder)


def test_an_elder_is_audited_with_masked_phone_and_id_number(tree, a_admin):
    elder = entered_and_edited(a_admin, tree.county_a, "阿依古丽")

    created, edited = entries(elder)
    assert created.after["phone"] == "139****5678"
    assert created.after["id_number_masked"] == ID_MASKED
    assert (edited.before["phone"], edited.after["phone"]) == ("139****5678", "135****4321")
    assert_nothing_clear(created, edited)


def test_a_young_persons_guardian_phone_is_masked(tree, a_admin):
    category, _ = DictItem.objects.get_or_create(kind=DictKind.YOUTH_CATEGORY, label="留守儿童")
    child = youth_of(
        tree.county_a,
        "程小雨",
        category,
        datetime.date(2015, 6, 21),
        sex="F",
        guardian_name="程母",
        guardian_phone=GUARDIAN_PHONE,
    )
    youth = save_person(a_admin, child)
    youth.guardian_phone = GUARDIAN_NEW
    save_person(a_admin, youth)

    created, edited = entries(youth)
    assert created.after["guardian_phone"] == "138****2222"
    assert edited.changes == [("guardian_phone", "138****2222", "099*****3456")]
    assert_nothing_clear(created, edited)


def test_a_leadership_position_is_audited_with_a_masked_phone(client_for, tree, a_admin):
    client = client_for(a_admin)
    data = {"name": "马晓燕", "role": PositionRole.DIRECTOR, "source": PositionSource.ELDER}

    client.post(f"/orgs/{tree.township.pk}/positions/new/", {**data, "phone": ELDER_PHONE})
    position = Position.objects.get(name="马晓燕")
    client.post(f"/orgs/positions/{position.pk}/edit/", {**data, "phone": ELDER_NEW})
    client.post(f"/orgs/positions/{position.pk}/delete/")

    created, edited, deleted = entries(position)
    assert created.after["phone"] == "139****5678"
    assert edited.changes == [("phone", "139****5678", "135****4321")]
    assert deleted.before["phone"] == "135****4321"
    assert_nothing_clear(created, edited, deleted)


def test_a_user_account_is_audited_with_a_masked_phone(tree, a_admin, password):
    user = accounts.create_user(
        a_admin,
        password=password,
        username="new_clerk",
        full_name="新文书",
        organization=tree.county_a,
        role=Role.CLERK,
        phone=ELDER_PHONE,
    )
    accounts.update_user(a_admin, user, phone=ELDER_NEW)

    created, edited = entries(user)
    assert created.after["phone"] == "139****5678"
    assert edited.changes == [("phone", "139****5678", "135****4321")]
    assert_nothing_clear(created, edited)


def test_an_organisation_contact_phone_is_masked(tree, a_admin):
    orgs.update_organization(a_admin, tree.township, contact_phone=GUARDIAN_NEW)

    [edited] = entries(tree.township)
    assert edited.after["contact_phone"] == "099*****3456"
    assert_nothing_clear(edited)


def test_a_change_the_mask_hides_is_still_recorded_as_a_change(tree, a_admin):
    position = Position.objects.create(
        organization=tree.township,
        name="热依拉",
        role=PositionRole.MEMBER,
        source=PositionSource.SERVING,
        phone=ELDER_PHONE,
    )
    position.phone = "13900005678"  # same first three and last four digits: the same mask

    orgs.save_position(a_admin, position)

    [edited] = entries(position)
    assert edited.before["phone"] == "139****5678"
    assert edited.after["phone"].startswith("139****5678")
    assert edited.after["phone"] != edited.before["phone"]
    assert [name for name, _, _ in edited.changes] == ["phone"]
    assert "13900005678" not in stored(edited)


def test_secrets_are_recorded_only_as_present(tree, a_admin):
    elder = save_person(
        a_admin, Elder(organization=tree.county_a, name="巴图尔"), id_number=ID_NUMBER
    )

    state = snapshot(elder, ("id_number_enc", "id_number_hash", "id_number_masked", "phone"))

    assert elder.id_number_enc and elder.id_number_hash
    assert state["id_number_enc"] == state["id_number_hash"] != ""
    assert elder.id_number_enc not in json.dumps(state)
    assert elder.id_number_hash not in json.dumps(state)
    assert crypto.decrypt(elder.id_number_enc) == ID_NUMBER
    assert state["id_number_masked"] == ID_MASKED


def test_records_written_in_bulk_or_by_hand_are_masked(tree, a_admin):
    elder = Elder.objects.create(organization=tree.county_a, name="艾尔肯", phone=ELDER_PHONE)
    by_hand = record(a_admin, Action.UPDATE, elder, after={"phone": ELDER_PHONE})
    record_many(a_admin, Action.UPDATE, [elder], afters=[{"phone": ELDER_NEW}])
    record_rows(
        a_admin,
        Action.CREATE,
        Elder,
        [(elder.pk, elder.name, None, tree.county_a.path, None, {"phone": GUARDIAN_PHONE})],
    )

    records = entries(elder)
    assert [e.after["phone"] for e in records] == ["139****5678", "135****4321", "138****2222"]
    assert by_hand in records
    assert_nothing_clear(*records)


def test_every_phone_field_of_every_model_is_masked():
    """A model added later is covered without declaring anything: its phone fields are."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            phone_validated = any(v in (validate_phone, validate_mobile) for v in field.validators)
            if "phone" in field.name or phone_validated:
                found.append((model._meta.label_lower, field.name))
                assert field.name in field_masks(model), (model, field.name)
    assert {
        ("accounts.user", "phone"),
        ("orgs.organization", "contact_phone"),
        ("orgs.position", "phone"),
        ("people.elder", "phone"),
        ("people.youth", "guardian_phone"),
    } <= set(found)


def test_the_record_page_shows_masked_values(client_for, tree, city_admin, a_admin):
    elder = entered_and_edited(a_admin, tree.county_a, "吐尔逊")
    # A row written around ``record`` (as before masking existed) is shown masked too.
    raw = AuditLog.objects.create(
        action=Action.UPDATE,
        object_type="people.elder",
        object_id=str(elder.pk),
        org_path=tree.county_a.path,
        before={"phone": GUARDIAN_PHONE},
        after={"phone": GUARDIAN_NEW},
    )
    client = client_for(city_admin)

    for entry in [*entries(elder)]:
        response = client.get(f"/audit/{entry.pk}/")
        assert response.status_code == 200
        page = text(response)
        assert not [value for value in CLEAR if value in page]
    page = text(client.get(f"/audit/{raw.pk}/"))
    assert "138****2222" in page and "099*****3456" in page
    edited = entries(elder)[1]
    assert "135****4321" in text(client.get(f"/audit/{edited.pk}/"))


def old_row(obj, before, after) -> AuditLog:
    """An audit row as stored before masking (written around ``record``)."""
    return AuditLog.objects.create(
        action=Action.UPDATE,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )


def test_masking_the_stored_rows_masks_those_stored_in_clear(tree, a_admin):
    elder = Elder.objects.create(organization=tree.county_a, name="丁晓梅")
    user = User.objects.create(username="someone", organization=tree.county_a)
    rows = [
        old_row(elder, {"phone": ELDER_PHONE, "name": "丁晓梅"}, {"phone": ELDER_NEW}),
        old_row(elder, None, {"id_number_masked": ID_NUMBER, "id_number_enc": "gAAAA-token"}),
        old_row(user, {"phone": ""}, {"phone": GUARDIAN_PHONE}),
        old_row(tree.township, {"contact_phone": GUARDIAN_NEW}, {"contact_phone": ""}),
    ]
    plain = old_row(tree.township, {"name": "墩买里街道"}, {"name": "墩买里"})

    mask_stored_rows(AuditLog, apps)

    for row in rows:
        row.refresh_from_db()
    assert (rows[0].before, rows[0].after) == (
        {"phone": "139****5678", "name": "丁晓梅"},
        {"phone": "135****4321"},
    )
    assert rows[1].before is None
    assert rows[1].after["id_number_masked"] == ID_MASKED
    assert "gAAAA-token" not in stored(rows[1])
    assert (rows[2].before, rows[2].after) == ({"phone": ""}, {"phone": "138****2222"})
    assert rows[3].before == {"contact_phone": "099*****3456"}
    assert_nothing_clear(*rows)
    plain.refresh_from_db()
    assert (plain.before, plain.after) == ({"name": "墩买里街道"}, {"name": "墩买里"})


def test_the_command_masks_what_is_left_and_changes_nothing_twice(tree, a_admin, capsys):
    elder = Elder.objects.create(organization=tree.county_a, name="范思远")
    row = old_row(elder, {"phone": ELDER_PHONE}, {"phone": ELDER_NEW})

    call_command("mask_audit_log")
    row.refresh_from_db()
    summary = AuditLog.objects.latest("pk")
    call_command("mask_audit_log")

    assert (row.before, row.after) == ({"phone": "139****5678"}, {"phone": "135****4321"})
    assert (summary.action, summary.message) == (
        Action.UPDATE,
        zh("Sensitive values masked in %(n)d audit records.", n=1),
    )
    assert AuditLog.objects.latest("pk") == summary  # nothing left: nothing recorded
    assert capsys.readouterr().out.splitlines() == [
        "1 audit records masked.",
        "0 audit records masked.",
    ]
