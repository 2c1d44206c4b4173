"""A person other records refer to is kept: deleting it, or undoing the import that made it,
is refused with the reason, whatever app the referring record belongs to."""

import datetime

import pytest
from django.utils import translation

from guangong.activities.models import Activity
from guangong.activities.tests.conftest import activity_type, record
from guangong.care.tests.conftest import a_care, open_case  # noqa: F401  (fixture)
from guangong.jobs.imports import undo_import
from guangong.jobs.models import Status
from guangong.people.bulk_delete import delete_blockers
from guangong.people.merging import dismiss_duplicate
from guangong.people.models import Elder, Youth
from guangong.people.services.mentorships import end_mentorship
from guangong.people.services.persons import delete_person, save_person
from guangong.people.services.teams import save_team

from .conftest import new_mentorship, new_youth
from .test_import import import_elders

pytestmark = pytest.mark.usefixtures("media")


def test_undo_is_refused_when_an_imported_elder_took_part_in_an_activity(a_admin, people, tree):
    job, _numbers = import_elders(a_admin, "钱多多", "孙少少", birth="19530303", start=500)
    elder = Elder.objects.get(name="钱多多")
    activity = record(a_admin, tree.county_a, activity_type("主题宣讲"), elders={elder: 2})

    with translation.override("zh-hans"):
        undo = undo_import(a_admin, job)
    undo.refresh_from_db()

    assert undo.status == Status.FAILED
    assert "钱多多" in undo.message and "有关联的活动" in undo.message
    assert "孙少少" not in undo.message
    assert Elder.objects.filter(import_batch=job.summary["batch"]).count() == 2
    assert list(activity.elders.all()) == [elder]


def new_elder(actor, org, name="新五老") -> Elder:
    return save_person(
        actor, Elder(organization=org, name=name, sex="M", birth_date=datetime.date(1950, 1, 1))
    )


def test_deleting_a_young_person_named_in_an_activity_is_refused_not_an_error(
    client_for, a_admin, people, tree, categories
):
    youth = new_youth(a_admin, tree.county_a, categories)
    activity = record(a_admin, tree.county_a, activity_type("主题宣讲"), youths=[youth])

    with translation.override("zh-hans"):
        response = client_for(a_admin).post(f"/people/youth/{youth.pk}/delete/", follow=True)

    assert response.status_code == 200
    assert "有关联的活动" in response.content.decode()
    assert Youth.objects.filter(pk=youth.pk).exists()
    assert list(Activity.objects.get(pk=activity.pk).youths.all()) == [youth]


def test_a_young_person_with_a_care_case_is_kept(a_care, people):  # noqa: F811
    place = people["county_a"]
    open_case(a_care, place)

    with translation.override("zh-hans"):
        reasons = delete_blockers(Youth, [place.youth.pk], a_care)

    # Named to a care worker (test_security: not to a clerk without the care verb).
    assert reasons == [f"{place.youth.name}：有结对帮带记录、有关联的关爱个案"]


def test_team_membership_alone_does_not_keep_an_elder(a_admin, people, tree):
    elder = new_elder(a_admin, tree.county_a)
    team = people["county_a"].team
    save_team(a_admin, team, members=[*team.members.all(), elder])
    assert elder.teams.filter(pk=team.pk).exists()

    assert delete_blockers(Elder, [elder.pk]) == []
    delete_person(a_admin, elder)
    assert not Elder.objects.filter(pk=elder.pk).exists()
    assert team.members.exists()  # the other members stay


def test_an_ended_mentorship_still_keeps_both(a_admin, people, tree, categories):
    elder = new_elder(a_admin, tree.county_a)
    youth = new_youth(a_admin, tree.county_a, categories)
    pairing = new_mentorship(a_admin, tree.county_a, elder, youth, datetime.date(2024, 1, 1))
    end_mentorship(a_admin, pairing, end_date=datetime.date(2024, 6, 1))

    assert delete_blockers(Elder, [elder.pk]) and delete_blockers(Youth, [youth.pk])


@pytest.mark.parametrize("model", [Elder, Youth])
def test_every_protecting_foreign_key_is_a_blocker(model):
    """Whatever app adds a protected reference to people, a delete asks about it first
    instead of failing on the database's refusal."""
    from django.db import models

    from guangong.people.bulk_delete import _relations

    blocking = {(table, column) for table, column, _reason in _relations(model)[0]}
    protecting = [
        (rel.related_model, rel.field.attname)
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created
        and not rel.concrete
        and rel.one_to_many
        and rel.on_delete in (models.PROTECT, models.RESTRICT)
    ]
    assert protecting  # mentorships at least
    assert set(protecting) <= blocking


def test_undo_removes_what_goes_with_the_people_and_nothing_else(
    a_admin, city_admin, people, tree, categories, monkeypatch
):
    """Categories, team membership and “not the same person” marks go with the batch; the
    team, its other members and everyone else stay. Plain deletes, not model instances."""
    from django.db.models import QuerySet

    from guangong.people.models import ElderDuplicateDismissal

    job, _numbers = import_elders(a_admin, "周末", "吴天", birth="19490101", start=600)
    imported = Elder.objects.get(name="周末")
    assert imported.categories.exists()
    namesake = save_person(
        a_admin,
        Elder(organization=tree.county_a, name="周末", sex="M", birth_date=imported.birth_date),
        allow_same_name=True,
    )
    dismiss_duplicate(city_admin, imported, namesake, "两个人")
    team = people["county_a"].team
    save_team(a_admin, team, members=[*team.members.all(), imported])

    def no_instances(*args, **kwargs):
        raise AssertionError("undo went through QuerySet.delete")

    monkeypatch.setattr(QuerySet, "delete", no_instances)
    undo = undo_import(a_admin, job)
    undo.refresh_from_db()

    assert undo.status == Status.SUCCEEDED, undo.message
    assert not Elder.objects.filter(import_batch=job.summary["batch"]).exists()
    assert not Elder.categories.through.objects.filter(elder_id=imported.pk).exists()
    assert not ElderDuplicateDismissal.objects.exists()
    assert list(team.members.all()) == [people["county_a"].elder]
    assert Elder.objects.filter(pk=namesake.pk).exists()
    assert Elder.categories.through.objects.filter(elder=people["county_a"].elder).exists()
