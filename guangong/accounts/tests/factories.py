"""Factories for user accounts."""

import factory

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
