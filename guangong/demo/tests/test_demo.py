import re
from collections import Counter

import pytest
from django.core.management import CommandError
from django.utils import timezone

from guangong.accounts.models import User
from guangong.accounts.roles import Role
from guangong.audit.models import AuditLog
from guangong.core.validators import validate_division_code, validate_phone
from guangong.demo.accounts import DEMO_PASSWORD
from guangong.demo.builder import path_step
from guangong.demo.geography import ILI
from guangong.demo.loader import DemoError, load
from guangong.demo.tests.shared import region_fixture, run
from guangong.orgs.models import (
    ESTABLISHED_STATUSES,
    REGION_KINDS,
    Kind,
    Organization,
    Position,
    PositionRole,
)

pytestmark = pytest.mark.django_db


small = region_fixture(1)


def test_path_step_matches_treebeard():
    assert path_step(1) == "0001"
    assert path_step(35) == "000Z"
    assert path_step(36) == "0010"
    assert path_step(36**2 + 1) == "0101"


def test_small_scale_is_small_and_has_every_kind(small):
    assert 150 < small.organizations < 1000
    assert Organization.objects.count() == small.organizations
    assert set(Organization.objects.values_list("kind", flat=True)) == set(Kind.values)
    root = Organization.objects.get_root_nodes().get()
    assert (root.name, root.division_code, root.kind) == ("新疆维吾尔自治区", "650000", "province")
    city = Organization.objects.get(division_code="654000")
    assert (city.name, city.short_name, city.kind) == ("伊犁哈萨克自治州", "伊犁州", "city")
    real = {c.code: c.name for c in ILI.counties}
    counties = Organization.objects.filter(kind=Kind.COUNTY)
    assert {c.division_code: c.name for c in counties}.items() <= real.items()
    assert {"654002", "654003"} <= {c.division_code for c in counties}


def test_unit_names_are_plausible_and_unique(small):
    units = list(Organization.objects.exclude(kind__in=REGION_KINDS).values_list("name", flat=True))
    assert len(units) == len(set(units))
    for name in units:
        assert re.fullmatch(r"[\u4e00-\u9fff（）]+关工委", name), name
    regions = Organization.objects.filter(kind__in=REGION_KINDS).values_list("name", flat=True)
    for name in regions:
        assert re.fullmatch(r"[\u4e00-\u9fff]+", name), name


def test_every_organisation_passes_the_tree_rules(small):
    orgs = {o.path: o for o in Organization.objects.all()}
    today = timezone.localdate()
    for org in orgs.values():
        parent = orgs.get(org.path[: -Organization.steplen])
        org.clean_against_parent(parent)
        if org.division_code:
            validate_division_code(org.division_code)
        validate_phone(org.contact_phone)
        assert re.fullmatch(r"1[3-9]\d{9}", org.contact_phone)
        assert org.contact_person and org.address
        if org.status in ESTABLISHED_STATUSES:
            assert org.established_on <= org.status_since <= today
        else:
            assert org.established_on is None
    codes = [o.division_code for o in orgs.values() if o.division_code]
    assert len(codes) == len(set(codes))
    regions = [o for o in orgs.values() if o.is_region]
    assert all(o.division_code for o in regions)
    assert all(o.is_established for o in regions if o.kind in ("province", "city", "county"))


def test_tree_is_consistent(small):
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    paths = list(Organization.objects.values_list("path", "numchild", "depth"))
    children = Counter(path[: -Organization.steplen] for path, _, _ in paths)
    for path, numchild, depth in paths:
        assert numchild == children[path]
        assert depth == len(path) // Organization.steplen
    root = Organization.objects.get_root_nodes().get()
    assert Organization.objects.get_descendant_count(root) == len(paths) - 1


def test_search_text_matches_what_save_would_store(small):
    org = Organization.objects.get(division_code="654002")
    stored = org.search_text
    org.save()
    org.refresh_from_db()
    assert org.search_text == stored
    assert Organization.objects.search("yns").filter(pk=org.pk).exists()


def test_established_committees_have_a_full_roster(small):
    roles = Counter(Position.objects.values_list("organization_id", "role"))
    established = set(
        Organization.objects.filter(status__in=ESTABLISHED_STATUSES).values_list("pk", flat=True)
    )
    assert {org_id for org_id, _ in roles} == established
    for org_id in established:
        assert roles[org_id, PositionRole.DIRECTOR] == 1
        assert roles[org_id, PositionRole.EXECUTIVE_DEPUTY] == 1
        assert roles[org_id, PositionRole.SECRETARY_GENERAL] == 1
        assert 1 <= roles[org_id, PositionRole.DEPUTY] <= 2
        assert 2 <= roles[org_id, PositionRole.MEMBER] <= 6
    for position in Position.objects.select_related("organization")[:200]:
        position.full_clean()
        assert position.organization.established_on <= position.start_date


def test_demo_accounts(small):
    users = {u.username: u for u in User.objects.select_related("organization")}
    assert len(small.users) == 6
    expected = {
        "demo-city": (Role.SYSTEM_ADMIN, "654000"),
        "demo-county-a": (Role.UNIT_ADMIN, "654002"),
        "demo-county-b": (Role.UNIT_ADMIN, "654003"),
        "demo-care-a": (Role.CARE_WORKER, "654002"),
    }
    for username, (role, code) in expected.items():
        user = users[username]
        assert (user.role, user.organization.division_code) == (role, code)
    for user in users.values():
        assert user.is_demo and user.is_active and user.full_name
        assert user.check_password(DEMO_PASSWORD)
    county_a = users["demo-county-a"].organization
    county_b = users["demo-county-b"].organization
    parent = Organization.objects.get_parent
    assert parent(county_a) == parent(county_b) == users["demo-city"].organization
    town = users["demo-town-a"].organization
    assert (town.kind, users["demo-town-a"].role) == (Kind.TOWNSHIP, Role.CLERK)
    assert town.path.startswith(county_a.path) and town.path != county_a.path
    unit = users["demo-unit-a"].organization
    assert unit.kind in (Kind.PRIVATE_ENTERPRISE, Kind.STATE_ENTERPRISE)
    assert parent(unit) == town
    assert users["demo-unit-a"].role == Role.CLERK
    assert not county_b.path.startswith(county_a.path)


def test_one_audit_record_for_the_whole_region(small):
    log = AuditLog.objects.get()
    assert (log.action, log.user, log.org_path) == ("create", None, small.root.path)
    assert str(small.organizations) in log.message


def test_refuses_existing_data_unless_reset(small):
    with pytest.raises(CommandError):
        run("demo", "--scale", "small")
    run("demo", "--scale", "small", "--seed", "2", "--reset")
    assert User.objects.filter(is_demo=True).count() == 6
    assert AuditLog.objects.count() == 2


def test_reset_refuses_while_real_accounts_belong_to_organisations(small):
    User.objects.create(username="real", organization=small.root)
    with pytest.raises(DemoError):
        load("small", 1, reset=True)
    assert Organization.objects.count() == small.organizations
