"""Mentorships (结对帮带): pairing within scope, the mentee limit, the visit log, ending."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import text
from guangong.people.models import Mentorship, MentorshipVisit, Youth
from guangong.people.services.mentorships import end_mentorship, save_mentorship
from guangong.people.services.persons import save_person

START = datetime.date(2025, 1, 6)


@pytest.fixture
def mentees(tree, categories, city_admin):
    """Three more young people at county A."""
    return [
        save_person(
            city_admin,
            Youth(
                organization=tree.county_a,
                name=name,
                category=categories["student"],
                sex="M",
                birth_date=datetime.date(2000, 6, 1),
            ),
        )
        for name in ("甲一", "甲二", "甲三")
    ]


def pair(actor, elder, youth, org=None, **fields):
    return save_mentorship(
        actor,
        Mentorship(
            organization=org or elder.organization,
            elder=elder,
            youth=youth,
            start_date=fields.pop("start_date", START),
            **fields,
        ),
    )


def form_data(org, elder, youth, **changes):
    data = {
        "organization": org.pk,
        "elder": elder.pk,
        "youth": youth.pk,
        "start_date": START.isoformat(),
    }
    data.update(changes)
    return data


# --- The mentee limit -----------------------------------------------------------------------


def test_the_fourth_active_mentee_is_refused_on_the_elder_field(
    client_for, tree, people, mentees, a_admin, settings
):
    assert settings.MAX_ACTIVE_MENTEES == 3
    elder = people["county_a"].elder  # already mentors 程小雨
    pair(a_admin, elder, mentees[0])
    pair(a_admin, elder, mentees[1])
    client = client_for(a_admin)
    before = (Mentorship.objects.count(), AuditLog.objects.count())

    response = client.post("/people/mentorships/new/", form_data(tree.county_a, elder, mentees[2]))

    assert response.status_code == 400
    [error] = response.context["form"].errors["elder"]
    assert elder.name in error and "3" in error
    assert (Mentorship.objects.count(), AuditLog.objects.count()) == before


def test_the_api_refuses_the_fourth_too(api_for, tree, people, mentees, a_admin):
    elder = people["county_a"].elder
    pair(a_admin, elder, mentees[0])
    pair(a_admin, elder, mentees[1])
    api = api_for(a_admin)
    before = (Mentorship.objects.count(), AuditLog.objects.count())

    response = api.post(
        "/api/mentorships/",
        {
            "organization": tree.county_a.pk,
            "elder": elder.pk,
            "youth": mentees[2].pk,
            "start_date": START.isoformat(),
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"elder"}
    assert (Mentorship.objects.count(), AuditLog.objects.count()) == before


def test_an_ended_mentorship_frees_a_place(tree, people, mentees, a_admin):
    elder = people["county_a"].elder
    pair(a_admin, elder, mentees[0])
    second = pair(a_admin, elder, mentees[1])
    with pytest.raises(ValidationError) as refused:
        pair(a_admin, elder, mentees[2])
    assert set(refused.value.error_dict) == {"elder"}

    end_mentorship(a_admin, second, end_date=timezone.localdate() - datetime.timedelta(1))

    assert pair(a_admin, elder, mentees[2]).is_active


def test_editing_a_current_pairing_at_the_limit_is_not_refused(
    tree, people, mentees, a_admin, settings
):
    """After a merge an elder may hold more pairings than the limit; editing one of them (its
    notes, say) is not a new pairing."""
    settings.MAX_ACTIVE_MENTEES = 1
    mentorship = people["county_a"].mentorship

    mentorship.notes = "每月家访一次"
    save_mentorship(a_admin, mentorship)

    assert Mentorship.objects.get(pk=mentorship.pk).notes == "每月家访一次"
    with pytest.raises(ValidationError):
        pair(a_admin, people["county_a"].elder, mentees[0])


def test_a_pair_has_one_active_mentorship(people, a_admin):
    p = people["county_a"]

    with pytest.raises(ValidationError) as refused:
        pair(a_admin, p.elder, p.youth)

    assert set(refused.value.error_dict) == {"youth"}


# --- Who may be paired ----------------------------------------------------------------------


def test_both_people_belong_below_the_mentorships_organisation(tree, people, city_admin):
    a, b = people["county_a"], people["county_b"]
    before = AuditLog.objects.count()

    with pytest.raises(ValidationError) as refused:
        pair(city_admin, a.elder, b.youth, org=tree.county_a)

    assert set(refused.value.error_dict) == {"youth"}
    assert AuditLog.objects.count() == before
    # At the city, above both counties, the pairing is fine.
    assert pair(city_admin, a.elder, b.youth, org=tree.city).pk


def test_create_from_the_detail_pages_is_prefilled(client_for, people, a_admin):
    p = people["township"]
    client = client_for(a_admin)

    from_elder = client.get("/people/mentorships/new/", {"elder": p.elder.pk})
    from_youth = client.get("/people/mentorships/new/", {"youth": p.youth.pk})

    form = from_elder.context["form"]
    assert (form["elder"].value(), form["organization"].value()) == (
        p.elder.pk,
        p.elder.organization_id,
    )
    assert from_youth.context["form"]["youth"].value() == p.youth.pk
    assert f'<option value="{p.elder.pk}" selected>{p.elder.name}' in text(from_elder)
    detail = text(client.get(f"/people/elders/{p.elder.pk}/"))
    assert f"/people/mentorships/new/?elder={p.elder.pk}" in detail


def test_goals_and_outcomes_are_saved_and_audited(
    client_for, tree, people, mentees, a_admin, categories
):
    client = client_for(a_admin)
    elder = people["township"].elder

    response = client.post(
        "/people/mentorships/new/",
        form_data(
            tree.county_a,
            elder,
            mentees[0],
            goals=[categories["goal_law"].pk, categories["goal_skill"].pk],
            outcomes=[categories["outcome_job"].pk],
        ),
    )

    assert response.status_code == 302
    created = Mentorship.objects.get(youth=mentees[0])
    assert set(created.goals.all()) == {categories["goal_law"], categories["goal_skill"]}
    entry = AuditLog.objects.get(
        action=Action.CREATE, object_type="people.mentorship", object_id=str(created.pk)
    )
    assert entry.after["goals"] == sorted([categories["goal_law"].pk, categories["goal_skill"].pk])
    assert entry.after["outcomes"] == [categories["outcome_job"].pk]


def test_an_outcome_is_not_a_goal(client_for, tree, people, mentees, a_admin, categories):
    client = client_for(a_admin)

    response = client.post(
        "/people/mentorships/new/",
        form_data(
            tree.county_a,
            people["township"].elder,
            mentees[0],
            goals=[categories["outcome_job"].pk],
        ),
    )

    assert response.status_code == 400
    assert response.context["form"].has_error("goals")
    assert not Mentorship.objects.filter(youth=mentees[0]).exists()


# --- Visits and the end ---------------------------------------------------------------------


def test_the_visit_log(client_for, people, a_admin):
    m = people["county_a"].mentorship
    client = client_for(a_admin)

    added = client.post(
        f"/people/mentorships/{m.pk}/visits/new/",
        {"date": "2025-02-03", "content": "辅导国家通用语言", "duration_minutes": 90},
    )
    early = client.post(
        f"/people/mentorships/{m.pk}/visits/new/",
        {"date": "2020-01-01", "content": "太早了", "duration_minutes": 30},
    )
    future = client.post(
        f"/people/mentorships/{m.pk}/visits/new/",
        {
            "date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "content": "以后",
            "duration_minutes": 30,
        },
    )

    assert added.status_code == 302
    assert early.status_code == future.status_code == 400
    assert early.context["form"].has_error("date") and future.context["form"].has_error("date")
    [visit] = MentorshipVisit.objects.filter(mentorship=m)
    assert (visit.content, visit.duration_minutes) == ("辅导国家通用语言", 90)
    entry = AuditLog.objects.get(action=Action.CREATE, object_type="people.mentorshipvisit")
    assert (entry.parent_id, entry.org_path) == (str(m.pk), m.organization.path)
    detail = text(client.get(f"/people/mentorships/{m.pk}/"))
    assert "辅导国家通用语言" in detail
    assert 'data-testid="visit-form"' in detail


def test_ending_a_mentorship(client_for, people, a_admin):
    m = people["county_a"].mentorship
    client = client_for(a_admin)

    response = client.post(f"/people/mentorships/{m.pk}/end/", {"end_date": "2025-06-30"})

    assert response.status_code == 302
    m.refresh_from_db()
    assert m.end_date == datetime.date(2025, 6, 30)
    assert not m.is_active
    entry = AuditLog.objects.get(
        action=Action.UPDATE, object_type="people.mentorship", object_id=str(m.pk)
    )
    assert entry.before["end_date"] is None and entry.after["end_date"] == "2025-06-30"
    assert 'data-testid="end-form"' not in text(client.get(f"/people/mentorships/{m.pk}/"))
    before = client.post(f"/people/mentorships/{m.pk}/end/", {"end_date": "2023-01-01"})
    assert before.status_code == 400
    assert before.context["form"].has_error("end_date")


def test_deleting_a_mentorship_is_audited(client_for, people, a_admin):
    m = people["county_a"].mentorship

    response = client_for(a_admin).post(f"/people/mentorships/{m.pk}/delete/")

    assert response.status_code == 302
    assert not Mentorship.objects.filter(pk=m.pk).exists()
    assert AuditLog.objects.filter(
        action=Action.DELETE, object_type="people.mentorship", object_id=str(m.pk)
    ).exists()
