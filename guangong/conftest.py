"""Shared fixtures: a small organisation tree and the personas of CONVENTIONS.md.

The tree::

    新疆维吾尔自治区 (province, 650000)
    └── 伊犁哈萨克自治州 / 伊犁州 (city, 654000)            ← city_admin
        ├── 伊宁市 (county A, 654002)                       ← a_admin, a_clerk, a_viewer
        │   └── 墩买里街道 (township, 654002001000)
        │       └── 恒泰纺织有限公司 (private enterprise)
        └── 奎屯市 (county B, 654003)                       ← b_admin

No name is a substring of another, so "this name is not on the page" is a sound test for a leak.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import translation
from pytest_django.plugin import blocking_manager_key
from rest_framework.test import APIClient

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import PASSWORD, user_fixture
from guangong.core.tests.support import ROSTER_NAMES, Tree
from guangong.orgs.models import Kind, Position, PositionRole, Status
from guangong.orgs.tests.factories import OrganizationFactory, PositionFactory

# The browser helpers are imported by the browser test modules as well as loaded as their
# plugin: rewrite their asserts (for the messages) whichever comes first.
pytest.register_assert_rewrite("guangong.core.tests.browser")


def pytest_collection_modifyitems(config, items):
    """The API fuzz takes minutes: it runs only when ``-m`` names it (``make fuzz``), so
    ``pytest``, ``make test``, ``make unit`` and ``make browser`` leave it out."""
    if "fuzz" in (config.getoption("markexpr") or ""):
        return
    fuzz = [item for item in items if item.get_closest_marker("fuzz")]
    if fuzz:
        config.hook.pytest_deselected(items=fuzz)
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttling and other cached counters must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


# Migrations that seed rows every database starts with (the built-in dictionary items).
SEEDING_MIGRATIONS = (
    "guangong.dicts.migrations.0001_squashed_0004_care_items",
    "guangong.dicts.migrations.0002_info_kind",
    "guangong.dicts.migrations.0003_member_unit_and_meeting_kinds",
)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (a browser test, say) ends by emptying every table, seeded rows
    included; put the seeds back, so that the tests after it (in whatever order parallel
    workers run them) find the database as the migrations left it."""
    yield
    if nextitem is None or not _transactional(item):  # the last test: the database is gone
        return
    from django.apps import apps
    from django.db import connection

    from guangong.dicts.models import DictItem

    with item.config.stash[blocking_manager_key].unblock():
        if DictItem.objects.filter(seeded=True).exists():
            return
        editor = SimpleNamespace(connection=connection)
        for name in SEEDING_MIGRATIONS:
            importlib.import_module(name).seed(apps, editor)


#: The fixture tree, top down: key, the key of its parent, and the organisation's fields.
TREE = (
    (
        "province",
        None,
        {
            "name": "新疆维吾尔自治区",
            "short_name": "新疆",
            "kind": Kind.PROVINCE,
            "division_code": "650000",
            "status": Status.ESTABLISHED,
        },
    ),
    (
        "city",
        "province",
        {
            "name": "伊犁哈萨克自治州",
            "short_name": "伊犁州",
            "kind": Kind.CITY,
            "division_code": "654000",
            "status": Status.ESTABLISHED,
        },
    ),
    ("county_a", "city", {"name": "伊宁市", "kind": Kind.COUNTY, "division_code": "654002"}),
    ("county_b", "city", {"name": "奎屯市", "kind": Kind.COUNTY, "division_code": "654003"}),
    (
        "township",
        "county_a",
        {"name": "墩买里街道", "kind": Kind.TOWNSHIP, "division_code": "654002001000"},
    ),
    ("enterprise", "township", {"name": "恒泰纺织有限公司", "kind": Kind.PRIVATE_ENTERPRISE}),
)


@pytest.fixture
def tree(db) -> Tree:
    made = {}
    for key, parent, fields in TREE:
        made[key] = OrganizationFactory(parent=made.get(parent), **fields)
    return Tree(**made).refresh()


@pytest.fixture
def roster(tree) -> dict[str, Position]:
    """One current leadership member (a director) on every organisation of the tree."""
    return {
        key: PositionFactory(organization=tree[key], name=name, role=PositionRole.DIRECTOR)
        for key, name in ROSTER_NAMES.items()
    }


city_admin = user_fixture("city_admin", "city", Role.UNIT_ADMIN)
a_admin = user_fixture("a_admin", "county_a", Role.UNIT_ADMIN)
b_admin = user_fixture("b_admin", "county_b", Role.UNIT_ADMIN)
a_viewer = user_fixture("a_viewer", "county_a", Role.VIEWER)
a_clerk = user_fixture("a_clerk", "county_a", Role.CLERK)


@pytest.fixture
def personas(city_admin, a_admin, b_admin) -> dict:
    """The three personas, by the names the test matrices use."""
    return {"city": city_admin, "a": a_admin, "b": b_admin}


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder (returned)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english():
    """Messages are compared as written (the site itself speaks Chinese by default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def password() -> str:
    return PASSWORD


def login(client, user):
    """Log ``user`` in without a password round trip (the login page has its own tests)."""
    client.force_login(user)
    return client


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client, logged in as ``user``."""

    def _client_for(user):
        client.logout()
        return login(client, user)

    return _client_for


@pytest.fixture
def api_for(db):
    """``api_for(user)``: an API client holding a token obtained from POST /api/auth/token/."""

    def _api_for(user, password: str = PASSWORD) -> APIClient:
        api = APIClient()
        response = api.post(
            "/api/auth/token/", {"username": user.username, "password": password}, format="json"
        )
        assert response.status_code == 200, response.content
        api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return api

    return _api_for
