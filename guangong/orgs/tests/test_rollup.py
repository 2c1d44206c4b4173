"""The stored subtree counts follow every change the services make, exactly.

Each step compares the rollup with a fresh count of the tree (``rollup.mismatches``) and with
what the coverage table shows, for a subtree whose branch moves, changes status and is deleted.
"""

import pytest

from guangong.accounts.models import User
from guangong.orgs import rollup, services
from guangong.orgs.models import Kind, Organization, Status, SubtreeCount
from guangong.stats.coverage import coverage


@pytest.fixture
def actor(db):
    return User.objects.create_superuser("rollup-root", password="Guangong-test-2025!")


@pytest.fixture
def branches(actor):
    """root → A, B; under A: a school with two agencies below it."""
    make = services.create_organization
    root = make(actor, None, name="省", kind=Kind.PROVINCE, status=Status.ESTABLISHED)
    a = make(actor, root, name="甲", kind=Kind.AGENCY, status=Status.ESTABLISHED)
    b = make(actor, root, name="乙", kind=Kind.AGENCY)
    school = make(actor, a, name="学校", kind=Kind.SCHOOL, status=Status.PREPARING)
    make(actor, school, name="处一", kind=Kind.AGENCY, status=Status.CONSOLIDATED)
    make(actor, school, name="处二", kind=Kind.AGENCY)
    return {"root": root, "a": a, "b": b, "school": school}


def totals(org) -> int:
    return coverage(Organization.objects.get(pk=org.pk)).total.total


def test_creating_counts_the_node_in_every_ancestor(branches):
    assert rollup.mismatches() == []
    assert totals(branches["root"]) == 6
    assert totals(branches["a"]) == 4
    assert totals(branches["b"]) == 1


def test_moving_a_branch_moves_its_counts(actor, branches):
    services.move_organization(actor, branches["school"], branches["b"])

    assert rollup.mismatches() == []
    assert (totals(branches["a"]), totals(branches["b"]), totals(branches["root"])) == (1, 4, 6)
    established_b = coverage(Organization.objects.get(pk=branches["b"].pk)).total.established
    assert established_b == 1  # the consolidated agency came along


def test_changing_status_or_kind_moves_one_count(actor, branches):
    services.update_organization(actor, branches["school"], status=Status.CONSOLIDATED)
    services.update_organization(actor, branches["b"], kind=Kind.SCHOOL)

    assert rollup.mismatches() == []
    root = coverage(Organization.objects.get(pk=branches["root"].pk))
    assert {r.key: r.total for r in root.rows} == {"province": 1, "agency": 3, "school": 2}
    assert root.total.established == 4


def test_deleting_a_leaf_uncounts_it(actor, branches):
    leaf = Organization.objects.get(name="处二")
    services.delete_organization(actor, leaf)

    assert rollup.mismatches() == []
    assert totals(branches["root"]) == 5
    assert not SubtreeCount.objects.filter(organization_id=leaf.pk).exists()


def test_a_refused_move_changes_no_count(actor, branches):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.move_organization(actor, branches["a"], branches["school"])

    assert rollup.mismatches() == []
    assert totals(branches["a"]) == 4


def test_rebuild_recounts_after_a_bypassing_write(branches):
    Organization.objects.filter(pk=branches["b"].pk).update(status=Status.ESTABLISHED)
    assert rollup.mismatches() != []  # a bare update is exactly what the services exist for

    rollup.rebuild()

    assert rollup.mismatches() == []
    assert coverage(Organization.objects.get(pk=branches["root"].pk)).total.established == 4


def test_deferred_adjustments_land_once_at_the_end(actor, branches):
    make = services.create_organization
    with rollup.deferred():
        town = make(actor, branches["b"], name="新区", kind=Kind.JOINT, status=Status.ESTABLISHED)
        for i in range(5):
            make(actor, town, name=f"村{i}", kind=Kind.SCHOOL)
        services.move_organization(actor, branches["school"], town)
        services.delete_organization(actor, Organization.objects.get(name="村0"))
        # Inside the block the stored counts are not yet current.
        assert rollup.mismatches() != []

    assert rollup.mismatches() == []
    assert totals(branches["b"]) == 1 + 1 + 4 + 3  # 乙, 新区, four 村, the school's three
    assert totals(branches["a"]) == 1
