"""Plausibility at entry (``activities.plausibility``), on every path: the service, the full
page, the quick form, the API and the spreadsheet import; and the ranges' page and command."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.activities import plausibility, ranges, services
from guangong.activities.models import Activity, ActivityRange
from guangong.audit.models import AuditLog
from guangong.core.tests.support import text
from guangong.jobs.imports import confirm_import
from guangong.jobs.models import Status
from guangong.orgs.models import Kind

from .conftest import api_body, record
from .test_import import check, row, sheet
from .test_pages import form_data


def new_activity(tree, types, **changes) -> dict:
    """The full form of a new talk at county A, with ``changes``."""
    fields = {
        "organization": tree.county_a.pk,
        "type": types["talk"].pk,
        "title": "家风家训宣讲",
        "date": "2026-02-10",
        "participants": 10,
        **changes,
    }
    return form_data(**fields)


DAY = datetime.date(2026, 3, 5)


def messages(exc) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


# --- The rules -------------------------------------------------------------------------------


def test_titles_are_compared_without_spaces_punctuation_or_small_slips():
    assert plausibility.normalise_title(" 红色 故事，宣讲！") == "红色故事宣讲"
    assert plausibility.normalise_title("ＡＢＣ 培训") == "abc培训"
    assert plausibility.within_edits("红色故事宣讲", "红色故事宣讲会")
    assert plausibility.within_edits("红色故事宣讲", "红色故事演讲会")
    assert not plausibility.within_edits("红色故事宣讲", "法治教育讲座")
    assert not plausibility.within_edits("abc", "abcdef")
    assert plausibility.within_edits("宣讲", "座谈") and not plausibility.near("宣讲", "座谈")
    assert plausibility.near("红色故事宣讲", "红色故事宣讲会")


def test_elders_without_hours_are_refused(tree, people, a_admin, types):
    elder = people["county_a"].elder
    with pytest.raises(ValidationError) as exc:
        record(a_admin, tree.county_a, types["talk"], elders={elder: 0})
    assert f"请填写每位所选“五老”的服务时长（{elder.name}）" in messages(exc)
    assert not Activity.objects.exists()


def test_fewer_participants_than_named_young_people_is_refused(tree, people, a_admin, types):
    youth = people["county_a"].youth
    with pytest.raises(ValidationError) as exc:
        record(a_admin, tree.county_a, types["talk"], participants=0, youths=[youth])
    assert "已列出1名参与青少年，但参与人次只填了0" in messages(exc)
    record(a_admin, tree.county_a, types["talk"], participants=1, youths=[youth])


def test_a_date_before_the_committee_was_established_is_refused(tree, a_admin, types):
    tree.county_a.established_on = datetime.date(2026, 4, 1)
    tree.county_a.save(update_fields=["established_on"])
    with pytest.raises(ValidationError) as exc:
        record(a_admin, tree.county_a, types["talk"], day=DAY)
    assert "成立于2026-04-01，活动日期不能早于成立日期" in messages(exc)
    record(a_admin, tree.county_a, types["talk"], day=datetime.date(2026, 4, 1))


def test_too_many_participants_needs_confirmation_which_is_audited(tree, a_admin, types):
    with pytest.raises(plausibility.NeedsConfirmation) as exc:
        record(a_admin, tree.township, types["talk"], participants=850_000)
    assert "参与人次850,000超出此类组织此类活动的合理范围（最多2,000）" in messages(exc)
    assert not Activity.objects.exists()

    activity = record(a_admin, tree.township, types["talk"], participants=850_000, confirmed=True)
    entry = AuditLog.objects.filter(object_id=str(activity.pk)).latest("pk")
    assert "已确认无误" in entry.message and "850,000" in entry.message
    # An edit that leaves the figure alone asks nothing again.
    activity.place = "文化站"
    services.save_activity(a_admin, activity)


def test_the_dictionary_range_replaces_the_built_in_one(tree, people, a_admin, types):
    ActivityRange.objects.create(
        type=types["talk"], org_kind=Kind.COUNTY, max_participants=100, max_hours=Decimal(3)
    )
    with pytest.raises(plausibility.NeedsConfirmation) as exc:
        record(a_admin, tree.county_a, types["talk"], participants=101)
    assert "最多100" in messages(exc)
    elder = people["county_a"].elder
    with pytest.raises(plausibility.NeedsConfirmation) as exc:
        record(a_admin, tree.county_a, types["talk"], participants=100, elders={elder: 4})
    assert "单名“五老”服务时长超过3小时" in messages(exc)
    record(a_admin, tree.county_a, types["talk"], participants=100, elders={elder: 3})


def test_a_probable_duplicate_needs_confirmation_and_links_the_first(tree, a_admin, types):
    first = record(a_admin, tree.county_a, types["talk"], title="红色故事宣讲")
    for title in ("红色故事 宣讲！", "红色故事宣讲会"):
        with pytest.raises(plausibility.NeedsConfirmation) as exc:
            record(a_admin, tree.county_a, types["talk"], title=title)
        assert "可能已登记过：“红色故事宣讲”" in messages(exc)
        assert exc.value.doubts[0].url == first.get_absolute_url()
    record(a_admin, tree.county_a, types["talk"], title="法治教育讲座")  # another activity
    record(a_admin, tree.township, types["talk"], title="红色故事宣讲")  # another organisation
    record(a_admin, tree.county_a, types["talk"], title="红色故事宣讲", day=DAY.replace(day=6))


# --- The paths -------------------------------------------------------------------------------


def test_the_full_page_asks_to_confirm_then_saves(client_for, tree, a_admin, types):
    client = client_for(a_admin)
    data = new_activity(tree, types, participants=850000)

    asked = client.post("/activities/new/", data)
    assert asked.status_code == 400
    body = text(asked)
    assert "保存前请核对以下数据" in body and "参与人次850,000超出" in body
    assert "确认无误" in body and 'data-testid="confirm-figures"' in asked.content.decode()
    assert not Activity.objects.exists()

    saved = client.post("/activities/new/", {**data, "confirmed": "on"})
    assert saved.status_code == 302
    activity = Activity.objects.get()
    entry = AuditLog.objects.filter(object_id=str(activity.pk), message__contains="已确认无误")
    assert entry.exists()


def test_the_full_page_links_the_probable_duplicate(client_for, tree, a_admin, types):
    first = record(a_admin, tree.county_a, types["talk"], title="家风家训宣讲", day=DAY)
    client = client_for(a_admin)
    asked = client.post("/activities/new/", new_activity(tree, types, date=DAY.isoformat()))
    assert asked.status_code == 400
    assert f'href="{first.get_absolute_url()}"' in asked.content.decode()
    assert "查看已登记的活动" in text(asked)


def test_the_full_page_refuses_an_elder_without_hours(client_for, tree, people, a_admin, types):
    elder = people["county_a"].elder
    data = new_activity(tree, types, **{"elders-0-elder": elder.pk, "elders-0-hours": ""})
    response = client_for(a_admin).post("/activities/new/", {**data, "confirmed": "on"})
    assert response.status_code == 400
    assert "请填写每位所选“五老”的服务时长" in text(response)
    assert not Activity.objects.exists()


def quick(tree, types, **changes) -> dict:
    return {
        "organization": tree.county_a.pk,
        "type": types["talk"].pk,
        "title": "手机登记的宣讲",
        "date": DAY.isoformat(),
        "place": "",
        "participants": 30,
        "hours": "",
        **changes,
    }


def test_the_quick_form_refuses_hours_without_elders(client_for, tree, a_admin, types):
    response = client_for(a_admin).post("/activities/quick/", quick(tree, types, hours="2"))
    assert response.status_code == 400
    assert "填写了服务时长，但未选择“五老”" in text(response)
    assert not Activity.objects.exists()


def test_the_quick_form_refuses_elders_without_hours(client_for, tree, people, a_admin, types):
    elder = people["county_a"].elder
    response = client_for(a_admin).post("/activities/quick/", quick(tree, types, elders=elder.pk))
    assert response.status_code == 400
    assert "请填写所选“五老”的服务时长" in text(response)


def test_the_quick_form_asks_to_confirm(client_for, tree, a_admin, types):
    client = client_for(a_admin)
    data = quick(tree, types, participants=850000)
    asked = client.post("/activities/quick/", data)
    assert asked.status_code == 400
    assert "参与人次850,000超出" in text(asked) and "确认无误" in text(asked)
    assert client.post("/activities/quick/", {**data, "confirmed": "on"}).status_code == 302
    assert Activity.objects.get().participants == 850000


def test_the_api_answers_400_unless_confirmed(api_for, tree, people, a_admin, types):
    api = api_for(a_admin)
    body = api_body(tree, types, participants=850000)
    refused = api.post("/api/activities/", body, format="json")
    assert refused.status_code == 400
    assert "参与人次850,000超出" in refused.json()["confirmed"][0]

    created = api.post("/api/activities/", {**body, "confirmed": True}, format="json")
    assert created.status_code == 201, created.content
    assert "confirmed" not in created.json()
    twin = api.post("/api/activities/", {**body, "participants": 60}, format="json")
    assert twin.status_code == 400
    assert f"/activities/{created.json()['id']}/" in twin.json()["confirmed"][0]

    elder = people["county_a"].elder
    idle = api_body(tree, types, title="另一场", elders=[{"elder": elder.pk}])
    refused = api.post("/api/activities/", idle, format="json")
    assert refused.status_code == 400
    assert "请填写每位所选“五老”的服务时长" in refused.json()["elders"][0]


def test_the_import_refuses_doubtful_rows_unless_confirmed(people, a_admin, types):
    rows = [
        row(participants=850000),
        row(title="另一场宣讲", date="2026-03-03"),
        row(title="另一场 宣讲", date="2026-03-03"),
        row(title="老人无时长", elders="阿依古丽"),
    ]
    checked = check(a_admin, sheet(*rows))
    assert checked.summary["bad_rows"] == 3
    found = " ".join(message for _n, _c, message in checked.summary["errors"])
    assert "参与人次850,000超出" in found and "在“确认无误”列填“是”" in found
    assert "疑似与本文件第3行是同一活动" in found
    assert "请填写每位所选“五老”的服务时长" in found

    confirmed = check(
        a_admin,
        sheet(
            row(participants=850000, confirmed="是"),
            row(title="另一场宣讲", date="2026-03-03"),
            row(title="另一场 宣讲", date="2026-03-03", confirmed="是"),
        ),
    )
    assert confirmed.summary["error_count"] == 0, confirmed.summary["errors"]
    job = confirm_import(a_admin, confirmed)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.message
    assert Activity.objects.count() == 3
    assert AuditLog.objects.filter(message__contains="已确认无误").count() == 2


# --- The ranges --------------------------------------------------------------------------------


def test_ranges_are_computed_from_the_ledger_and_kept_when_edited(tree, a_admin, types):
    rows = [
        Activity(
            organization=tree.county_a,
            type=types["talk"],
            title=f"宣讲{n}",
            date=DAY,
            participants=10 + n,
        )
        for n in range(200)
    ]
    Activity.objects.bulk_create(rows)
    call_command("plausible_ranges", stdout=io.StringIO())
    computed = ActivityRange.objects.get(type=types["talk"], org_kind=Kind.COUNTY)
    assert computed.computed and computed.max_participants == 210  # p99.5 = 209, rounded up
    assert ActivityRange.objects.filter(type=types["talk"], org_kind="").exists()

    assert ranges.nice_ceiling(1234) == 1300 and ranges.nice_ceiling(7) == 7


@pytest.fixture
def sys_admin(tree):
    return UserFactory(username="sys_admin", organization=tree.city, role=Role.SYSTEM_ADMIN)


def test_administrators_edit_the_ranges_on_a_page(client_for, sys_admin, a_admin, types):
    client = client_for(sys_admin)
    added = client.post(
        "/activities/ranges/new/",
        {"type": types["talk"].pk, "org_kind": "county", "max_participants": 300, "max_hours": 6},
    )
    assert added.status_code == 302, text(added)
    row = ActivityRange.objects.get()
    assert row.max_participants == 300 and not row.computed
    page = client.get("/activities/ranges/")
    assert page.status_code == 200 and "合理范围" in text(page) and "县(区)" in text(page)
    assert AuditLog.objects.filter(object_id=str(row.pk)).exists()
    # Computing again keeps the administrator's row.
    ranges.compute(None)
    assert ActivityRange.objects.get(pk=row.pk).max_participants == 300
    assert client_for(a_admin).post("/activities/ranges/new/", {}).status_code in (403, 404)
