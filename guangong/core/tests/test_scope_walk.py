"""Every URL of the project, as every persona: seen exactly when the policy says so, and out
of scope answering what a missing id answers.

The walk (``scope_walk``) places each URL pattern of ``get_resolver()``; this module builds one
world of data (one row of every model a URL names, owned at county A's township, and rows
that reach county B), and asks each placed URL, per app, as the city, county A, sibling
county B, a viewer at county A, a care worker at county A and an anonymous visitor:

- a page without arguments: anonymous → the login page (API: 401/403); a list or add page
  answers as the model's policy lets the role; no page names anything outside the scope;
- a URL naming a row: 200 (or the action's answer) exactly when the policy allows the persona
  the page's operation on the row; otherwise the same status and body as for an id that does
  not exist, and a POST there changes nothing and writes no audit row;
- a delete page, posted by the owner's side: exactly one audit row;
- an API list: exactly the ids the policy's ``instances`` gives.
"""

import datetime
import io
from collections import defaultdict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from guangong.accounts import services as account_services
from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.activities import services as activity_services
from guangong.activities.tests.conftest import record, types  # noqa: F401  (fixture)
from guangong.audit.models import AuditLog
from guangong.care import attachments as care_attachments
from guangong.care.services.entries import add_attachment
from guangong.care.tests.conftest import open_case
from guangong.core.resources import policy_for
from guangong.core.tests import scope_walk, scope_world
from guangong.core.tests.support import page_body, unseen_words
from guangong.dicts.models import DictItem, DictKind
from guangong.documents import services as document_services
from guangong.documents.docx_layout import TEMPLATE_DIR
from guangong.documents.models import Bulletin
from guangong.helpdesk.tests.conftest import make_request
from guangong.jobs.models import Job
from guangong.orgs.models import Kind, Organization, Status
from guangong.people.tests.conftest import (  # noqa: F401  (fixtures)
    a_revealer,
    categories,
    people,
)
from guangong.reporting.models import FormItem, FormRule, FormSection, ItemKind
from guangong.reporting.services import editing as report_editing
from guangong.reporting.services import filing as report_filing
from guangong.reporting.tests.conftest import new_form

Q1 = datetime.date(2026, 1, 1)
#: Who walks: key → (fixture user, persona of support.SEES for the leak check).
PERSONAS = ("city", "a", "b", "viewer", "care", "anonymous")
LEAK_PERSONA = {"city": "city", "a": "a", "b": "b", "viewer": "a", "care": "a"}


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


# --- The world ------------------------------------------------------------------------------


class World:
    """The rows of the walk, by model: the first owned at the township, the others reaching
    county B (read only) where the model's policy has reach."""

    def __init__(self):
        self.rows = defaultdict(list)
        self.values = {}
        #: Organisations a persona legitimately reads the name of outside their subtree: the
        #: other side of a row that reaches across (a co-organiser, a referring committee).
        self.shared = {"a": {"county_b"}, "b": {"township"}}

    def add(self, *rows):
        for row in rows:
            self.rows[row._meta.concrete_model].append(row)

    def row(self, model):
        rows = self.rows.get(model._meta.concrete_model)
        return rows[0] if rows else None


