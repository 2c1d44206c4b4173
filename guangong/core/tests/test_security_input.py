"""What arrives from users, checked once for every app: ids past 64 bits are "not found" or a
form error (never a 500), every date a user enters has a plausible range, and only our own
pages are linked."""

import datetime
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLResolver, get_resolver
from django.utils import translation

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import user_fixture
from guangong.core import dates
from guangong.core.ids import MAX_ID, parse_id, parse_ids
from guangong.core.links import own_page
from guangong.core.validators import DateRangeValidator

#: Past a 64-bit id: one that fits a Python int only, and one of 20 digits.
HUGE = [str(2**64), "99999999999999999999"]
#: Digits to str.isdigit() that int() refuses, or reads as another script's number.
NOT_ASCII = ["²", "٣"]


#: Every verb, and the city's subtree: every page and endpoint answers it.
admin = user_fixture(
    "sec_admin",
    "city",
    Role.SYSTEM_ADMIN,
    name="admin",
    is_superuser=True,
    can_reveal=True,
    can_handle_cases=True,
)


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    client.raise_request_exception = False  # a 500 is an answer to assert on, not an error
    return client


# --- Ids --------------------------------------------------------------------------------------


def test_parse_id():
    assert parse_id("42") == parse_id(42) == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    for bad in (*HUGE, str(MAX_ID + 1), "0", "-1", "", None, "4 2", " 42", "٤٢", "²", "1e3", True):
        assert parse_id(bad) is None, bad
    assert parse_ids(["3", HUGE[0], "x", "3", "5"], limit=2) == [3, 5]


def _routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def id_routes() -> list[str]:
    """Every page and endpoint that takes an id in its path, with ``{id}`` for the id."""
    out = set()
    for route in _routes():
        route = route.replace("^", "").replace("$", "").replace("\\.(?P<format>[a-z0-9]+)/?", "")
        if "<int:" not in route and "(?P<pk>" not in route:
            continue
        route = re.sub(r"<int:\w+>|\(\?P<pk>[^)]*\)", "{id}", route)
        route = re.sub(r"<str:\w+>", "2026-01-01", route)
        if "<" in route or "(?P" in route:
            continue
        out.add("/" + route.rstrip("/") + "/")
    return sorted(out)


@pytest.mark.parametrize("route", id_routes())
def test_no_id_in_a_path_answers_500(as_admin, route):
    for value in HUGE:
        url = route.replace("{id}", value)
        assert as_admin.get(url).status_code in (301, 302, 403, 404, 405), url
        assert as_admin.post(url).status_code in (301, 302, 400, 403, 404, 405), url


#: Pages and endpoints that read ids from the query string; ``{n}`` is the huge id.
QUERIES = [
    "/activities/org-choices/?keep=co&co={n}",
    "/people/elders/choices/?keep=members&members={n}",
    "/people/youth/choices/?keep=youths&youths={n}",
    "/documents/activities/choices/?keep=s0-act&s0-act={n}",
    "/orgs/tree/?node={n}",
    "/orgs/tree/?org={n}",
    "/orgs/choices/?exclude_subtree={n}",
    "/orgs/new/?parent={n}",
    "/orgs/coverage/?org={n}",
    "/orgs/?parent={n}",
    "/people/elders/?org={n}",
    "/activities/?org={n}&type={n}&audience={n}",
    "/care/?org={n}&kind={n}&care_worker={n}",
    "/care/new/?youth={n}",
    "/care/new/?org={n}",
    "/activities/?saved={n}",
    "/activities/new/?saved={n}",
    "/people/youth/?org={n}",
    "/reports/file/1/2026-01-01/?org={n}",
    "/documents/?org={n}",
    "/documents/summaries/?org={n}",
    "/helpdesk/?kind={n}",
    "/stats/?org={n}",
    "/stats/completeness/?org={n}",
    "/reports/overdue/?org={n}",
    "/reports/?org={n}",
    "/people/mentorships/new/?elder={n}&youth={n}",
    "/api/orgs/?parent={n}&subtree={n}",
    "/api/activities/?organization={n}&type={n}",
    "/api/elders/?organization={n}",
    "/api/cases/?organization={n}",
    "/api/stats/summary/?org={n}",
    "/api/reports/?organization={n}&form={n}",
    "/api/report-forms/1/totals/?organization={n}&period_start=2026-01-01",
]


@pytest.mark.parametrize("url", QUERIES)
def test_no_id_in_a_query_string_answers_500(as_admin, url):
    for value in HUGE + NOT_ASCII:
        response = as_admin.get(url.format(n=value))
        assert response.status_code < 500, (url, value)


def _posts(tree, value):
    """Forms and API bodies that carry ids, each id replaced by ``value``."""
    many = [value, value[:-1]]  # two of them: the multiple choices
    return [
        ("/activities/quick/", {"organization": value, "type": value, "elders": many}),
        (
            "/activities/new/",
            {
                "organization": tree.county_a.pk,
                "teams": many,
                "youths": many,
                "co_organizers": many,
                "audience": value,
                "elders-TOTAL_FORMS": "0",
                "elders-INITIAL_FORMS": "0",
            },
        ),
        ("/people/teams/new/", {"organization": value, "leader": value, "members": many}),
        (
            "/people/elders/new/",
            {"organization": value, "name": "某", "categories": many, "specialities": many},
        ),
        (
            "/people/mentorships/new/",
            {"organization": value, "elder": value, "youth": value, "goals": many},
        ),
        ("/people/duplicates/merge/", {"kind": "elder", "first": value, "second": value}),
        ("/people/duplicates/dismiss/", {"kind": "youth", "first": value, "second": value}),
        (
            "/care/new/",
            {"organization": value, "youth": value, "kind": value, "care_worker": value},
        ),
        ("/orgs/new/", {"parent": value, "name": "某", "kind": "agency"}),
        (
            "/documents/bulletins/new/",
            {"organization": value, "sections": "1", "s0-act": many, "op": "save"},
        ),
        ("/documents/summaries/new/", {"organization": value, "period": "year"}),
        ("/helpdesk/", {"kind": value}),
        ("/accounts/users/new/", {"organization": value, "username": "x"}),
    ]


