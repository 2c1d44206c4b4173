"""Loading the demo region into an empty database: the commands, and the same region for a
seed. (The tests that read one loaded region are in test_demo.py, which shares one load.)"""

import datetime

import pytest

from guangong.accounts.models import User
from guangong.audit.models import AuditLog
from guangong.demo.accounts import DEMO_PASSWORD
from guangong.demo.loader import load
from guangong.demo.tests.shared import picture, row_counts, run, snapshot
from guangong.orgs.models import (
    Organization,
    Position,
)

pytestmark = pytest.mark.django_db


def test_same_seed_gives_the_same_region_and_another_seed_another():
    """Every module's demo rows: a reload with reset replaces them all, the same for a seed
    (organisations, roster, people, ledger, cases, reports, meetings…), other for another."""
    load("small", 3)
    first, counts = picture(), row_counts()
    assert all(first.values()), [name for name, rows in first.items() if not rows]
    load("small", 3, reset=True)
    assert row_counts() == counts
    for name, rows in picture().items():
        assert rows == first[name], name
    load("small", 4, reset=True)
    other = picture()
    for name in ("organisations", "people", "ledger", "cases"):
        assert other[name] != first[name], name


def test_if_empty_is_a_no_op_the_second_time():
    run("demo", "--scale", "small", "--seed", "3", "--if-empty")
    before = snapshot()
    users = User.objects.count()
    out = run("demo", "--scale", "small", "--seed", "4", "--if-empty")
    assert "not loaded" in out
    assert snapshot() == before
    assert User.objects.count() == users
    assert AuditLog.objects.count() == 1


def test_demo_accounts_command():
    assert "no demo accounts" in run("demo_accounts")
    load("small", 1)
    out = run("demo_accounts")
    for username in ("demo-city", "demo-county-a", "demo-town-a", "demo-unit-a", "demo-care-a"):
        assert username in out
    assert DEMO_PASSWORD in out and "伊犁哈萨克自治州" in out and "伊宁市" in out


def test_dates_are_fixed_for_a_seed_and_never_in_the_future():
    early = datetime.date(2024, 1, 1)
    result = load("small", 5, today=early)
    assert result.organizations == Organization.objects.count()
    assert not Organization.objects.filter(established_on__gt=early).exists()
    assert not Organization.objects.filter(status_since__gt=early).exists()
    assert not Position.objects.filter(start_date__gt=early).exists()
