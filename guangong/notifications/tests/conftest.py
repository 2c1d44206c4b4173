"""Messages: events run their on-commit hooks here (``committed``), and the task queue runs
tasks at once (HUEY immediate in tests)."""

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.care.tests.conftest import (  # noqa: F401  (fixtures)
    a_approver,
    a_care,
    city_approver,
)
from guangong.helpdesk.tests.conftest import places  # noqa: F401  (fixture)
from guangong.people.tests.conftest import (  # noqa: F401  (fixtures)
    a_revealer,
    categories,
    people,
)
from guangong.reporting.tests.conftest import form  # noqa: F401  (fixture)

from .fakes import provider, smtp  # noqa: F401  (fixtures)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of the actions called inside ``with committed():``."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def t_clerk(tree):
    return UserFactory(
        username="t_clerk",
        organization=tree.township,
        role=Role.UNIT_ADMIN,
        email="clerk@example.org",
        phone="13812345678",
    )


@pytest.fixture
def t_writer(tree):
    """A second user of the township who may fill its reports in."""
    return UserFactory(username="t_writer", organization=tree.township, role=Role.CLERK)


@pytest.fixture
def b_clerk(tree):
    return UserFactory(username="b_clerk", organization=tree.county_b, role=Role.CLERK)
