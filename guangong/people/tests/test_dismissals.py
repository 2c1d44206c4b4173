"""“不是同一人”: an administrator marks two records with the same name and birth date as two
different people. The pair leaves the possible duplicates and is not asked about again when
either record is edited; the mark is listed, can be taken back, and both are audited."""

import pytest
from django.core.exceptions import ValidationError

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import text
from guangong.home.tests.support import badge_queries
from guangong.people.merging import dismiss_duplicate
from guangong.people.models import Elder, ElderDuplicateDismissal, Youth, YouthDuplicateDismissal
from guangong.people.services.persons import save_person

from .conftest import BIRTH_DATE as BIRTH
from .conftest import assert_chinese, youth_of


def pair_ids(response) -> set[frozenset]:
    return {frozenset((p.first.pk, p.second.pk)) for p in response.context["pairs"]}


def post_pair(client, url, first, second, **extra):
    kind = first._meta.model_name
    return client.post(url, {"kind": kind, "first": first.pk, "second": second.pk, **extra})


def test_a_dismissed_pair_leaves_the_list_and_is_audited_on_both(
    client_for, people, twin, city_admin
):
    original = people["county_a"].elder
    client = client_for(city_admin)
    pair = frozenset((original.pk, twin.pk))
    page = client.get("/people/duplicates/", {"kind": "elder"})
    assert pair in pair_ids(page)
    assert 'data-testid="dismiss"' in text(page)
    since = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = post_pair(
        client, "/people/duplicates/dismiss/", twin, original, reason="一人在奎屯，一人在伊宁"
    )

    assert response.status_code == 302
    assert len(client.get(response["Location"]).context["messages"]) == 1
    mark = ElderDuplicateDismissal.objects.get()
    assert (mark.first, mark.second) == (original, twin)  # ordered by id
    assert mark.created_by == city_admin and mark.reason == "一人在奎屯，一人在伊宁"
    assert pair not in pair_ids(client.get("/people/duplicates/", {"kind": "elder"}))
    records = AuditLog.objects.filter(pk__gt=since, action=Action.UPDATE)
    assert {r.object_id for r in records} == {str(original.pk), str(twin.pk)}
    for log in records:
        assert log.user == city_admin
        assert "一人在奎屯" in log.message
        other = twin if log.object_id == str(original.pk) else original
        bare = log.message.replace(other.name, "").replace(other.organization.name, "")
        assert_chinese(bare.replace("一人在奎屯，一人在伊宁", ""))

    # Listed among the marked pairs, and taken back from there.
    marked = client.get("/people/duplicates/dismissed/", {"kind": "elder"})
    assert text(marked).count('data-testid="dismissed"') == 1
    assert "一人在奎屯" in text(marked)
    response = post_pair(client, "/people/duplicates/restore/", original, twin)
    assert response.status_code == 302
    assert not ElderDuplicateDismissal.objects.exists()
    assert pair in pair_ids(client.get("/people/duplicates/", {"kind": "elder"}))
    restored = AuditLog.objects.filter(pk__gt=since, action=Action.UPDATE).order_by("-pk")[:2]
    assert {r.object_id for r in restored} == {str(original.pk), str(twin.pk)}
    assert all(r.before["not_same_person_as"] == [original.pk, twin.pk] for r in restored)


def test_a_dismissed_pair_is_not_asked_again_at_entry(people, twin, city_admin):
    original = people["county_a"].elder

    def rename_back():
        twin.name = "阿依古丽"
        save_person(city_admin, twin)

    twin.name = "阿依古丽乙"
    save_person(city_admin, twin)
    with pytest.raises(ValidationError) as caught:  # not marked: the question is asked
        rename_back()
    assert "name" in caught.value.error_dict
    twin.refresh_from_db()

    dismiss_duplicate(city_admin, original, twin)
    rename_back()  # marked: no question
    assert Elder.objects.get(pk=twin.pk).name == "阿依古丽"

    # Another record of the same name and birth date is still asked about.
    third = Elder(organization=original.organization, name="阿依古丽", birth_date=BIRTH)
    with pytest.raises(ValidationError):
        save_person(city_admin, third)


