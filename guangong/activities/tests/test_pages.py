"""The activity pages: the list and export per persona, changes through the services.

The ``ledger`` fixture (conftest.py) holds one activity at county A, at its township and at
county B, and a joint one owned by county B with county A as co-organiser. Who may open,
edit and delete which activity is the policy's (pinned by core/tests/test_spine.py), and
every page answers as the policy says (core/tests/test_scope_walk.py).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from guangong.activities import rollup
from guangong.activities.models import Activity, ActivityElder
from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import PERSONAS, assert_no_leak, text, xlsx_rows
from guangong.people.models import Elder

from .conftest import LEDGER, LEDGER_SEEN


def titles(response) -> set[str]:
    body = text(response)
    return {title for title, _owner, _co in LEDGER.values() if title in body}


def expected(persona: str) -> set[str]:
    return {LEDGER[key][0] for key in LEDGER_SEEN[persona]}


def form_data(activity=None, **changes) -> dict:
    """What the full form posts, from ``activity`` (or empty), with ``changes``."""
    data = {
        "organization": activity.organization_id if activity else "",
        "type": activity.type_id if activity else "",
        "title": activity.title if activity else "",
        "date": activity.date.isoformat() if activity else "",
        "end_date": "",
        "place": activity.place if activity else "",
        "audience": "",
        "participants": activity.participants if activity else 0,
        "summary": "",
        "elders-TOTAL_FORMS": "3",
        "elders-INITIAL_FORMS": "0",
        "elders-MIN_NUM_FORMS": "0",
        "elders-MAX_NUM_FORMS": "200",
    }
    for index in range(3):
        data[f"elders-{index}-elder"] = ""
        data[f"elders-{index}-hours"] = ""
    data.update(changes)
    return data


def new_activity(tree, types, **changes) -> dict:
    """The form of a new talk at county A, with ``changes``."""
    return form_data(
        organization=tree.county_a.pk,
        type=types["talk"].pk,
        title="家风家训宣讲",
        date="2026-02-10",
        participants=10,
        **changes,
    )


@PERSONAS
def test_list_and_export_hold_exactly_what_the_persona_sees(
    client_for, tree, people, ledger, personas, persona
):
    client = client_for(personas[persona])

    response = client.get("/activities/")
    assert response.status_code == 200
    assert titles(response) == expected(persona)
    if persona != "a":  # county A sees the joint activity of county B, named with its owner
        assert_no_leak(text(response), tree, persona)

    export = client.get("/activities/", {"export": "xlsx"})
    rows = xlsx_rows(export)
    assert {row[1] for row in rows[1:]} == expected(persona)
    log = AuditLog.objects.filter(action=Action.EXPORT, user=personas[persona])
    assert log.count() == 1


def test_the_joint_badge_marks_joint_activities(client_for, ledger, a_admin):
    body = text(client_for(a_admin).get("/activities/"))
    assert body.count('data-testid="joint-badge"') == 1


def test_a_co_organiser_sees_only_the_young_people_of_its_own_scope(
    client_for, people, ledger, a_admin
):
    body = text(client_for(a_admin).get(f"/activities/{ledger['joint'].pk}/"))
    assert people["county_b"].youth.name not in body
    assert "位青少年不在您的范围内" in body or "outside your scope" in body


def test_detail_shows_elders_hours_teams_and_young_people(client_for, people, ledger, a_admin):
    body = text(client_for(a_admin).get(f"/activities/{ledger['county_a'].pk}/"))
    place = people["county_a"]
    for word in (place.elder.name, place.team.name, place.youth.name, "2.0"):
        assert word in body


def test_a_co_organiser_reads_the_owners_elders_and_teams_without_links_it_cannot_open(
    client_for, people, ledger, a_admin, b_admin
):
    joint = f"/activities/{ledger['joint'].pk}/"
    place = people["county_b"]
    elder_page = place.elder.get_absolute_url()
    team_page = place.team.get_absolute_url()

    mine = client_for(b_admin).get(joint).content.decode()
    assert elder_page in mine and team_page in mine

    theirs = client_for(a_admin).get(joint).content.decode()
    assert place.elder.name in theirs and place.team.name in theirs
    assert elder_page not in theirs and team_page not in theirs
    assert client_for(a_admin).get(elder_page).status_code == 404  # why there is no link


def test_search_finds_by_pinyin_initials_and_filters_narrow(client_for, ledger, city_admin, tree):
    client = client_for(city_admin)
    # 甲县主题宣讲会 → jxztxjh
    assert titles(client.get("/activities/", {"q": "jxzt"})) == {"甲县主题宣讲会"}
    training = ledger["county_b"].type_id
    assert titles(client.get("/activities/", {"type": training})) == {"乙县技能讲座"}
    assert titles(client.get("/activities/", {"org": tree.township.pk})) == {"街道关爱走访"}
    assert titles(client.get("/activities/", {"group": "growth"})) == {"乙县技能讲座"}
    assert titles(client.get("/activities/", {"joint": "true"})) == {"两县联合招聘会"}
    later = {"date_from": "2026-03-06"}
    assert titles(client.get("/activities/", later)) == set()


def test_create_through_the_page_counts_and_audits(client_for, tree, people, types, a_admin):
    elder = people["township"].elder
    data = form_data(
        organization=tree.township.pk,
        type=types["care"].pk,
        title="冬季送温暖",
        date="2026-01-15",
        participants=25,
        **{"elders-0-elder": elder.pk, "elders-0-hours": "3.5"},
        teams=[people["township"].team.pk],
        youths=[people["township"].youth.pk],
    )

    response = client_for(a_admin).post("/activities/new/", data)

    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title="冬季送温暖")
    assert ActivityElder.objects.get(activity=activity).hours == Decimal("3.5")
    assert Elder.objects.get(pk=elder.pk).service_hours == Decimal("3.5")
    assert list(activity.youths.all()) == [people["township"].youth]
    log = AuditLog.objects.get(object_id=str(activity.pk), object_type="activities.activity")
    assert log.action == Action.CREATE and log.user == a_admin
    assert rollup.mismatches() == []


def test_edit_through_the_page_moves_the_counts(client_for, ledger, people, a_admin):
    activity = ledger["county_a"]
    other = people["township"].elder
    before = Elder.objects.get(pk=other.pk).service_hours
    data = form_data(
        activity,
        participants=99,
        **{"elders-0-elder": other.pk, "elders-0-hours": "4"},
    )

    response = client_for(a_admin).post(f"/activities/{activity.pk}/edit/", data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.participants == 99
    assert Elder.objects.get(pk=people["county_a"].elder.pk).service_hours == 0
    assert Elder.objects.get(pk=other.pk).service_hours == before + Decimal("4")
    assert AuditLog.objects.filter(object_id=str(activity.pk), action=Action.UPDATE).exists()
    assert rollup.mismatches() == []


def test_delete_through_the_page(client_for, ledger, a_admin):
    activity = ledger["township"]
    response = client_for(a_admin).post(f"/activities/{activity.pk}/delete/")
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert AuditLog.objects.filter(object_id=str(activity.pk), action=Action.DELETE).exists()
    assert rollup.mismatches() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"date": "2099-01-01"}, "date"),
        ({"date": "明天"}, "date"),
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"participants": "-3"}, "participants"),
        ({"participants": "many"}, "participants"),
        ({"type": "999999"}, "type"),
        ({"co_organizers": ["__county_b__"]}, "co_organizers"),
        ({"teams": ["__team_b__"]}, "teams"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_saved(
    client_for, tree, people, types, a_admin, changes, field
):
    base = new_activity(tree, types)
    if changes.get("co_organizers") == ["__county_b__"]:
        changes = {"co_organizers": [tree.county_b.pk]}
    if changes.get("teams") == ["__team_b__"]:
        changes = {"teams": [people["county_b"].team.pk]}
    base.update(changes)

    response = client_for(a_admin).post("/activities/new/", base, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert errors and all(any("\u4e00" <= c <= "\u9fff" for c in e) for e in errors), errors
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("place", "hours"),
    [
        ("county_a", "30"),  # beyond a day
        ("county_b", "1"),  # an elder outside the scope, whose name the answer keeps back
    ],
)
def test_an_elder_line_is_refused(client_for, tree, people, types, a_admin, place, hours):
    elder = people[place].elder
    data = new_activity(tree, types, **{"elders-0-elder": elder.pk, "elders-0-hours": hours})
    response = client_for(a_admin).post("/activities/new/", data)
    assert response.status_code == 400
    if place == "county_b":
        assert elder.name not in text(response)
    assert not Activity.objects.exists()


def test_quick_entry_presets_and_saves(client_for, tree, people, types, a_clerk):
    client = client_for(a_clerk)
    page = client.get("/activities/quick/")
    form = page.context["form"]
    assert form["organization"].value() == tree.county_a.pk
    assert form["date"].value() == timezone.localdate()

    response = client.post(
        "/activities/quick/",
        {
            "organization": tree.county_a.pk,
            "type": types["talk"].pk,
            "title": "社区普法讲座",
            "date": timezone.localdate().isoformat(),
            "place": "社区活动室",
            "participants": 45,
            "elders": [people["county_a"].elder.pk],
            "hours": "2",
        },
    )

    assert response.status_code == 302
    activity = Activity.objects.get(title="社区普法讲座")
    assert activity.organization == tree.county_a and activity.participants == 45
    assert Elder.objects.get(pk=people["county_a"].elder.pk).service_hours == Decimal("2")
    assert "社区普法讲座" in text(client.get(response["Location"]))
    assert rollup.mismatches() == []


def test_quick_entry_refuses_a_missing_title_in_chinese(client_for, tree, types, a_clerk):
    response = client_for(a_clerk).post(
        "/activities/quick/",
        {
            "organization": tree.county_a.pk,
            "type": types["talk"].pk,
            "title": "",
            "date": datetime.date(2026, 1, 2).isoformat(),
            "participants": "",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"title", "participants"}
    assert "必填" in str(form.errors)
    assert not Activity.objects.exists()


def test_a_viewer_reads_but_cannot_change(client_for, ledger, a_viewer):
    client = client_for(a_viewer)
    assert client.get(f"/activities/{ledger['county_a'].pk}/").status_code == 200
    assert client.get("/activities/new/").status_code == 403
    assert client.get("/activities/quick/").status_code == 403
    assert client.post(f"/activities/{ledger['county_a'].pk}/delete/").status_code == 403


def test_the_menu_links_to_the_ledger(client_for, a_admin):
    body = text(client_for(a_admin).get("/"))
    assert 'href="/activities/"' in body


def test_the_export_neutralises_formulas(client_for, tree, types, a_admin):
    from .conftest import record

    record(a_admin, tree.county_a, types["talk"], title='=HYPERLINK("http://x")')
    rows = xlsx_rows(client_for(a_admin).get("/activities/", {"export": "xlsx"}))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
