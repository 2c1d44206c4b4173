"""Schema-driven fuzzing of the whole REST API: no request may make the server fail (5xx).

Schemathesis reads the OpenAPI schema the app serves at ``/api/schema/`` and sends every
operation (reads and changes alike) the schema's examples and ``FUZZ_EXAMPLES`` generated
requests, valid and invalid, through the WSGI application in this process, over the small demo
region, as each persona below. For the city administrator it also sends the coverage phase: a
systematic set of boundary values, missing and wrongly typed fields for every parameter and
body field (deterministic and the bulk of the run, so once is enough). Path ids are drawn half
the time from real records, of the persona's subtree and of others, so requests reach the
serializers, services and scope checks rather than stopping at a 404.

Slow (minutes), so it runs only when ``-m`` selects it: ``make fuzz`` (``pytest -m fuzz``).
``FUZZ_EXAMPLES`` (default 25) sets the generated requests per operation and persona,
``FUZZ_SEED`` (default 20250713) the seed: the same seed sends the same requests.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import strategies as st

from guangong.accounts.models import User
from guangong.accounts.roles import Role
from guangong.accounts.services import issue_token
from guangong.accounts.tests.factories import UserFactory
from guangong.demo.loader import load

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("FUZZ_SEED", "20250713"))

#: Only server errors fail the run. The schema documents the success status of each operation
#: but not its 400/403/404 answers, so status-code conformance is not checked here.
CHECKS = ("not_a_server_error",)

#: The collections whose ``{id}`` path parameter is drawn from real records.
COLLECTIONS = (
    "activities cases dicts elders help-requests mentorships orgs positions report-forms "
    "reports teams youth".split()
)


def demo_user(username: str) -> Callable[[], User]:
    return lambda: User.objects.get(username=username)


def county_clerk() -> User:
    county_a = User.objects.get(username="demo-county-a").organization
    return UserFactory(username="fuzz-county-clerk", organization=county_a, role=Role.CLERK)


@dataclass(frozen=True)
class Persona:
    user: Callable[[], User]
    coverage: bool = False  # also run schemathesis' coverage phase


PERSONAS = {
    # The whole city, every verb but reveal, and care cases.
    "city-admin": Persona(demo_user("demo-city"), coverage=True),
    # Care cases of county A with the reveal verb (reveals, finds by ID number).
    "care-worker": Persona(demo_user("demo-care-a")),
    # County A, view and edit only: answers 403, and 404 for the other county's records.
    "county-clerk": Persona(county_clerk),
}


def token(user: User) -> str:
    return issue_token(user, "fuzz")[1]


def config(persona: Persona, key: str) -> schemathesis.config.SchemathesisConfig:
    return schemathesis.config.SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": f"Token {key}"},
            "generation": {"mode": "all", "max-examples": EXAMPLES, "database": "none"},
            "phases": {
                "coverage": {"enabled": persona.coverage},
                "stateful": {"enabled": False},
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )


@pytest.fixture
def wsgi_app():
    """The application as a server runs it (a 500 page, not an exception), inside the test's
    transaction: like Django's test client, keep the request signals from closing the
    connection that holds it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def record_ids(app, key: str) -> dict[str, list[int]]:
    """The first page of ids of each collection, as the city administrator lists them."""
    client = schemathesis.python.wsgi.get_client(app)
    ids = {}
    for name in COLLECTIONS:
        response = client.get(f"/api/{name}/", headers={"Authorization": f"Token {key}"})
        assert response.status_code == 200, (name, response.status_code)
        ids[name] = [row["id"] for row in response.json["results"]]
        assert ids[name], f"the demo region has no {name}"
    return ids


@pytest.fixture(params=list(PERSONAS))
def api_schema(request, wsgi_app):
    # schemathesis 4.32 names the running test after each operation through the node's
    # ``_nodeid``, which pytest 9.2 no longer has: give it one.
    request.node._nodeid = request.node.nodeid
    load("small", 1)
    persona = PERSONAS[request.param]
    key = token(persona.user())
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/",
        wsgi_app,
        config=config(persona, key),
        headers={"Authorization": f"Token {key}"},
    )
    ids = record_ids(wsgi_app, token(demo_user("demo-city")()))

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        collection = context.operation.path.split("/")[2]
        if not path_parameters or "id" not in path_parameters or collection not in ids:
            return st.just(path_parameters)
        real = st.sampled_from(ids[collection]).map(lambda pk: {**path_parameters, "id": pk})
        return st.one_of(st.just(path_parameters), real)

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_no_request_makes_the_server_fail(case):
    case.call_and_validate()
