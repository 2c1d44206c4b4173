"""The dictionary services: who may change items, what is refused, and the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import changed, zh
from guangong.dicts import services
from guangong.dicts.models import DictItem, DictKind

DUPLICATE = "The dictionary “%(kind)s” already has an item “%(label)s”."


def audit_rows() -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_type="dicts.dictitem").order_by("pk"))


def test_create_writes_the_item_and_one_audit_record(sys_admin, tree):
    item = services.create_item(sys_admin, DictKind.TEAM_KIND, " 书法社 ", order=55)

    assert (item.kind, item.label, item.order, item.active, item.seeded) == (
        "team_kind",
        "书法社",
        55,
        True,
        False,
    )
    [record] = audit_rows()
    assert record.action == Action.CREATE
    assert (record.user, record.object_id, record.object_repr) == (
        sys_admin,
        str(item.pk),
        "书法社",
    )
    # Dictionaries are global; the record sits with the acting administrator's organisation.
    assert record.org_path == tree.city.path
    assert record.before is None
    assert record.after == {
        "kind": "team_kind",
        "label": "书法社",
        "order": 55,
        "active": True,
        "stat_group": "",
    }


def test_a_new_item_goes_after_the_last_of_its_dictionary_by_default(sys_admin):
    item = services.create_item(sys_admin, DictKind.MENTORSHIP_OUTCOME, "参军")

    assert item.order == 60
    assert list(DictItem.objects.of(DictKind.MENTORSHIP_OUTCOME))[-1] == item


def test_update_records_what_changed(sys_admin, seeded_item):
    services.update_item(sys_admin, seeded_item, label="农村留守儿童", order=25, active=False)

    seeded_item.refresh_from_db()
    assert (seeded_item.label, seeded_item.order, seeded_item.active) == ("农村留守儿童", 25, False)
    assert seeded_item.seeded  # renaming keeps it built in
    [record] = audit_rows()
    assert record.action == Action.UPDATE
    assert changed(record) == {
        "label": ("留守儿童", "农村留守儿童"),
        "order": (30, 25),
        "active": (True, False),
    }


def test_an_unchanged_update_writes_no_record(sys_admin, seeded_item):
    services.update_item(sys_admin, seeded_item, label="留守儿童", active=True)

    assert audit_rows() == []


def test_update_cannot_move_an_item_to_another_dictionary(sys_admin, seeded_item):
    with pytest.raises(ValueError):
        services.update_item(sys_admin, seeded_item, kind=DictKind.TEAM_KIND)


def test_delete_removes_an_unused_item_and_keeps_a_copy_in_the_log(sys_admin, fresh):
    services.delete_item(sys_admin, fresh)

    assert not DictItem.objects.filter(pk=fresh.pk).exists()
    [record] = audit_rows()
    assert record.action == Action.DELETE
    assert record.before == {
        "kind": "team_kind",
        "label": "书法社",
        "order": 60,
        "active": True,
        "stat_group": "",
    }
    assert record.after is None


def test_a_built_in_item_is_not_deleted(sys_admin, seeded_item):
    with pytest.raises(ValidationError) as caught:
        services.delete_item(sys_admin, seeded_item)

    assert caught.value.messages == [
        zh(
            "“%(label)s” is a built-in item and cannot be deleted. Rename or deactivate it "
            "instead.",
            label="留守儿童",
        )
    ]
    assert DictItem.objects.filter(pk=seeded_item.pk).exists()
    assert audit_rows() == []


@pytest.mark.parametrize("label", ["留守儿童", " 留守儿童 "])
def test_a_label_the_dictionary_already_has_is_refused_on_create(sys_admin, label):
    before = DictItem.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.create_item(sys_admin, DictKind.YOUTH_CATEGORY, label)

    assert caught.value.message_dict == {
        "label": [zh(DUPLICATE, kind=zh("Youth category"), label="留守儿童")]
    }
    assert DictItem.objects.count() == before
    assert audit_rows() == []


def test_a_label_differing_only_in_case_is_a_duplicate(sys_admin):
    services.create_item(sys_admin, DictKind.SPECIALITY, "Python")

    with pytest.raises(ValidationError) as caught:
        services.create_item(sys_admin, DictKind.SPECIALITY, "python")

    assert list(caught.value.message_dict) == ["label"]


def test_a_rename_to_a_label_already_taken_is_refused(sys_admin, seeded_item):
    with pytest.raises(ValidationError) as caught:
        services.update_item(sys_admin, seeded_item, label="困境儿童")

    assert list(caught.value.message_dict) == ["label"]
    seeded_item.refresh_from_db()
    assert seeded_item.label == "留守儿童"
    assert audit_rows() == []


def test_the_same_label_in_another_dictionary_is_fine(sys_admin):
    item = services.create_item(sys_admin, DictKind.SPECIALITY, "宣讲团")

    assert item.pk


def test_an_empty_label_or_unknown_dictionary_is_refused(sys_admin):
    with pytest.raises(ValidationError) as caught:
        services.create_item(sys_admin, DictKind.SPECIALITY, "   ")
    assert list(caught.value.message_dict) == ["label"]

    with pytest.raises(ValidationError) as caught:
        services.create_item(sys_admin, "no_such_dictionary", "某项")
    assert list(caught.value.message_dict) == ["kind"]


@pytest.mark.parametrize("who", ["unit_admin", "a_admin", "clerk", "viewer"])
def test_only_manage_system_changes_dictionaries(non_managers, who, seeded_item, fresh):
    actor = non_managers[who]

    with pytest.raises(PermissionDenied):
        services.create_item(actor, DictKind.TEAM_KIND, "合唱团")
    with pytest.raises(PermissionDenied):
        services.update_item(actor, seeded_item, active=False)
    with pytest.raises(PermissionDenied):
        services.delete_item(actor, fresh)

    seeded_item.refresh_from_db()
    assert seeded_item.active
    assert DictItem.objects.filter(pk=fresh.pk).exists()
    assert not DictItem.objects.filter(label="合唱团").exists()
    assert audit_rows() == []


def test_a_superuser_without_organisation_logs_to_the_root(db, seeded_item):
    from guangong.accounts.tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True)

    services.update_item(root, seeded_item, order=1)

    [record] = audit_rows()
    assert record.org_path == ""


def test_an_activity_type_needs_a_statistical_group(sys_admin):
    with pytest.raises(ValidationError) as error:
        services.create_item(sys_admin, DictKind.ACTIVITY_TYPE, "读书会")
    assert "stat_group" in error.value.message_dict
    assert not DictItem.objects.filter(label="读书会").exists()

    item = services.create_item(sys_admin, DictKind.ACTIVITY_TYPE, "读书会", stat_group="growth")
    assert item.stat_group == "growth"
    # Other dictionaries carry no group, whatever is sent.
    other = services.create_item(sys_admin, DictKind.TEAM_KIND, "读书队", stat_group="growth")
    assert other.stat_group == ""
