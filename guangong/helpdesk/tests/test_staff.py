"""The care workers' side: the queue, a request's page and its actions, scoped and audited."""

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.audit.models import Action, AuditLog
from guangong.care.models import Case
from guangong.helpdesk import services
from guangong.helpdesk.models import HelpRequest, Status
from guangong.people.models import Youth

from .conftest import PHONE_A, PHONE_B, make_request

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_queue_shows_requests_in_scope_only(
    client_for, request_a, request_b, a_care, b_care, city_care
):
    for user, seen, unseen in (
        (a_care, {request_a}, {request_b}),
        (b_care, {request_b}, {request_a}),
        (city_care, {request_a, request_b}, set()),
    ):
        body = client_for(user).get("/helpdesk/").content.decode()
        assert all(r.code in body for r in seen), user
        assert not any(r.code in body for r in unseen), user
        for req in unseen:
            assert client_for(user).get(f"/helpdesk/{req.pk}/").status_code == 404


def test_the_queue_filters_by_status_and_kind(client_for, request_a, a_care):
    other = make_request(request_a.organization, phone=PHONE_B)
    services.close(a_care, other)
    client = client_for(a_care)
    body = client.get("/helpdesk/", {"status": "closed"}).content.decode()
    assert other.code in body and request_a.code not in body
    body = client.get("/helpdesk/", {"kind": request_a.kind_id, "status": "new"}).content.decode()
    assert request_a.code in body and other.code not in body


