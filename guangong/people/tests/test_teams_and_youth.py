"""Teams (members within the team's organisation, members by category) and young people
(age, and the guardian of a minor)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import text
from guangong.people.models import Team, Youth
from guangong.people.services.persons import save_person
from guangong.people.services.teams import save_team

from .conftest import elder_of, youth_of


@pytest.fixture
def elders(tree, city_admin, categories):
    """Four more elders at county A: two teachers (one also an expert), a cadre, and one
    without a category."""
    made = {}
    for name, cats in (
        ("教一", ["teacher"]),
        ("教二", ["teacher", "expert"]),
        ("干一", ["cadre"]),
        ("无类", []),
    ):
        made[name] = save_person(
            city_admin,
            elder_of(tree.township, name),
            m2m={"categories": [categories[c] for c in cats]},
        )
    return made


def test_a_team_is_made_with_leader_and_members(client_for, tree, elders, a_admin, categories):
    client = client_for(a_admin)
    members = [elders["教一"], elders["干一"]]

    response = client.post(
        "/people/teams/new/",
        {
            "organization": tree.county_a.pk,
            "name": "法治宣讲分队",
            "kind": categories["talk"].pk,
            "leader": elders["教一"].pk,
            "members": [e.pk for e in members],
        },
    )

    assert response.status_code == 302
    team = Team.objects.get(name="法治宣讲分队")
    assert team.leader == elders["教一"]
    assert set(team.members.all()) == set(members)
    entry = AuditLog.objects.get(
        action=Action.CREATE, object_type="people.team", object_id=str(team.pk)
    )
    assert entry.after["members"] == sorted(e.pk for e in members)


def test_members_by_category(client_for, tree, people, elders, a_admin, categories):
    team = save_team(
        a_admin,
        Team(organization=tree.county_a, name="综合服务队", kind=categories["care"]),
        members=list(elders.values()),
    )

    response = client_for(a_admin).get(f"/people/teams/{team.pk}/")

    summary = {row["categories__label"]: row["n"] for row in response.context["by_category"]}
    assert summary == {"老教师": 2, "老专家": 1, "老干部": 1, None: 1}
    assert "无类" in text(response)


def test_members_and_leader_belong_below_the_teams_organisation(
    tree, people, elders, city_admin, categories
):
    outsider = people["county_b"].elder
    before = Team.objects.count()

    with pytest.raises(ValidationError) as members:
        save_team(
            city_admin,
            Team(organization=tree.county_a, name="越界团队", kind=categories["care"]),
            members=[elders["教一"], outsider],
        )
    with pytest.raises(ValidationError) as leader:
        save_team(
            city_admin,
            Team(
                organization=tree.county_a,
                name="越界团队",
                kind=categories["care"],
                leader=outsider,
            ),
        )

    assert set(members.value.error_dict) == {"members"}
    assert set(leader.value.error_dict) == {"leader"}
    assert Team.objects.count() == before


def test_teams_are_found_by_pinyin(client_for, people, a_admin):
    response = client_for(a_admin).get("/people/teams/", {"q": "jdgad"})

    assert [row.record.name for row in response.context["table"].page.object_list] == ["街道关爱队"]


def adult_worker(tree, categories, **fields):
    """成年青工: a young adult of county A (not saved)."""
    return youth_of(
        tree.county_a, "成年青工", categories["student"], datetime.date(2000, 5, 1), **fields
    )


def test_a_minors_page_shows_age_and_guardian(client_for, people, a_admin):
    youth = people["county_a"].youth

    response = client_for(a_admin).get(f"/people/youth/{youth.pk}/")

    body = text(response)
    assert youth.is_minor
    assert 'data-testid="guardian"' in body
    assert youth.guardian_name in body
    assert f'data-testid="age">{youth.age}' in body


def test_an_adults_page_has_no_guardian_block(client_for, tree, a_admin, categories):
    adult = save_person(a_admin, adult_worker(tree, categories, guardian_name="不应显示"))

    body = text(client_for(a_admin).get(f"/people/youth/{adult.pk}/"))

    assert 'data-testid="guardian"' not in body
    assert "不应显示" not in body


def test_the_age_filters(client_for, people, tree, a_admin, categories):
    save_person(a_admin, adult_worker(tree, categories))
    client = client_for(a_admin)

    def found(**params):
        response = client.get("/people/youth/", params)
        return {row.record.name for row in response.context["table"].page.object_list}

    assert found(age_max=17) == {"程小雨", "范思远"}
    assert found(age_min=18) == {"成年青工"}
    assert found(age_min=18, age_max=17) == set()
    assert found(sex="F") == {p.name for p in Youth.objects.filter(sex="F")} - {"丁晓梅"}