def test_marks_in_the_dismissed_list_are_limited_to_the_subtree(
    client_for, people, twin, city_admin, a_admin, b_admin
):
    dismiss_duplicate(city_admin, people["county_a"].elder, twin, "不同的人")
    assert 'data-testid="dismissed"' in text(
        client_for(city_admin).get("/people/duplicates/dismissed/", {"kind": "elder"})
    )
    for admin in (a_admin, b_admin):  # each sees one of the two records only
        body = text(client_for(admin).get("/people/duplicates/dismissed/", {"kind": "elder"}))
        assert 'data-testid="dismissed"' not in body
        assert "不同的人" not in body


def test_an_admin_dismisses_only_pairs_wholly_in_scope(client_for, people, twin, a_admin):
    client = client_for(a_admin)
    before = AuditLog.objects.count()

    response = post_pair(client, "/people/duplicates/dismiss/", people["county_a"].elder, twin)

    assert response.status_code == 404
    assert not ElderDuplicateDismissal.objects.exists()
    assert AuditLog.objects.count() == before
    with pytest.raises(Exception) as caught:
        dismiss_duplicate(a_admin, people["county_a"].elder, twin)
    assert caught.typename in ("OutOfScope", "Http404")


def test_a_restore_outside_the_scope_is_404(client_for, people, twin, city_admin, a_admin):
    dismiss_duplicate(city_admin, people["county_a"].elder, twin)
    client = client_for(a_admin)
    before = AuditLog.objects.count()
    response = post_pair(client, "/people/duplicates/restore/", people["county_a"].elder, twin)
    assert response.status_code == 404
    assert ElderDuplicateDismissal.objects.count() == 1
    assert AuditLog.objects.count() == before


def test_dismissing_needs_manage_users(client_for, people, twin, a_clerk, a_revealer):
    for user in (a_clerk, a_revealer):
        client = client_for(user)
        for url in ("/people/duplicates/dismiss/", "/people/duplicates/restore/"):
            response = post_pair(client, url, people["county_a"].elder, twin)
            assert response.status_code == 403
        assert client.get("/people/duplicates/dismissed/").status_code == 403
    assert not ElderDuplicateDismissal.objects.exists()


def test_a_pair_sharing_an_id_number_cannot_be_dismissed(client_for, tree, people, city_admin):
    original = people["county_a"].youth
    legacy = save_person(city_admin, youth_of(tree.county_b, "程晓雨", original.category))
    # Legacy rows bypassed the entry check; only a test may write this directly.
    Youth.objects.filter(pk=legacy.pk).update(id_number_hash=original.id_number_hash)
    legacy.refresh_from_db()
    client = client_for(city_admin)
    page = client.get("/people/duplicates/", {"kind": "youth"})
    assert 'data-testid="dismiss"' not in text(page)  # offered for name and birth date only

    response = post_pair(client, "/people/duplicates/dismiss/", original, legacy)

    assert response.status_code == 302
    errors = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert len(errors) == 1
    assert_chinese(errors[0])
    assert not YouthDuplicateDismissal.objects.exists()
    with pytest.raises(ValidationError):
        dismiss_duplicate(city_admin, original, legacy)


def test_many_marked_pairs_do_not_hide_the_others(
    client_for, tree, people, city_admin, django_assert_max_num_queries
):
    from guangong.people import duplicates

    for i in range(4):
        first = save_person(
            city_admin,
            Elder(organization=tree.township, name=f"同名{i}", birth_date=BIRTH, sex="M"),
        )
        second = save_person(
            city_admin,
            Elder(organization=tree.county_b, name=f"同名{i}", birth_date=BIRTH, sex="M"),
            allow_same_name=True,
        )
        if i < 3:
            dismiss_duplicate(city_admin, first, second)
    visible = Elder.objects.visible_to(city_admin)
    assert len(duplicates.duplicate_pairs(visible, limit=1)) == 0  # crowded out without a hint
    pairs = duplicates.duplicate_pairs(visible, limit=1, dismissed=3)
    assert [(p.first.name, p.reason) for p in pairs] == [("同名3", duplicates.SAME_NAME_BIRTH)]

    client = client_for(city_admin)
    with django_assert_max_num_queries(13 + badge_queries(city_admin)):  # + the header's
        response = client.get("/people/duplicates/", {"kind": "elder"})
    assert {p.first.name for p in response.context["pairs"]} == {"同名3"}