@pytest.fixture
def world(tree, roster, people, types, city_admin, media) -> World:  # noqa: F811
    Organization.objects.filter(
        pk__in=[tree.county_a.pk, tree.county_b.pk, tree.township.pk]
    ).update(status=Status.ESTABLISHED)
    tree.refresh()
    made = World()
    t_care = UserFactory(username="t_care", organization=tree.township, role=Role.CARE_WORKER)
    t_clerk = UserFactory(username="t_clerk", organization=tree.township, role=Role.CLERK)
    sysadmin = UserFactory(username="w_sys", organization=tree.city, role=Role.SYSTEM_ADMIN)
    made.sysadmin = sysadmin
    made.add(tree.township, roster["township"], t_clerk)
    made.add(account_services.issue_token(t_clerk, "walk")[0])
    place = people["township"]
    made.add(place.elder, place.youth, place.team, place.mentorship)

    # Activities: the township's, and one of the township co-organised by county B.
    activity = record(city_admin, tree.township, types["talk"], title="街道宣讲会")
    joint = record(
        city_admin,
        tree.township,
        types["talk"],
        title="街道奎屯联办",
        co_organizers=[tree.county_b],
    )
    record(city_admin, tree.county_b, types["training"], title="乙县技能讲座")
    made.add(activity, joint)
    upload = SimpleUploadedFile("照片.jpg", jpeg(), content_type="image/jpeg")
    made.add(activity_services.add_attachment(city_admin, activity, upload))

    # Care: a case of the township's young person, with an attachment; one at county B.
    case = open_case(t_care, place)
    made.add(case)
    checked = care_attachments.check(SimpleUploadedFile("证明.jpg", jpeg()))
    made.add(add_attachment(t_care, case, checked))
    b_care = UserFactory(username="b_care", organization=tree.county_b, role=Role.CARE_WORKER)
    open_case(b_care, people["county_b"])

    # Help desk: a request to the township, and one referred on to it from county B.
    made.add(make_request(tree.township))
    from guangong.helpdesk import services as helpdesk_services

    referred = make_request(tree.county_b, phone="13987654321", description="想申请助学。")
    helpdesk_services.refer(b_care, referred, tree.township)
    made.add(referred)

    # Dictionaries, jobs, the audit log.
    made.add(DictItem.objects.create(kind=DictKind.TEAM_KIND, label="书法社", order=60))
    made.add(
        Job.objects.create(
            user=t_care, organization=tree.township, kind="export:people.elder", status="done"
        )
    )

    # Reporting: a form of the township for its enterprises, one report.
    form = new_form(
        city_admin, tree.township, "街道企业季报", kinds=[Kind.PRIVATE_ENTERPRISE], due_days=10
    )
    section = report_editing.save_section(city_admin, FormSection(form=form, title="一、宣讲"))
    left, right = (
        report_editing.save_item(
            city_admin,
            FormItem(section=section, code=code, label=label, kind=ItemKind.INTEGER),
        )
        for code, label in (("A1", "宣讲场次"), ("A2", "受教育人次"))
    )
    rule = report_editing.save_rule(
        city_admin, FormRule(form=form, left=right, operator=">=", right=left, message="人次")
    )
    report = report_filing.open_report(city_admin, form, tree.enterprise, Q1)
    made.add(form, section, left, rule, report)
    made.values["start"] = Q1.isoformat()

    # Documents: a bulletin and its generated file, a summary, a template.
    bulletin = document_services.save_bulletin(
        city_admin,
        Bulletin(organization=tree.township, date=datetime.date(2025, 6, 30), title="街道简讯"),
    )
    made.add(bulletin, document_services.generate(city_admin, "bulletin", bulletin, "docx"))
    from guangong.core.periods import Period

    made.add(document_services.create_summary(city_admin, tree.township, Period.year(2025)))
    template = SimpleUploadedFile("简报.docx", (TEMPLATE_DIR / "bulletin.docx").read_bytes())
    made.add(
        document_services.upload_template(
            sysadmin, "bulletin", "街道简报", template, owner=tree.township
        )
    )
    made.add(AuditLog.objects.filter(org_path=tree.township.path).order_by("pk").first())

    # Statistics: the township's population (the denominator of its rates).
    from guangong.stats import services as stats_services
    from guangong.stats.models import Population

    made.add(
        stats_services.save_population(
            city_admin, Population(organization=tree.township, year=2025, count=900, source="年报")
        )
    )

    scope_world.add_modules(made, tree, city_admin, sysadmin, t_clerk, activity, jpeg)
    return made


@pytest.fixture
def walkers(world, tree, city_admin, a_admin, b_admin, a_viewer) -> dict:
    a_care = UserFactory(username="a_care", organization=tree.county_a, role=Role.CARE_WORKER)
    return {
        "city": city_admin,
        "a": a_admin,
        "b": b_admin,
        "viewer": a_viewer,
        "care": a_care,
        "anonymous": None,
    }


# --- The walk -------------------------------------------------------------------------------

ROUTES = [
    r
    for r in scope_walk.routes()
    if r.name not in scope_walk.EXCEPTIONS and not scope_walk.is_format_twin(r)
]
APPS = sorted({r.app for r in ROUTES})
LOGIN = "/accounts/login/"
#: Models whose list page shows users without ``read`` how many rows there are.
COUNTING_LISTS = {"care.Case", "helpdesk.HelpRequest"}


def test_every_url_pattern_is_placed():
    """A URL nobody placed fails here: give its arguments rows of the world, or declare it in
    scope_walk.EXCEPTIONS with the reason."""
    unplaced = []
    for route in ROUTES:
        for param in route.params:
            if (route.name, param) in scope_walk.VALUES:
                continue
            if scope_walk.arg_model(route, param) is None:
                unplaced.append(f"{route.pattern} ({route.name or 'unnamed'}): argument {param}")
    assert not unplaced, (
        "URL patterns the scope walk cannot place; map their arguments in "
        "core/tests/scope_walk.py (PK_MODEL, ARGUMENTS, VALUES) or declare them in its "
        "EXCEPTIONS with the reason:\n" + "\n".join(unplaced)
    )


def snapshot(row):
    return type(row)._base_manager.filter(pk=row.pk).values().first()