def _api_posts(tree, value):
    number = int(value)
    return [
        ("/api/activities/", {"organization": number, "teams": [number], "co_organizers": [value]}),
        ("/api/teams/", {"organization": value, "members": [number], "leader": number}),
        ("/api/elders/", {"organization": number, "categories": [number], "name": "某"}),
        ("/api/mentorships/", {"organization": number, "elder": number, "youth": value}),
        ("/api/positions/", {"organization": number, "name": "某", "role": "director"}),
        ("/api/orgs/", {"parent": number, "name": "某", "kind": "agency"}),
        ("/api/cases/", {"organization": number, "youth": number, "care_worker": number}),
        (
            "/api/reports/open/",
            {"form": number, "organization": number, "period_start": "2026-01-01"},
        ),
        ("/api/dicts/", {"kind": "activity_type", "label": "某", "parent": number}),
    ]


def test_no_id_in_a_form_answers_500(as_admin, tree):
    for value in HUGE + NOT_ASCII:
        for url, data in _posts(tree, value):
            response = as_admin.post(url, data)
            assert response.status_code < 500, (url, value)


def test_no_id_in_an_api_body_answers_500(as_admin, tree):
    for value in HUGE:
        for url, body in _api_posts(tree, value):
            response = as_admin.post(url, body, content_type="application/json")
            assert response.status_code in (400, 404), (url, value, response.status_code)


def test_a_huge_id_is_an_invalid_choice_in_chinese(as_admin, tree):
    with translation.override("zh-hans"):
        response = as_admin.post(
            "/people/teams/new/",
            {"organization": tree.county_a.pk, "name": "宣讲团", "members": [HUGE[0]]},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )

    assert response.status_code == 400
    assert response.context["form"].errors["members"] == ["请选择您权限范围内的人员。"]


def test_the_help_desk_question_takes_only_ascii_digits():
    from guangong.helpdesk import protection

    token = protection.issue(issued_at=1000.0)
    with pytest.raises(protection.ChallengeError) as caught:
        protection.verify(token, "²", "", now=1060.0)
    assert caught.value.reason == "wrong_answer"


# --- Dates ------------------------------------------------------------------------------------

#: Dates no user types: derived months and days of the statistics, and the document pages'
#: dates, which their forms bound (documents.forms).
NOT_TYPED = {
    ("activities", "ActivityMonth", "month"),
    ("activities", "EngagedElders", "month"),
    ("activities", "ActivityDay", "date"),
    ("activities", "EngagedEldersDay", "date"),
    ("documents", "Bulletin", "date"),
    ("documents", "WorkSummary", "period_start"),
    ("documents", "WorkSummary", "period_end"),
}


def test_every_date_a_user_enters_has_a_plausible_range():
    unbounded = []
    for model in apps.get_models():
        if not model.__module__.startswith("guangong."):
            continue
        for field in model._meta.concrete_fields:
            if type(field) is not models.DateField and not isinstance(field, models.DateField):
                continue
            if isinstance(field, models.DateTimeField):
                continue
            key = (model._meta.app_label, model.__name__, field.name)
            if key in NOT_TYPED:
                continue
            if not any(isinstance(v, DateRangeValidator) for v in field.validators):
                unbounded.append(key)
    assert unbounded == []


def test_the_range_message_is_chinese_and_the_ends_are_included():
    validator = dates.WORK.validator
    validator(datetime.date(2000, 1, 1))
    validator(dates.today())
    with translation.override("zh-hans"), pytest.raises(Exception) as caught:
        validator(datetime.date(1999, 12, 31))
    message = caught.value.messages[0]
    assert message.startswith("请填写2000年1月1日至") and message.endswith("之间的日期。")


@pytest.mark.parametrize(
    "data",
    [
        {"period": "range", "start": "9999-12-01", "end": "9999-12-31"},
        {"period": "range", "start": "0001-01-01", "end": "0001-12-31"},
    ],
)
def test_the_summary_period_refuses_extreme_dates(as_admin, tree, data):
    response = as_admin.post(
        "/documents/summaries/new/",
        {"organization": tree.county_a.pk, **data},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code in (200, 400)
    assert "2000年1月1日" in response.content.decode()


def test_the_help_desk_conversion_bounds_the_birth_date():
    from guangong.helpdesk.forms import ConvertForm

    field = ConvertForm.base_fields["birth_date"]
    with pytest.raises(Exception):  # noqa: B017, PT011 - Django's ValidationError
        field.clean("1899-12-31")
    assert field.clean("1950-01-01") == datetime.date(1950, 1, 1)


# --- Links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["\\evil", "/\\evil.example/", "//evil", "https://evil", "javascript:alert(1)", "/orgs/?a=1"],
)
def test_own_page_refuses_what_is_not_a_path_of_ours(raw):
    assert own_page(raw) is None


def test_own_page_gives_the_path_back_rebuilt():
    assert own_page("/orgs/") == "/orgs/"
    assert own_page("/orgs/12/") == "/orgs/12/"
    assert own_page("/nowhere/") is None
