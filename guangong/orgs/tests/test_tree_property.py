"""Random sequences of create / update / move / delete through the services keep the tree sound.

After any sequence: treebeard finds no problem (paths, depth, numchild), regional kinds still
sit only where they may, the stored subtree counts equal a fresh count, every successful
operation did what it said, and the audit log holds exactly one record per successful
operation — none for a refused one.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from guangong.accounts.models import User
from guangong.audit.models import AuditLog
from guangong.core.actions import batch
from guangong.core.scope import PATH_STEP, ancestor_paths
from guangong.core.tests.support import examples
from guangong.orgs import rollup, services
from guangong.orgs.models import REGION_PARENTS, Kind, Organization, Status

KINDS = [Kind.AGENCY, Kind.SCHOOL, Kind.JOINT, Kind.COUNTY, Kind.TOWNSHIP]
index = st.integers(min_value=0, max_value=40)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("create"), index, st.sampled_from(KINDS)),
        st.tuples(st.just("move"), index, index),
        st.tuples(st.just("delete"), index),
        st.tuples(st.just("update"), index, st.sampled_from(list(Status))),
    ),
    max_size=14,
)


@pytest.fixture
def root_user(db):
    return User.objects.create_superuser("root", password="Guangong-test-2025!")


def audit_counts(since: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for action in AuditLog.objects.filter(pk__gt=since).values_list("action", flat=True):
        counts[action] = counts.get(action, 0) + 1
    return counts


def assert_sound() -> None:
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    nodes = {o.path: o for o in Organization.objects.all()}
    for path, org in nodes.items():
        parent = nodes.get(path[: -Organization.steplen])
        children = [p for p in nodes if p.startswith(path) and len(p) == len(path) + 4]
        assert org.numchild == len(children)
        assert org.depth == len(path) // Organization.steplen
        if org.kind in REGION_PARENTS:
            assert (parent.kind if parent else None) in REGION_PARENTS[org.kind]


def run(actor, operations) -> dict[str, int]:
    """Apply the operations; return how many of each kind succeeded."""
    done = {"create": 0, "move": 0, "delete": 0, "update": 0}
    services.create_organization(actor, None, name="根", kind=Kind.PROVINCE)
    done["create"] += 1
    for n, (op, *args) in enumerate(operations):
        nodes = list(Organization.objects.order_by("pk"))
        if not nodes:  # everything was deleted: start a new tree
            services.create_organization(actor, None, name=f"根{n}", kind=Kind.PROVINCE)
            done["create"] += 1
            continue
        if op == "create":
            parent = nodes[args[0] % len(nodes)]
            try:
                org = services.create_organization(actor, parent, name=f"节点{n}", kind=args[1])
            except ValidationError:
                continue
            assert Organization.objects.get_parent(org) == parent
            done["create"] += 1
        elif op == "move":
            org, target = nodes[args[0] % len(nodes)], nodes[args[1] % len(nodes)]
            old_parent = Organization.objects.get_parent(org)
            try:
                moved = services.move_organization(actor, org, target)
            except ValidationError:
                assert target.path.startswith(org.path) or org.kind in REGION_PARENTS
                continue
            assert Organization.objects.get_parent(moved) == target
            if old_parent != target:  # moving to where it already is changes nothing
                done["move"] += 1
        elif op == "update":
            org = nodes[args[0] % len(nodes)]
            if org.status == args[1]:
                continue
            # Only the status changes; a date would tie the status to "established".
            services.update_organization(actor, org, status=args[1], established_on=None)
            done["update"] += 1
        else:
            org = nodes[args[0] % len(nodes)]
            try:
                services.delete_organization(actor, org)
            except ValidationError:
                assert org.numchild > 0
                continue
            assert not Organization.objects.filter(pk=org.pk).exists()
            done["delete"] += 1
    return done


@examples(25)
@given(operations=OPERATIONS)
def test_random_changes_keep_the_tree_sound_and_audited(root_user, operations):
    with batch("example"):  # the actions join it; each example is rolled back
        since = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        done = run(root_user, operations)

        assert_sound()
        # The subtree counts kept by the services equal a fresh count of the tree.
        assert rollup.mismatches() == []
        assert Organization.objects.count() == done["create"] - done["delete"]
        assert audit_counts(since) == {k: v for k, v in done.items() if v}
        transaction.set_rollback(True)


def test_the_tree_steps_by_core_path_step():
    assert Organization.steplen == PATH_STEP
    assert ancestor_paths("0001000A0003") == ["0001", "0001000A", "0001000A0003"]
    assert ancestor_paths("0001000A0003", include_self=False) == ["0001", "0001000A"]
    assert ancestor_paths("0001000A0003", top="0001000A") == ["0001000A", "0001000A0003"]
    assert ancestor_paths("0001", include_self=False) == []
