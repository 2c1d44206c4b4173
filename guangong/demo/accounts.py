"""The demo accounts: one persona at each level of the demo region, all with one password."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from faker import Faker

from guangong.accounts.roles import Role
from guangong.orgs.models import Organization

DEMO_PASSWORD = "guangong-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    anchor: str  # key into Plan.anchors
    handles_cases: bool = False  # may open care cases (and approve them, with the approve verb)


ACCOUNTS = (
    DemoAccount("demo-city", Role.SYSTEM_ADMIN, "city", handles_cases=True),
    DemoAccount("demo-county-a", Role.UNIT_ADMIN, "county_a", handles_cases=True),
    DemoAccount("demo-county-b", Role.UNIT_ADMIN, "county_b"),
    DemoAccount("demo-town-a", Role.CLERK, "town_a"),
    DemoAccount("demo-unit-a", Role.CLERK, "unit_a"),
    DemoAccount("demo-care-a", Role.CARE_WORKER, "county_a"),
)


class DemoAccountError(Exception):
    pass


def create_accounts(anchors: dict[str, Organization], fake: Faker) -> list:
    """Create (or replace) the demo accounts at their organisations."""
    User = get_user_model()
    usernames = [a.username for a in ACCOUNTS]
    taken = list(
        User.objects.filter(username__in=usernames, is_demo=False).values_list(
            "username", flat=True
        )
    )
    if taken:
        raise DemoAccountError(", ".join(sorted(taken)))
    User.objects.filter(username__in=usernames, is_demo=True).delete()
    users = []
    for account in ACCOUNTS:
        user = User(
            username=account.username,
            full_name=fake.name(),
            role=account.role,
            organization=anchors[account.anchor],
            can_handle_cases=account.handles_cases,
            is_demo=True,
        )
        # The demo password is public and short on purpose: no password validators here.
        user.set_password(DEMO_PASSWORD)
        user.save()
        users.append(user)
    return users


def demo_users():
    """The demo accounts in the order they are introduced in README.md."""
    order = {a.username: i for i, a in enumerate(ACCOUNTS)}
    users = get_user_model().objects.filter(is_demo=True).select_related("organization")
    return sorted(users, key=lambda u: (order.get(u.username, len(order)), u.username))