class Walk:
    def __init__(self, world: World, users: dict, tree):
        self.world, self.users, self.tree = world, users, tree
        self.pages, self.apis = {}, {}
        for key, user in users.items():
            self.pages[key] = Client()
            self.apis[key] = APIClient()
            if user is not None:
                self.pages[key].force_login(user)
                self.apis[key].force_authenticate(user)
        self.refused_deletes = []

    def client(self, route, persona):
        return (self.apis if route.api else self.pages)[persona]

    # -- Arguments -----------------------------------------------------------------------

    def kwargs(self, route, row, missing=False) -> dict:
        kwargs = {}
        for param in route.params:
            fixed = scope_walk.VALUES.get((route.name, param))
            if fixed is not None:
                kwargs[param] = self.world.values.get(fixed, fixed)
                continue
            model = scope_walk.arg_model(route, param)
            if missing:
                kwargs[param] = scope_walk.missing_id(model)
            elif param == "pk":
                kwargs[param] = row.pk
            else:
                other = self.world.row(model)
                assert other is not None, f"{route.pattern}: the world has no {model._meta.label}"
                kwargs[param] = other.pk
        return kwargs

    def url(self, route, kwargs) -> str:
        return reverse(route.name, kwargs={k: str(v) for k, v in kwargs.items()})

    # -- Checks --------------------------------------------------------------------------

    def assert_anonymous(self, route, response):
        where = f"{route.pattern} as an anonymous visitor"
        if route.api:
            assert response.status_code in (401, 403), where
        else:
            assert response.status_code == 302, where
            assert response["Location"].startswith(LOGIN), where

    def assert_no_leak(self, route, persona, response):
        if persona == "city" or getattr(response, "streaming", False):
            return
        body = response.content.decode(errors="replace")
        seen_as = LEAK_PERSONA[persona]
        shared = set()
        for key in self.world.shared.get(seen_as, ()):
            shared |= {self.tree[key].name, self.tree[key].short_name}
        words = unseen_words(self.tree, seen_as) - shared
        words |= self.people.unseen_words(seen_as)
        leaked = sorted(w for w in words if w and w in body)
        assert not leaked, f"{route.pattern} as {persona}: names outside the scope: {leaked}"

    def plain(self, route):
        url = reverse(route.name)
        for persona, user in self.users.items():
            client = self.client(route, persona)
            if route.actions and "get" not in route.actions:
                response = client.post(url, {}, format="json") if route.api else client.post(url)
            else:
                response = client.get(url)
            if user is None:
                self.assert_anonymous(route, response)
                continue
            where = f"{route.pattern} as {persona}"
            assert response.status_code < 500, where
            expected = self.expected_plain(route, user)
            if expected is not None:
                assert response.status_code == expected, f"{where}: {response.status_code}"
            if response.status_code == 200:
                self.assert_no_leak(route, persona, response)
            if route.viewset is not None and route.word == "list":
                self.api_list(route, user, response)

    def expected_plain(self, route, user):
        """A list or add page of a model answers as the model's policy lets the role."""
        if route.api:
            return None
        local = route.name.split(":", 1)[-1]
        for page, op in (("list", "read"), ("add", "write")):
            if local.endswith(f"_{page}"):
                model = scope_walk.pk_model(scope_walk.Route(route.pattern, route.name, ("pk",)))
                if model is not None:
                    policy = policy_for(model)
                    sees = policy.may(user, op)
                    if page == "list" and not sees:
                        # Some lists show how many rows there are (``count``); a user's own
                        # rows are listed to them.
                        counts = model._meta.label in COUNTING_LISTS
                        sees = bool(policy.own) or (counts and policy.may(user, "count"))
                    return 200 if sees else 403
        return None

    def persona_of(self, user):
        return next(k for k, u in self.users.items() if u == user)

    def api_list(self, route, user, response):
        model = route.viewset_model
        policy = policy_for(model)
        if not policy.may(user, "read") and model._meta.label in COUNTING_LISTS:
            data = response.json()
            if isinstance(data, dict) and "results" not in data:  # only how many
                assert not any("id" in v for v in data.values() if isinstance(v, dict))
                return
        expected = set(
            policy_for(model)
            .instances(user, "read", model._default_manager.all())
            .values_list("pk", flat=True)
        )
        listed = set()
        while True:
            data = response.json()
            paged = isinstance(data, dict) and "results" in data
            items = data["results"] if paged else data
            assert isinstance(items, list), f"{route.pattern}: not a list: {str(data)[:200]}"
            listed |= {item["id"] for item in items}
            if not paged or not data.get("next"):
                break
            response = self.client(route, self.persona_of(user)).get(data["next"])
        assert listed == expected, f"{route.pattern} as {user.username}"

    def with_row(self, route, row, reached: bool):
        scope_row = scope_walk.scope_of(row)
        policy = policy_for(type(scope_row))
        op = scope_walk.operation(route)
        url = self.url(route, self.kwargs(route, row))
        gone = self.url(route, self.kwargs(route, row, missing=True))
        for persona, user in self.users.items():
            client = self.client(route, persona)
            response, absent = client.get(url), client.get(gone)
            where = f"{route.pattern} ({route.name}) on {row._meta.label} as {persona}"
            if user is None:
                self.assert_anonymous(route, response)
                self.assert_anonymous(route, absent)
                continue
            assert response.status_code < 500, where
            # Acting on a row needs reading it first.
            reads = policy.allows(user, "read", scope_row)
            if reads and policy.allows(user, op, scope_row):
                assert response.status_code != 404, f"{where}: {response.status_code}"
                if scope_walk.shows_page(route):
                    assert response.status_code == 200, f"{where}: {response.status_code}"
                elif response.status_code == 403:
                    pass  # an action the row's state refuses (undo of an export, say)
                if not reached:
                    self.assert_no_leak(route, persona, response)
                continue
            if not reads:
                assert (response.status_code, page_body(response)) == (
                    absent.status_code,
                    page_body(absent),
                ), f"{where}: out of scope answers unlike a missing id"
            allowed = (404, 405) if policy.may(user, op) and not reads else (403, 404, 405)
            assert response.status_code in allowed, f"{where}: {response.status_code}"
            self.post_changes_nothing(route, persona, row, scope_row, url, gone, reads)

    def post_changes_nothing(self, route, persona, row, scope_row, url, gone, reads):
        client = self.client(route, persona)
        before = (snapshot(row), snapshot(scope_row), AuditLog.objects.count())
        kw = {"format": "json"} if route.api else {}
        response, absent = client.post(url, {}, **kw), client.post(gone, {}, **kw)
        where = f"POST {route.pattern} ({route.name}) as {persona}"
        # In scope, a body the action would refuse may be answered first (400).
        refusals = (403, 404, 405) if not reads else (400, 403, 404, 405)
        assert response.status_code in refusals, f"{where}: {response.status_code}"
        if not reads:
            assert (response.status_code, page_body(response)) == (
                absent.status_code,
                page_body(absent),
            ), f"{where}: out of scope answers unlike a missing id"
        after = (snapshot(row), snapshot(scope_row), AuditLog.objects.count())
        assert after == before, f"{where}: changed something or wrote an audit row"

    def delete(self, route, row):
        """The owner's side deletes: exactly one audit row when the row goes."""
        scope_row = scope_walk.scope_of(row)
        policy = policy_for(type(scope_row))
        actor = next((u for u in self.deleters if policy.allows(u, "write", scope_row)), None)
        assert actor is not None, f"{route.pattern}: nobody of county A or the city may delete"
        client = Client()
        client.force_login(actor)
        kwargs = self.kwargs(route, row)
        # The row that goes is the one the last id names (an attachment of an activity).
        last = [p for p in route.params if (route.name, p) not in scope_walk.VALUES][-1]
        model = scope_walk.arg_model(route, last)
        before = AuditLog.objects.count()
        response = client.post(self.url(route, kwargs))
        written = AuditLog.objects.count() - before
        if model._base_manager.filter(pk=kwargs[last]).exists():
            assert written == 0, f"{route.pattern}: refused, but wrote {written} audit rows"
            self.refused_deletes.append((route.name, response.status_code))
        else:
            assert written == 1, f"{route.pattern}: the delete wrote {written} audit rows"


@pytest.mark.parametrize("app", APPS)
def test_every_url_answers_as_the_policy_says(app, world, walkers, tree, people):  # noqa: F811
    walk = Walk(world, walkers, tree)
    walk.people = people
    deletes = []
    for route in (r for r in ROUTES if r.app == app):
        if not route.params:
            walk.plain(route)
            continue
        model = scope_walk.pk_model(route) if "pk" in route.params else None
        if model is None:
            model = scope_walk.arg_model(route, route.params[0])
        rows = world.rows.get(model._meta.concrete_model)
        assert rows, f"{route.pattern} ({route.name}): the world has no {model._meta.label}"
        if len([p for p in route.params if (route.name, p) not in scope_walk.VALUES]) > 1:
            rows = rows[:1]  # the other arguments name the first row's relatives
        for i, row in enumerate(rows):
            walk.with_row(route, row, reached=i > 0)
        if not route.api and route.word.endswith("_delete"):
            deletes.append((route, rows[0]))
    walk.deleters = [walkers["a"], walkers["care"], walkers["city"], world.sysadmin]
    # Last URL first: a row's pieces (an attachment, an item) and the rows that name others
    # (a mentorship names an elder) go before them.
    for route, row in reversed(deletes):
        walk.delete(route, row)
