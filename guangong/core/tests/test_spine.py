"""The spine: policies answer every scope question; actions own transactions and audit."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.activities.models import Activity
from guangong.activities.tests.conftest import (  # noqa: F401  (fixtures)
    LEDGER_EDITS,
    LEDGER_SEEN,
    a_revealer,
    categories,
    ledger,
    people,
    types,
)
from guangong.audit.models import AuditLog
from guangong.audit.services import Action, record
from guangong.core.actions import action, batch, current_unit
from guangong.core.policy import Policy
from guangong.core.resources import policy_for, registry, resource_for
from guangong.orgs.models import Organization, Position
from guangong.orgs.tests.factories import PositionFactory


@pytest.fixture
def by_persona(city_admin, a_admin, b_admin):
    return {"city": city_admin, "a": a_admin, "b": b_admin}


def test_every_scoped_model_has_a_declared_or_default_policy():
    declared = {model._meta.label for model in registry()}
    assert {"activities.Activity", "care.Case", "helpdesk.HelpRequest", "orgs.Organization"} <= (
        declared
    )
    assert policy_for(Organization).owner == "path"
    assert policy_for(Position).owner == "organization__path"  # the default


@pytest.mark.parametrize("persona", ["city", "a", "b"])
def test_reach_reads_but_does_not_write(ledger, by_persona, persona):  # noqa: F811
    user = by_persona[persona]
    policy = policy_for(Activity)
    seen = {k for k, a in ledger.items() if policy.allows(user, "read", a)}
    edits = {k for k, a in ledger.items() if policy.allows(user, "write", a)}
    assert seen == LEDGER_SEEN[persona]
    assert edits == LEDGER_EDITS[persona]
    listed = set(Activity.objects.visible_to(user).values_list("pk", flat=True))
    assert listed == {ledger[k].pk for k in LEDGER_SEEN[persona]}


def test_out_of_scope_and_absent_are_the_same_404(ledger, a_admin, b_admin):  # noqa: F811
    policy = policy_for(Activity)
    rows = Activity.objects.all()
    for pk in (ledger["township"].pk, 10**9, "x", 2**70):
        with pytest.raises(Http404):
            policy.get(b_admin, pk, "read", rows)
    assert policy.get(b_admin, ledger["joint"].pk, "read", rows) == ledger["joint"]
    assert policy.get(a_admin, ledger["joint"].pk, "read", rows) == ledger["joint"]
    with pytest.raises(Http404):  # co-organisers read, never write
        policy.get(a_admin, ledger["joint"].pk, "write", rows)


def test_users_with_a_verb_are_those_at_or_above_the_row(tree, city_admin, a_admin, b_admin):
    clerk = UserFactory(username="t_clerk", organization=tree.township, role=Role.CLERK)
    viewer = UserFactory(username="t_viewer", organization=tree.township, role=Role.VIEWER)
    UserFactory(username="gone", organization=tree.township, role=Role.CLERK, is_active=False)
    writers = set(
        Policy().users_with("write", tree.township.path).values_list("username", flat=True)
    )
    assert writers == {"city_admin", "a_admin", clerk.username}
    readers = set(
        Policy().users_with("read", tree.township.path).values_list("username", flat=True)
    )
    assert viewer.username in readers and "b_admin" not in readers
    carers = Policy(verbs={"read": ("view", "care")}).users_with("read", tree.county_a.path)
    assert list(carers) == []  # nobody here may open a case
    carer = UserFactory(username="a_carer", organization=tree.county_a, role=Role.CARE_WORKER)
    assert list(carers.all()) == [carer]


# -- Actions ---------------------------------------------------------------------------------


@action(model=Position)
def rename(actor, position, name, audit=True):
    position.name = name
    position.save()
    if audit:
        record(actor, Action.UPDATE, position)
    return position


@action(model=Position)
def move(actor, position, org):
    position.organization = org
    position.save()
    record(actor, Action.MOVE, position)
    return position


@action(model=Position)
def rename_twice(actor, position):
    rename(actor, position, "一")
    assert current_unit().name.endswith("rename_twice")  # the inner action joined this one
    return rename(actor, position, "二")


def test_an_action_checks_verbs_scope_and_writes_audit(tree, a_admin, b_admin, a_viewer):
    position = PositionFactory(organization=tree.township, name="主任")
    with pytest.raises(Http404):  # out of scope looks absent
        rename(b_admin, position, "乙改")
    with pytest.raises(PermissionDenied):
        rename(a_viewer, position, "查看者改")
    rename(a_admin, position, "甲改")
    position.refresh_from_db()
    assert position.name == "甲改"
    assert AuditLog.objects.filter(object_id=str(position.pk), action=Action.UPDATE).count() == 1


def test_an_action_without_audit_or_leaving_scope_is_rolled_back(tree, a_admin):
    position = PositionFactory(organization=tree.township, name="主任")
    with pytest.raises(ImproperlyConfigured):
        rename(a_admin, position, "无痕", audit=False)
    with pytest.raises(Http404):
        move(a_admin, position, tree.county_b)
    position.refresh_from_db()
    assert (position.name, position.organization) == ("主任", tree.township)
    assert not AuditLog.objects.filter(object_id=str(position.pk)).exists()


def test_actions_nest_and_batches_hold_them(tree, a_admin):
    position = PositionFactory(organization=tree.township, name="主任")
    rename_twice(a_admin, position)
    assert AuditLog.objects.filter(object_id=str(position.pk)).count() == 2
    with pytest.raises(RuntimeError), batch("two"):
        rename(a_admin, position, "三")
        raise RuntimeError("the second step fails")
    position.refresh_from_db()
    assert position.name == "二"  # the batch rolled back the first step too


@pytest.mark.django_db(transaction=True)
def test_an_action_is_durable(tree, a_admin):
    from django.db import transaction

    position = PositionFactory(organization=tree.township, name="主任")
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        rename(a_admin, position, "嵌套")


def test_resources_name_their_model():
    assert resource_for(Activity).policy.reach == ("co_organizers__path",)