def test_without_the_care_verb_only_counts(client_for, request_a, a_admin):
    client = client_for(a_admin)
    response = client.get("/helpdesk/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="help-counts"' in body
    assert request_a.code not in body and "情绪低落" not in body
    assert client.get(f"/helpdesk/{request_a.pk}/").status_code in (403, 404)
    assert "nav-helpdesk" not in body


def test_the_menu_has_the_help_desk_for_care_workers(client_for, a_care):
    assert "网上求助" in client_for(a_care).get("/helpdesk/").content.decode()


def test_reply_public_and_internal(client_for, request_a, a_care):
    client = client_for(a_care)
    url = f"/helpdesk/{request_a.pk}/"
    client.post(url + "reply/", {"text": "先电话联系家长", "public": "0"})
    request_a.refresh_from_db()
    assert request_a.status == Status.IN_PROGRESS and request_a.assigned_to == a_care
    client.post(url + "reply/", {"text": "您好，已安排老师联系您。", "public": "1"})
    request_a.refresh_from_db()
    assert request_a.status == Status.REPLIED
    assert [r.public for r in request_a.replies.all()] == [False, True]
    assert AuditLog.objects.filter(object_id=str(request_a.pk), action=Action.UPDATE).count() == 2


def test_a_closed_request_takes_no_more_replies(client_for, request_a, a_care):
    services.close(a_care, request_a, "重复提交")
    response = client_for(a_care).post(
        f"/helpdesk/{request_a.pk}/reply/", {"text": "再回复", "public": "1"}, follow=True
    )
    assert "不能再办理" in response.content.decode()
    assert not request_a.replies.filter(public=True).exists()


def test_referral_moves_ownership_and_keeps_read_access(client_for, request_a, a_care, b_care):
    client = client_for(a_care)
    response = client.post(
        f"/helpdesk/{request_a.pk}/refer/", {"to_org": b_care.organization.pk, "note": "户籍在奎屯"}
    )
    assert response.status_code == 302
    request_a.refresh_from_db()
    assert request_a.organization == b_care.organization
    assert request_a.status == Status.REFERRED and request_a.assigned_to is None
    # The receiver owns it: it is in its queue, and it may act on it.
    assert request_a.code in client_for(b_care).get("/helpdesk/").content.decode()
    services.reply(b_care, request_a, "奎屯市关工委已接手。")
    # The referrer still reads it, but may no longer act on it.
    client = client_for(a_care)
    page = client.get(f"/helpdesk/{request_a.pk}/")
    assert page.status_code == 200
    assert 'data-testid="read-only"' in page.content.decode()
    assert 'data-testid="reply-form"' not in page.content.decode()
    assert request_a.code in client.get("/helpdesk/").content.decode()
    refused = client.post(f"/helpdesk/{request_a.pk}/reply/", {"text": "还想回复", "public": "1"})
    assert refused.status_code == 403
    assert not request_a.replies.filter(text="还想回复").exists()


def test_referral_outside_the_parent_scope_is_refused(request_a, a_care, places):
    with pytest.raises(Exception) as excinfo:
        services.refer(a_care, request_a, places.province)
    assert "只能转交" in str(excinfo.value) or "Refer it" in str(excinfo.value)
    request_a.refresh_from_db()
    assert request_a.organization == places.county_a


def test_convert_links_an_existing_youth_without_duplicating(client_for, request_a, a_care, people):
    youth = people["county_a"].youth
    before = Youth.objects.count()
    client = client_for(a_care)
    response = client.post(f"/helpdesk/{request_a.pk}/convert/", {"youth": youth.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    request_a.refresh_from_db()
    case = request_a.case
    assert request_a.status == Status.CONVERTED
    assert case.youth == youth and case.organization == request_a.organization
    assert case.kind == request_a.kind and case.situation == request_a.description
    assert Youth.objects.count() == before


def test_convert_refuses_a_new_record_of_someone_registered(client_for, places, a_care, people):
    youth = people["county_a"].youth
    req = make_request(places.county_a, phone=youth.guardian_phone)
    before = Youth.objects.count()
    client = client_for(a_care)
    suggested = client.get(f"/helpdesk/{req.pk}/convert/").content.decode()
    assert youth.name in suggested  # offered for linking, found by the requester's phone
    response = client.post(
        f"/helpdesk/{req.pk}/convert/",
        {
            "name": youth.name,
            "category": youth.category_id,
            "organization": places.county_a.pk,
        },
    )
    assert response.status_code == 400
    assert "请改为关联该记录" in response.content.decode()
    assert Youth.objects.count() == before and not Case.objects.exists()
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_convert_refuses_a_new_record_with_a_registered_id_number(request_a, a_care, people):
    place = people["county_a"]
    before = Youth.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError naming the match
        services.convert(
            a_care,
            request_a,
            new_youth=Youth(
                organization=place.youth.organization,
                name="另一个名字",
                category=place.youth.category,
            ),
            id_number=place.youth_id,
        )
    assert Youth.objects.count() == before and not Case.objects.exists()


def convert_to_new(client, req, people, places, **fields):
    """Post the conversion of ``req`` into a new young person of county A named 周小北."""
    return client.post(
        f"/helpdesk/{req.pk}/convert/",
        {
            "name": "周小北",
            "category": people["county_a"].youth.category_id,
            "organization": places.county_a.pk,
            **fields,
        },
    )


def test_a_new_youth_without_id_number_needs_sex_and_birth_date(
    client_for, request_a, a_care, people, places
):
    before = Youth.objects.count()
    response = convert_to_new(client_for(a_care), request_a, people, places)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"sex", "birth_date"}
    assert Youth.objects.count() == before and not Case.objects.exists()


def test_convert_registers_a_new_youth(client_for, request_a, a_care, people, places):
    before = Youth.objects.count()
    response = convert_to_new(
        client_for(a_care),
        request_a,
        people,
        places,
        sex="M",
        birth_date="2012-05-01",
        guardian_name="周母",
        guardian_phone=PHONE_A,
    )
    assert response.status_code == 302
    assert Youth.objects.count() == before + 1
    request_a.refresh_from_db()
    assert request_a.case.youth.name == "周小北"


def test_out_of_scope_youth_cannot_be_linked(client_for, request_a, a_care, people):
    response = client_for(a_care).post(
        f"/helpdesk/{request_a.pk}/convert/", {"youth": people["county_b"].youth.pk}
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_the_phone_is_masked_until_an_audited_reveal(client_for, request_a, a_care):
    client = client_for(a_care)
    body = client.get(f"/helpdesk/{request_a.pk}/").content.decode()
    assert PHONE_A not in body and request_a.phone_masked in body
    response = client.post(f"/helpdesk/{request_a.pk}/reveal/", {"reason": "电话回访"})
    assert PHONE_A in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    log = AuditLog.objects.get(action=Action.REVEAL, user=a_care)
    assert "电话回访" in log.message and PHONE_A not in log.message


def test_reveal_without_the_verb_is_refused(client_for, request_a, places):
    worker = UserFactory(
        username="a_no_reveal",
        organization=places.county_a,
        role=Role.UNIT_ADMIN,
        can_handle_cases=True,
    )
    response = client_for(worker).post(f"/helpdesk/{request_a.pk}/reveal/", {"reason": "看看"})
    assert response.status_code == 403
    assert PHONE_A not in response.content.decode()
    assert not AuditLog.objects.filter(action=Action.REVEAL).exists()


def test_markup_is_text_on_staff_pages(client_for, places, a_care):
    req = make_request(places.county_a, description=XSS, requester_name="<b>x</b>")
    services.reply(a_care, req, XSS, public=False)
    client = client_for(a_care)
    for url in ("/helpdesk/", f"/helpdesk/{req.pk}/", f"/helpdesk/{req.pk}/convert/"):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body and "<b>x</b>" not in body
    body = client.get(f"/helpdesk/{req.pk}/").content.decode()
    assert "&lt;script&gt;" in body


def test_every_status_change_is_audited(request_a, a_care, b_care):
    services.assign(a_care, request_a)
    services.refer(a_care, request_a, b_care.organization)
    services.close(b_care, HelpRequest.objects.get(pk=request_a.pk), "已电话解决")
    statuses = [
        log.after["status"]
        for log in AuditLog.objects.filter(object_id=str(request_a.pk)).order_by("pk")
    ]
    assert statuses == ["new", "in_progress", "referred", "closed"]
