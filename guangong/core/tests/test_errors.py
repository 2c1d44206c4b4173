"""Error pages and answers: Chinese, with the request id, and independent of the database."""

import re
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, RequestFactory

from guangong.activities import services as activity_services
from guangong.core import errors
from guangong.dicts.models import DictItem, DictKind
from guangong.home import views as home_views
from guangong.people.tests.conftest import categories, people  # noqa: F401  (fixtures)

SMALL = 1000  # DATA_UPLOAD_MAX_MEMORY_SIZE in the size tests
BIG = "长" * SMALL  # 3000 bytes once encoded


def page(response) -> str:
    body = response.content.decode()
    assert 'data-testid="error-page"' in body
    assert response["X-Request-ID"] in body  # the id the user quotes is the one in our logs
    assert '<html lang="zh-hans">' in body
    return body


def api_error(response) -> dict:
    body = response.json()
    assert set(body) == {"detail", "request_id"}
    assert body["request_id"] == response["X-Request-ID"]
    assert re.search(r"[\u4e00-\u9fff]", body["detail"])  # Chinese
    return body


@pytest.fixture
def quiet_client(db):
    """A client that shows the 500 pages instead of raising the exception in the test."""
    return Client(raise_request_exception=False)


# --- 404 and 403 ----------------------------------------------------------------------------


def test_a_missing_page_is_a_chinese_404(client_for, a_admin):
    response = client_for(a_admin).get("/no-such-page/")

    assert response.status_code == 404
    assert "该页面不存在，或您无权查看。" in page(response)


def test_out_of_scope_and_non_existent_pages_read_the_same(client_for, tree, b_admin):
    client = client_for(b_admin)

    hidden = client.get(f"/orgs/{tree.county_a.pk}/")
    missing = client.get("/orgs/999999999/")

    assert hidden.status_code == missing.status_code == 404
    strip = lambda r: page(r).replace(r["X-Request-ID"], "")  # noqa: E731
    assert strip(hidden) == strip(missing)
    assert "伊宁" not in strip(hidden)


def test_a_refusal_is_a_chinese_403_saying_why(client_for, tree, a_viewer):
    response = client_for(a_viewer).get(f"/orgs/new/?parent={tree.county_a.pk}")

    assert response.status_code == 403
    assert "您没有执行此操作的权限。" in page(response)


def test_a_form_sent_without_its_csrf_token_gets_a_chinese_403(db):
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "a", "password": "b"}
    )

    assert response.status_code == 403
    assert "页面已过期，或无法核实提交来源。请刷新页面后重试。" in page(response)


