"""Information items: sent to the parent, adopted, returned with a reason, forwarded up,
put into a bulletin; the adoption statistics; scope and bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from guangong.core import dates
from guangong.documents.models import Bulletin
from guangong.documents.services import save_bulletin
from guangong.home.todo import Todo
from guangong.notices.models import ItemStatus
from guangong.notices.services import items as services
from guangong.notices.stats import adoption

from .conftest import make_item

pytestmark = pytest.mark.django_db


def test_an_item_goes_to_the_parent_and_is_adopted(tree, t_admin, a_admin, kinds):
    item = make_item(t_admin, tree.township)
    assert item.handler == tree.county_a and item.status == ItemStatus.PENDING
    assert [i.kind for i in Todo(a_admin).items() if i.kind == "info_items"] == ["info_items"]
    services.accept(a_admin, item)
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED and item.adopted_by == tree.county_a
    assert not [i for i in Todo(a_admin).items() if i.kind == "info_items"]


def test_return_needs_a_reason_and_the_sender_sends_again(tree, t_admin, a_admin, kinds):
    item = make_item(t_admin, tree.township)
    with pytest.raises(ValidationError):
        services.return_item(a_admin, item, "  ")
    services.return_item(a_admin, item, "请补充活动照片")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED and item.reason == "请补充活动照片"
    item.text += "\n补充说明。"
    services.save_item(t_admin, item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING and item.reason == ""


def test_forwarded_the_grandparent_decides(tree, t_admin, a_admin, city_admin, kinds):
    item = make_item(t_admin, tree.township)
    services.forward(a_admin, item)
    item.refresh_from_db()
    assert item.handler == tree.city and item.status == ItemStatus.FORWARDED
    with pytest.raises(Exception):  # noqa: B017  (no longer county A's to decide)
        services.accept(a_admin, item)
    services.accept(city_admin, item)
    item.refresh_from_db()
    assert item.adopted_by == tree.city


def test_the_sender_cannot_decide_its_own_item(tree, t_admin, kinds, client_for):
    item = make_item(t_admin, tree.township)
    response = client_for(t_admin).post(f"/notices/items/{item.pk}/approve/")
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


def test_adopted_item_goes_into_a_draft_bulletin(tree, t_admin, a_admin, kinds, client_for):
    item = make_item(t_admin, tree.township, kind=kinds["经验做法"])
    services.accept(a_admin, item)
    bulletin = save_bulletin(
        a_admin,
        Bulletin(organization=tree.county_a, date=datetime.date(2026, 6, 30), title="简讯"),
    )
    client = client_for(a_admin)
    response = client.post(f"/notices/items/{item.pk}/bulletin/", {"bulletin": bulletin.pk})
    assert response.status_code == 302
    bulletin.refresh_from_db()
    section = next(s for s in bulletin.sections if s["heading"] == "【基层经验】")
    assert section["paragraphs"][0].startswith(item.title)
    item.refresh_from_db()
    assert item.bulletin == bulletin


def test_adoption_rate_per_unit_with_links(tree, t_admin, a_admin, city_admin, kinds, client_for):
    adopted = make_item(t_admin, tree.township)
    make_item(t_admin, tree.township, title="第二条")
    services.accept(a_admin, adopted)
    today = dates.today()
    rows = adoption(city_admin, datetime.date(today.year, 1, 1), today)
    row = next(r for r in rows if r["org"] == tree.township)
    assert (row["sent"], row["adopted"], row["rate"]) == (2, 1, "50.0%")
    page = client_for(city_admin).get("/notices/items/stats/")
    body = page.content.decode()
    assert page.status_code == 200 and "50.0%" in body and f"sender={tree.township.pk}" in body


def test_scope_and_bad_input(tree, t_admin, b_admin, a_admin, kinds, client_for, api_for):
    item = make_item(t_admin, tree.township)
    client = client_for(b_admin)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get("/notices/items/999999/").status_code == 404
    api = api_for(a_admin)
    made = api.post(
        "/api/info-items/",
        {
            "organization": tree.township.pk,
            "kind": kinds["五老典型"].pk,
            "title": "长" * 101,
            "text": "x",
        },
        format="json",
    )
    assert made.status_code == 400
    assert api.post(f"/api/info-items/{item.pk}/return/", {}, format="json").status_code == 400
    assert api.post(f"/api/info-items/{item.pk}/accept/", {}, format="json").status_code == 200
    assert api_for(b_admin).post(f"/api/info-items/{item.pk}/accept/").status_code == 404
