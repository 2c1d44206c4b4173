"""An item something refers to cannot be deleted, whatever kind of reference it is.

No model of this app refers to dictionary items, and a test-only model cannot join the real
app registry without every other test seeing it. So the references come from a model in an
isolated registry whose two tables are created inside the test's transaction (and vanish with
its rollback): a hidden PROTECT foreign key and a many-to-many field, the two shapes
``fields.dict_fk`` and ``fields.dict_m2m`` give other apps' models.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import isolate_apps

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import zh
from guangong.dicts import services
from guangong.dicts.models import DictItem, DictKind

TABLES = (
    "CREATE TABLE dicts_testholder (id integer PRIMARY KEY, item_id bigint NULL)",
    "CREATE TABLE dicts_testholder_items ("
    "id integer PRIMARY KEY, testholder_id integer NOT NULL, dictitem_id bigint NOT NULL)",
)


@pytest.fixture
def holder(db, monkeypatch):
    """A model with a foreign key and a many-to-many field to DictItem, and its tables."""
    with isolate_apps("guangong.dicts"):

        class TestHolder(models.Model):
            item = models.ForeignKey(
                DictItem, on_delete=models.PROTECT, null=True, related_name="+"
            )
            items = models.ManyToManyField(DictItem, related_name="+")

            class Meta:
                app_label = "dicts"
                verbose_name = "holder"
                verbose_name_plural = "holders"

    with connection.cursor() as cursor:
        for sql in TABLES:
            cursor.execute(sql)
    link = TestHolder.items.through
    relations = [
        TestHolder._meta.get_field("item").remote_field,
        link._meta.get_field("dictitem").remote_field,
    ]
    monkeypatch.setattr(services, "reverse_relations", lambda: relations)
    return TestHolder


def refused(sys_admin, item) -> str:
    with pytest.raises(ValidationError) as caught:
        services.delete_item(sys_admin, item)
    return caught.value.messages[0]


def test_an_item_held_by_a_foreign_key_is_not_deleted(holder, sys_admin, fresh):
    holder.objects.create(id=1, item=fresh)
    holder.objects.create(id=2, item=fresh)

    message = refused(sys_admin, fresh)

    assert services.usages(fresh) == [("Holders", 2)]
    assert "Holders" in message and "2" in message and fresh.label in message
    assert message == zh(
        "“%(label)s” is in use (%(what)s) and cannot be deleted. Deactivate it instead: "
        "it will no longer be offered, and existing records keep it.",
        label=fresh.label,
        what=zh("%(what)s (%(n)d)", what="Holders", n=2),
    )
    assert DictItem.objects.filter(pk=fresh.pk).exists()
    assert not AuditLog.objects.filter(action=Action.DELETE).exists()


def test_an_item_held_by_a_many_to_many_link_is_not_deleted(holder, sys_admin, fresh):
    """A link row's key CASCADEs, so deleting would silently strip the item from records."""
    link = holder.items.through
    holder.objects.create(id=1)
    link.objects.create(id=1, testholder_id=1, dictitem=fresh)

    message = refused(sys_admin, fresh)

    # Named after the model that owns the field, not the link table.
    assert services.usages(fresh) == [("Holders", 1)]
    assert "Holders" in message
    assert link.objects.filter(dictitem=fresh).count() == 1
    assert DictItem.objects.filter(pk=fresh.pk).exists()


def test_an_item_no_longer_held_can_be_deleted(holder, sys_admin, fresh):
    other = DictItem.objects.create(kind=DictKind.TEAM_KIND, label="合唱团")
    holder.objects.create(id=1, item=other)

    services.delete_item(sys_admin, fresh)

    assert not DictItem.objects.filter(pk=fresh.pk).exists()


def test_every_foreign_key_to_dictionary_items_is_checked(db):
    """Whatever the installed apps declare — hidden related names, many-to-many link tables —
    each foreign key to DictItem is one of the relations the delete check counts."""
    checked = {rel.field for rel in services.reverse_relations()}
    declared = {
        field
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.local_fields
        if field.is_relation and field.related_model is DictItem
    }
    assert checked == declared


def test_the_pages_and_the_api_refuse_it_too(holder, client_for, api_for, sys_admin, fresh):
    holder.objects.create(id=1, item=fresh)

    page = client_for(sys_admin).get(f"/dicts/{fresh.pk}/delete/")
    posted = client_for(sys_admin).post(f"/dicts/{fresh.pk}/delete/")
    api = api_for(sys_admin).delete(f"/api/dicts/{fresh.pk}/")

    assert "Holders" in page.context["refusal"]
    assert posted.status_code == 302
    assert api.status_code == 400
    assert "Holders" in api.json()["non_field_errors"][0]
    assert DictItem.objects.filter(pk=fresh.pk).exists()