def test_an_unparsable_request_is_a_chinese_400(client, db, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10

    response = client.post("/accounts/login/", {f"f{n}": "x" for n in range(20)})

    assert response.status_code == 400
    assert "无法处理此请求" in page(response)


# --- 413 ------------------------------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL


def assert_too_large(response) -> None:
    assert response.status_code == 413
    assert "提交的内容过大" in page(response)
    assert "Bad Request" not in response.content.decode()


@pytest.mark.parametrize("url", ["/accounts/login/", "/help/", "/help/status/"])
def test_an_oversized_public_form_gets_the_chinese_413(client, db, small_limit, url):
    response = client.post(
        url, f"description={BIG}", content_type="application/x-www-form-urlencoded"
    )

    assert_too_large(response)


def test_an_oversized_quick_entry_gets_the_chinese_413(client_for, tree, a_clerk, small_limit):
    client = client_for(a_clerk)

    as_urlencoded = client.post(
        "/activities/quick/", f"title={BIG}", content_type="application/x-www-form-urlencoded"
    )
    as_multipart = client.post("/activities/quick/", {"title": BIG})  # measured while parsed

    assert_too_large(as_urlencoded)
    assert_too_large(as_multipart)


def test_an_oversized_api_call_gets_a_json_413(api_for, tree, a_admin, small_limit):
    response = api_for(a_admin).post(
        "/api/orgs/", {"name": BIG, "parent": tree.county_a.pk}, format="json"
    )

    assert response.status_code == 413
    assert "提交的内容过大" in api_error(response)["detail"]


def test_a_body_within_the_limit_goes_through(client, db, small_limit):
    response = client.post("/accounts/login/", {"username": "nobody", "password": "x"})

    assert response.status_code == 200  # the form again, with its error


# --- API ------------------------------------------------------------------------------------


def test_an_unknown_api_address_is_a_json_404(api_for, tree, a_admin):
    response = api_for(a_admin).get("/api/no-such-endpoint/")

    assert response.status_code == 404
    api_error(response)


def test_api_errors_carry_the_request_id(api_for, tree, b_admin):
    response = api_for(b_admin).get(f"/api/orgs/{tree.county_a.pk}/")

    assert response.status_code == 404
    assert response.json()["request_id"] == response["X-Request-ID"]


# --- 500 and 503 ----------------------------------------------------------------------------


def boom(exc):
    def view(*args, **kwargs):
        raise exc

    return view


def test_an_unexpected_error_is_a_chinese_500(quiet_client, tree, a_admin, monkeypatch):
    quiet_client.force_login(a_admin)
    monkeypatch.setattr(home_views.HomeView, "get", boom(RuntimeError("bug")))

    response = quiet_client.get("/")

    assert response.status_code == 500
    body = page(response)
    assert "服务器出错" in body and "bug" not in body


def test_an_api_error_is_a_json_500(quiet_client, tree, api_for, a_admin, monkeypatch):
    from guangong.orgs.api import OrganizationViewSet

    monkeypatch.setattr(OrganizationViewSet, "list", boom(RuntimeError("bug")))
    api = api_for(a_admin)
    api.raise_request_exception = False

    response = api.get("/api/orgs/")

    assert response.status_code == 500
    assert "服务器出错" in api_error(response)["detail"]


@pytest.mark.parametrize("exc", [OperationalError("gone"), InterfaceError("closed")])
def test_a_view_meeting_a_database_outage_answers_503(client_for, tree, a_admin, monkeypatch, exc):
    monkeypatch.setattr(home_views.HomeView, "get", boom(exc))

    response = client_for(a_admin).get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "系统暂时无法连接数据库" in page(response)


def test_a_database_outage_before_the_view_answers_503(quiet_client, tree, a_admin):
    """The session is read by a middleware, before any view: handler500 answers for it."""
    quiet_client.force_login(a_admin)

    with mock.patch.object(SessionStore, "load", side_effect=OperationalError("gone")):
        response = quiet_client.get("/orgs/")

    assert response.status_code == 503
    assert "系统暂时无法连接数据库" in page(response)


def test_an_api_call_during_an_outage_is_a_json_503(api_for, tree, a_admin, monkeypatch):
    from guangong.orgs.api import OrganizationViewSet

    monkeypatch.setattr(OrganizationViewSet, "list", boom(OperationalError("gone")))

    response = api_for(a_admin).get("/api/orgs/")

    assert response.status_code == 503
    assert "数据库" in api_error(response)["detail"]


def test_the_error_pages_need_no_database(db):
    request = RequestFactory().get("/orgs/")
    request.request_id = "abc123"

    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        for status in errors.PAGES:
            response = errors.error_response(request, status)
            assert response.status_code == status
            assert "abc123" in response.content.decode()


# --- The quick entry keeps what was typed ---------------------------------------------------

TYPED = {
    "title": "重阳节敬老宣讲",
    "date": "2025-10-29",
    "place": "墩买里街道文化站",
    "participants": "85",
    "hours": "2.5",
}


def test_the_quick_entry_shows_what_was_typed_when_the_database_is_down(
    client_for,
    tree,
    people,  # noqa: F811
    a_clerk,
    monkeypatch,
):
    monkeypatch.setattr(activity_services, "save_activity", boom(OperationalError("gone")))
    client = client_for(a_clerk)
    talk = DictItem.objects.get(kind=DictKind.ACTIVITY_TYPE, label="主题宣讲")
    elder = people["county_a"].elder  # the hours are an elder's
    form = {**TYPED, "organization": tree.county_a.pk, "type": talk.pk, "elders": elder.pk}

    response = client.post("/activities/quick/", form)

    assert response.status_code == 503
    body = page(response)
    assert "您填写的内容没有保存" in body
    kept = re.search(r"<textarea[^>]*readonly[^>]*>(.*?)</textarea>", body, re.S).group(1)
    for value in TYPED.values():
        assert value in kept
    assert "标题：重阳节敬老宣讲" in kept and "参与人次：85" in kept


def quick_entry_during_outage(client, **extra):
    with mock.patch.object(SessionStore, "load", side_effect=OperationalError("gone")):
        return client.post("/activities/quick/", {**TYPED, **extra})


def test_typed_text_is_kept_only_for_a_form_of_our_own(tree, a_clerk):
    """Before the session is read (the database is down) the CSRF check still decides."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(a_clerk)
    client.get("/activities/quick/")  # the form, which sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    forged = quick_entry_during_outage(client)
    ours = quick_entry_during_outage(client, csrfmiddlewaretoken=token)

    assert forged.status_code == ours.status_code == 503
    assert TYPED["place"] not in forged.content.decode()
    assert TYPED["place"] in ours.content.decode()
