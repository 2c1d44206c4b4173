"""Notices: numbering, issuing to recipients, read receipts, feedback, reminders, to-do, and
their scope (out of scope answers like absent)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from guangong.audit.models import AuditLog
from guangong.core import dates
from guangong.home.todo import Todo
from guangong.notices.models import Audience, Notice, Receipt, Reminder
from guangong.notices.services import notices as services

from .conftest import draft, make_notice

pytestmark = pytest.mark.django_db


def test_issue_numbers_per_prefix_and_year_and_fixes_recipients(tree, city_admin):
    first = draft(city_admin, tree.city, prefix="鸡关联字", audience=Audience.CHILDREN)
    services.issue(city_admin, first)
    second = draft(city_admin, tree.city, prefix="鸡关联字", audience=Audience.SUBTREE)
    services.issue(city_admin, second)
    other = draft(city_admin, tree.city, prefix="鸡关发", audience=Audience.CHILDREN)
    services.issue(city_admin, other)
    first.refresh_from_db(), second.refresh_from_db(), other.refresh_from_db()
    year = dates.today().year
    assert first.doc_number == f"鸡关联字〔{year}〕1号"
    assert second.doc_number == f"鸡关联字〔{year}〕2号"
    assert other.doc_number == f"鸡关发〔{year}〕1号"
    assert set(first.receipts.values_list("organization", flat=True)) == {
        tree.county_a.pk,
        tree.county_b.pk,
    }
    assert second.receipts.count() == 4  # two counties, the township, the enterprise


def test_a_number_taken_is_refused_with_the_next_offered(tree, city_admin):
    services.issue(city_admin, draft(city_admin, tree.city, prefix="鸡关联字", number=1))
    with pytest.raises(ValidationError) as refused:
        draft(city_admin, tree.city, prefix="鸡关联字", number=1)
    assert "2" in str(refused.value)


def test_kinds_and_chosen_audiences(tree, city_admin):
    by_kind = draft(city_admin, tree.city, audience=Audience.KINDS, audience_kinds=["township"])
    services.issue(city_admin, by_kind)
    assert list(by_kind.receipts.values_list("organization", flat=True)) == [tree.township.pk]
    chosen = draft(city_admin, tree.city, audience=Audience.CHOSEN, chosen=[tree.enterprise])
    services.issue(city_admin, chosen)
    assert list(chosen.receipts.values_list("organization", flat=True)) == [tree.enterprise.pk]


def test_chosen_outside_the_issuer_is_refused(tree, a_admin):
    with pytest.raises(ValidationError):
        draft(a_admin, tree.county_a, audience=Audience.CHOSEN, chosen=[tree.city])


def test_over_long_text_and_missing_due_date_refused(tree, city_admin, english):
    with pytest.raises(ValidationError) as refused:
        draft(city_admin, tree.city, title="长" * 201)
    assert "At most 200 characters" in str(refused.value)
    with pytest.raises(ValidationError):
        draft(city_admin, tree.city, feedback_due=None)
    with pytest.raises(ValidationError):
        draft(city_admin, tree.city, feedback_due=datetime.date(1990, 1, 1))


def test_an_issued_notice_cannot_change(tree, city_admin):
    notice, _receipt = make_notice(city_admin, tree.city)
    notice.title = "改"
    with pytest.raises(Exception):  # noqa: B017  (404: the rule; or the refusal)
        services.save_notice(city_admin, notice)


def test_first_open_records_the_read_receipt_once(tree, city_admin, a_admin, client_for):
    notice, _receipt = make_notice(city_admin, tree.city, audience=Audience.CHILDREN)
    client = client_for(a_admin)
    before = AuditLog.objects.count()
    assert client.get(notice.get_absolute_url()).status_code == 200
    receipt = Receipt.objects.get(notice=notice, organization=tree.county_a)
    first = receipt.read_at
    assert first is not None and receipt.read_by == a_admin
    assert AuditLog.objects.count() == before + 1
    client.get(notice.get_absolute_url())
    receipt.refresh_from_db()
    assert receipt.read_at == first
    assert AuditLog.objects.count() == before + 1


def test_feedback_with_figures_and_bad_figures(tree, city_admin, a_admin, english):
    notice, _r = make_notice(city_admin, tree.city, audience=Audience.CHILDREN)
    receipt = Receipt.objects.get(notice=notice, organization=tree.county_a)
    services.file_feedback(a_admin, receipt, "已落实九个方面要求。", "建立关工委：19\n五老人数：5")
    receipt.refresh_from_db()
    assert receipt.figures == {"建立关工委": 19, "五老人数": 5}
    assert receipt.answered_at is not None
    with pytest.raises(ValidationError) as refused:
        services.file_feedback(a_admin, receipt, "x", "人数：很多")
    assert "not a number" in str(refused.value)
    with pytest.raises(ValidationError):
        services.file_feedback(a_admin, receipt, "长" * 5001)


def test_remind_reaches_only_those_waiting_and_shows_in_their_todo(
    tree, city_admin, a_admin, b_admin
):
    notice, _r = make_notice(city_admin, tree.city, audience=Audience.CHILDREN)
    answered = Receipt.objects.get(notice=notice, organization=tree.county_a)
    services.file_feedback(a_admin, answered, "已完成")
    assert services.remind(city_admin, notice) == 1
    waiting = Receipt.objects.get(notice=notice, organization=tree.county_b)
    assert Reminder.objects.filter(receipt=waiting).count() == 1
    items = [i for i in Todo(b_admin).items() if i.kind == "notices"]
    assert len(items) == 1 and "催办" in items[0].note or "Reminded" in items[0].note
    assert not [i for i in Todo(a_admin).items() if i.kind == "notices"]


def test_scope_of_notices_and_feedback(tree, city_admin, a_admin, b_admin, client_for):
    notice, _r = make_notice(city_admin, tree.county_a, audience=Audience.CHILDREN)
    receipt = Receipt.objects.get(notice=notice)  # the township's
    client = client_for(b_admin)
    missing = client.get("/notices/999999/")
    assert client.get(notice.get_absolute_url()).status_code == missing.status_code == 404
    assert client.get(receipt.get_absolute_url()).status_code == 404
    assert client.get(f"/notices/{notice.pk}/receipts/").status_code == 404
    client = client_for(a_admin)
    assert client.get(receipt.get_absolute_url()).status_code == 200
    # The recipient's side reads the notice, beyond the issuer's subtree.
    city_notice, _r = make_notice(city_admin, tree.city, audience=Audience.CHILDREN)
    assert client.get(city_notice.get_absolute_url()).status_code == 200
    assert Notice.objects.visible_to(b_admin).filter(pk=notice.pk).count() == 0


def test_receipts_page_filters_and_exports(tree, city_admin, a_admin, client_for):
    notice, _r = make_notice(city_admin, tree.city, audience=Audience.CHILDREN)
    client_for(a_admin).get(notice.get_absolute_url())
    client = client_for(city_admin)
    page = client.get(f"/notices/{notice.pk}/receipts/?state=unread")
    body = page.content.decode()
    assert tree.county_b.name in body and tree.county_a.name not in body
    export = client.get(f"/notices/{notice.pk}/receipts/?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_api_create_issue_receipts_and_bad_input(tree, city_admin, b_admin, api_for):
    api = api_for(city_admin)
    payload = {
        "organization": tree.city.pk,
        "prefix": "鸡关联字",
        "year": dates.today().year,
        "title": "关于印发工作要点的通知",
        "body": "各县市关工委：……",
        "audience": "children",
        "feedback_required": True,
        "feedback_due": (dates.today() + datetime.timedelta(days=10)).isoformat(),
        "issue": True,
    }
    made = api.post("/api/notices/", payload, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["doc_number"].endswith("1号")
    receipts = api.get(f"/api/notices/{made.json()['id']}/receipts/")
    assert receipts.status_code == 200
    assert len(receipts.json()["results"]) == 2
    bad = api.post("/api/notices/", {**payload, "title": "长" * 300}, format="json")
    assert bad.status_code == 400
    bad = api.post("/api/notices/", {**payload, "feedback_due": "2999-01-01"}, format="json")
    assert bad.status_code == 400
    bad = api.post(
        "/api/notices/", {**payload, "organization": 99999999999999999999}, format="json"
    )
    assert bad.status_code == 400
    other = api_for(b_admin)
    assert other.get(f"/api/notices/{made.json()['id']}/receipts/").status_code == 200
    assert len(other.get(f"/api/notices/{made.json()['id']}/receipts/").json()["results"]) == 1
