import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.dicts.models import DictItem, DictKind


@pytest.fixture
def sys_admin(tree):
    """A system administrator at the city: the one persona that manages dictionaries."""
    return UserFactory(username="sys_admin", organization=tree.city, role=Role.SYSTEM_ADMIN)


@pytest.fixture
def non_managers(city_admin, a_admin, a_clerk, a_viewer) -> dict:
    """Everyone who reads dictionaries but may not change them."""
    return {"unit_admin": city_admin, "a_admin": a_admin, "clerk": a_clerk, "viewer": a_viewer}


@pytest.fixture
def fresh(db) -> DictItem:
    """An item an administrator added: neither built in nor used by anything."""
    return DictItem.objects.create(kind=DictKind.TEAM_KIND, label="书法社", order=60)


@pytest.fixture
def seeded_item(db) -> DictItem:
    return DictItem.objects.get(kind=DictKind.YOUTH_CATEGORY, label="留守儿童")
