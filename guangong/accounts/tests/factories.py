"""Factories for user accounts."""

import factory
import pytest

from guangong.accounts.models import User
from guangong.accounts.roles import Role

#: The password every factory-made account has (long enough for the password validators).
PASSWORD = "Guangong-test-2025!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n:05d}")
    full_name = factory.Sequence(lambda n: f"用户{n:05d}号")
    password = factory.django.Password(PASSWORD)
    role = Role.VIEWER
    organization = None
    is_active = True


def user_fixture(
    username: str, place: str, role: str, *, name: str = "", tree: str = "tree", **flags
):
    """A fixture (named ``name``, else ``username``) giving the account ``username`` of
    ``role`` at the organisation ``place`` of the fixture tree: ``tree`` names the fixture
    that gives the tree, ``flags`` set the account's other fields."""

    @pytest.fixture(name=name or username)
    def _user(request):
        organization = request.getfixturevalue(tree)[place]
        return UserFactory(username=username, organization=organization, role=role, **flags)

    return _user
