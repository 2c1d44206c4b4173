"""The to-do centre's world: a quarterly form of the city (reporting's fixture), people in
every place, and the users each kind of item waits for."""

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.activities.tests.conftest import types  # noqa: F401  (fixture)
from guangong.helpdesk.tests.conftest import places  # noqa: F401  (fixture)
from guangong.people.tests.conftest import (  # noqa: F401  (fixtures)
    a_revealer,
    categories,
    people,
)
from guangong.reporting.services import approval, filing
from guangong.reporting.tests.conftest import Q1, form, t_clerk  # noqa: F401  (fixtures)


@pytest.fixture
def user_at(tree):
    """``user_at(place, role, **flags)``: a user of that role at that place of the tree."""

    def make(place: str, role: str, **flags):
        return UserFactory(
            username=f"{place}_{role}_{len(flags)}", organization=tree[place], role=role, **flags
        )

    return make


@pytest.fixture
def t_viewer(user_at):
    return user_at("township", Role.VIEWER)


@pytest.fixture
def submitted(form, tree, t_clerk):  # noqa: F811
    """The township's first-quarter report, filed and waiting for county A."""
    report = filing.open_report(t_clerk, form, tree.township, Q1)
    filing.save_values(t_clerk, report, {"B1": "9"})
    return filing.submit(t_clerk, report)


@pytest.fixture
def returned(submitted, a_admin):
    """The same report, returned by county A with its reason."""
    return approval.return_report(a_admin, submitted, "请补充走访慰问户数的说明")
