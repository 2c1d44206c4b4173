"""Care cases in the fixture tree, for the young people of people/tests/conftest.py."""

import datetime

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import user_fixture
from guangong.care.models import Case, FollowUp
from guangong.care.services import cases, entries, transitions
from guangong.dicts.models import DictItem, DictKind
from guangong.people.tests.conftest import (  # noqa: F401  (fixtures)
    People,
    a_revealer,
    b_revealer,
    categories,
    item,
    people,
)

ADDRESS = "伊宁市解放路88号3单元"
FAMILY = "父亲外出务工，母亲长期患病"
HEALTH = "轻度哮喘"


@pytest.fixture(autouse=True)
def _media(media):
    """Uploads and exports of these tests go to a temporary folder."""


def kind(label: str = "助学") -> DictItem:
    return item(DictKind.CASE_KIND, label)  # made again where a transactional test flushed it


#: A care worker (关爱专干) at county A.
a_care = user_fixture("a_care", "county_a", Role.CARE_WORKER)
#: An administrator of the city who may work on cases and approve them.
city_approver = user_fixture(
    "city_approver", "city", Role.UNIT_ADMIN, can_handle_cases=True, can_reveal=True
)
a_approver = user_fixture("a_approver", "county_a", Role.UNIT_ADMIN, can_handle_cases=True)


def open_case(actor, place, label="助学", **fields) -> Case:
    case = Case(
        organization=place.youth.organization,
        youth=place.youth,
        kind=kind(label),
        situation=fields.pop("situation", "家庭困难，学费无着落"),
        amount_requested=fields.pop("amount_requested", "2000.00"),
        **fields,
    )
    return cases.save_case(
        actor, case, sensitive={"address": ADDRESS, "family_situation": FAMILY, "health": HEALTH}
    )


@pytest.fixture
def case(a_care, people) -> Case:  # noqa: F811
    """A case for the minor at county A, just registered."""
    return open_case(a_care, people["county_a"])


def assess(actor, case: Case, consent_on: datetime.date = datetime.date(2026, 1, 2)) -> Case:
    """Submit the case and pass its assessment on (with the guardian's consent): it waits for
    approval."""
    transitions.transition(actor, case, "submit")
    case.refresh_from_db()
    case.assessment, case.plan = "属实", "资助"
    cases.save_case(actor, case)
    cases.record_consent(actor, case, by="程母", relation="母亲", on=consent_on)
    return transitions.transition(actor, case, "assess")


def close(case, a_care, city_approver, closed_on: datetime.date, disbursed="100") -> Case:
    """Take the case the whole way, and date its closing ``closed_on``."""
    assess(a_care, case)
    transitions.transition(city_approver, case, "approve")
    transitions.transition(a_care, case, "disburse", amount_disbursed=disbursed)
    entries.add_follow_up(a_care, case, FollowUp(date=datetime.date(2026, 2, 1), content="好"))
    transitions.transition(a_care, case, "close")
    Case.objects.filter(pk=case.pk).update(closed_on=closed_on)
    return case
