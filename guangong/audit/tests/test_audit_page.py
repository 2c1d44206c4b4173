"""The audit log page: each administrator reads the records of their own subtree only."""

import datetime

import pytest
from django.utils import timezone

from guangong.audit.models import Action, AuditLog
from guangong.audit.services import record
from guangong.core import context
from guangong.core.tests.support import (
    MATRIX,
    ORG_KEYS,
    PERSONAS,
    seen_keys,
    text,
    unseen_keys,
    xlsx_rows,
)


@pytest.fixture
def log(tree, personas):
    """One marked update record on each organisation of the tree, and a failed login of an
    unknown name (which belongs to no organisation)."""
    records = {}
    for key in ORG_KEYS:
        with context.bind(context.RequestContext(ip="10.0.0.1", request_id=f"req{key}")):
            records[key] = record(personas["city"], Action.UPDATE, tree[key], message=f"mark-{key}")
    records["nobody"] = record(None, Action.LOGIN_FAILED, None, org_path="", username="nobody")
    return records


def listed(response) -> list[AuditLog]:
    assert response.status_code == 200
    return list(response.context["filter"].qs)


def marks(rows) -> set[str]:
    return {r.message.removeprefix("mark-") for r in rows if r.message.startswith("mark-")}


@PERSONAS
def test_admin_reads_only_the_records_of_their_subtree(client_for, tree, personas, log, persona):
    user = personas[persona]

    rows = listed(client_for(user).get("/audit/"))

    assert marks(rows) == seen_keys(persona)
    assert all(r.org_path.startswith(user.organization.path) for r in rows)
    assert log["nobody"] not in rows
    html = text(client_for(user).get("/audit/"))
    for key in unseen_keys(persona):
        assert f"mark-{key}" not in html
        assert tree[key].name not in html


@PERSONAS
def test_audit_export_holds_only_the_subtree(client_for, tree, personas, log, persona):
    response = client_for(personas[persona]).get("/audit/", {"export": "xlsx"})

    cells = {str(c) for row in xlsx_rows(response) for c in row if c is not None}
    for key in ORG_KEYS:
        assert (f"mark-{key}" in cells) is (key in seen_keys(persona))


@MATRIX
def test_audit_record_is_seen_or_404(client_for, tree, personas, log, persona, key, seen):
    response = client_for(personas[persona]).get(f"/audit/{log[key].pk}/")

    assert response.status_code == (200 if seen else 404)
    if seen:
        assert tree[key].name in text(response)
    else:
        assert tree[key].name not in text(response)


@pytest.mark.parametrize("role_user", ["a_clerk", "a_viewer"])
def test_only_auditors_read_the_log(request, client_for, tree, log, role_user):
    client = client_for(request.getfixturevalue(role_user))

    assert client.get("/audit/").status_code == 403
    assert client.get(f"/audit/{log['county_a'].pk}/").status_code == 403
    assert client.get("/audit/", {"export": "xlsx"}).status_code == 403


# --- Filters --------------------------------------------------------------------------------


def test_filter_by_subtree(client_for, tree, city_admin, log):
    rows = listed(client_for(city_admin).get("/audit/", {"org": tree.county_a.pk}))

    assert marks(rows) == {"county_a", "township", "enterprise"}


def test_filter_by_a_subtree_outside_the_scope_finds_nothing(client_for, tree, a_admin, log):
    rows = listed(client_for(a_admin).get("/audit/", {"org": tree.county_b.pk}))

    assert rows == []


def test_filter_by_action_and_user(client_for, tree, city_admin, a_admin, password, log):
    client = client_for(city_admin)
    client.logout()
    client.post("/accounts/login/", {"username": "a_admin", "password": "wrong"})
    client.force_login(city_admin)

    failed = listed(client.get("/audit/", {"action": Action.LOGIN_FAILED}))
    by_user = listed(client.get("/audit/", {"username": "a_adm"}))

    assert [(r.action, r.username) for r in failed] == [(Action.LOGIN_FAILED, "a_admin")]
    assert by_user and all("a_adm" in r.username for r in by_user)


def test_filter_by_request_id_ip_and_object(client_for, tree, city_admin, log):
    client = client_for(city_admin)

    assert marks(listed(client.get("/audit/", {"request_id": "reqtownship"}))) == {"township"}
    assert marks(listed(client.get("/audit/", {"ip": "10.0.0.1"}))) == seen_keys("city")
    assert marks(listed(client.get("/audit/", {"object_repr": "奎屯"}))) == {"county_b"}


def test_filter_by_date(client_for, tree, city_admin, log):
    client = client_for(city_admin)
    today = timezone.localdate()
    AuditLog.objects.filter(pk=log["county_b"].pk).update(
        time=timezone.now() - datetime.timedelta(days=10)
    )

    recent = listed(client.get("/audit/", {"since": (today - datetime.timedelta(days=1))}))
    older = listed(client.get("/audit/", {"until": (today - datetime.timedelta(days=5))}))

    assert "county_b" not in marks(recent)
    assert "county_a" in marks(recent)
    assert marks(older) == {"county_b"}


def test_records_are_newest_first(client_for, tree, city_admin, log):
    rows = listed(client_for(city_admin).get("/audit/"))

    assert [r.pk for r in rows] == sorted((r.pk for r in rows), reverse=True)


def test_detail_shows_what_changed(client_for, tree, city_admin):
    from guangong.orgs import services

    services.update_organization(city_admin, tree.county_b, contact_person="王芳")
    entry = AuditLog.objects.get(action=Action.UPDATE)

    response = client_for(city_admin).get(f"/audit/{entry.pk}/")

    assert response.status_code == 200
    assert entry.changes == [("contact_person", "", "王芳")]
    assert "王芳" in text(response)
    assert "contact_person" in text(response)
