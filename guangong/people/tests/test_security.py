"""What the people registers tell about what a user may not see.

The duplicate check looks at the whole tree (one record per person), but a match outside the
user's scope is answered without naming anything of it — page, API, import and the help
desk's conversion alike — each such answer is audited, and a user gets at most
``DUPLICATE_PROBES_PER_DAY`` of them a day. A refused delete names a care case only to a user
who works on care cases.

The fixture tree: b_admin sits at county B (奎屯市); county A (伊宁市) and its township
(墩买里街道) are outside their scope. a_admin sits at county A, the township inside it.
"""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.audit.models import Action, AuditLog
from guangong.care.models import Case
from guangong.care.tests.conftest import open_case
from guangong.core.importer.testing import make_xlsx
from guangong.core.tests.support import row_of, text
from guangong.helpdesk.tests.conftest import make_request
from guangong.jobs.imports import undo_import
from guangong.jobs.models import Status
from guangong.orgs.models import Organization
from guangong.orgs.models import Status as OrgStatus
from guangong.people.importers import ElderImporter, YouthImporter
from guangong.people.models import Elder, Youth
from guangong.people.services.persons import save_person

from .conftest import make_id, new_youth
from .test_import import check, elder_row, elder_sheet, import_file

pytestmark = pytest.mark.usefixtures("media")

OUTSIDE = "管辖范围以外"
LIMIT_REACHED = "已达上限"


def probes(user=None):
    rows = AuditLog.objects.filter(action=Action.DUPLICATE_PROBE).order_by("pk")
    return rows.filter(user=user) if user is not None else rows


def assert_nothing_of(body: str, tree, *people) -> None:
    """No organisation outside county B's scope, and nothing of the matched records."""
    for word in (tree.county_a.name, tree.township.name, tree.enterprise.name):
        assert word not in body
    for person in people:
        assert person.id_number_masked and person.id_number_masked not in body
        if person.phone:
            assert person.phone not in body


@pytest.fixture
def a_care(tree):
    """A care worker (关爱专干) at county A."""
    return UserFactory(username="a_care", organization=tree.county_a, role=Role.CARE_WORKER)


@pytest.fixture
def request_a(tree):
    """A help request addressed to county A (made an established committee to take it)."""
    Organization.objects.filter(pk=tree.county_a.pk).update(status=OrgStatus.ESTABLISHED)
    return make_request(tree.refresh().county_a)


@pytest.fixture
def many(tree, city_admin) -> list[tuple[Elder, str]]:
    """One more elder at county A than a user may be told about in a day, with ID numbers."""
    made = []
    for i in range(settings.DUPLICATE_PROBES_PER_DAY + 1):
        number = make_id("654002", "19600101", f"{i:03d}")
        elder = save_person(
            city_admin, Elder(organization=tree.county_a, name=f"甲地五老{i}"), id_number=number
        )
        made.append((elder, number))
    return made


# --- A match outside the scope: said, not named -------------------------------------------


def test_the_page_answers_an_id_number_outside_the_scope_naming_nothing_and_audits_it(
    client_for, tree, people, b_admin
):
    a = people["county_a"]
    before = Elder.objects.count()

    response = client_for(b_admin).post(
        "/people/elders/new/",
        {"organization": tree.county_b.pk, "name": "另一个名字", "id_number": a.elder_id},
    )

    assert response.status_code == 400
    [error] = response.context["form"].errors["id_number"]
    assert OUTSIDE in error and "上级管理员" in error
    assert_nothing_of(text(response), tree, a.elder)
    assert a.elder.name not in text(response)
    assert Elder.objects.count() == before
    # The refused save rolled back; the answer's audit row was kept.
    [row] = probes()
    assert (row.user, row.object_type, row.object_id) == (b_admin, "people.elder", str(a.elder.pk))
    assert row.org_path == tree.county_b.path  # read by the asker's administrators
    assert row.object_repr == a.elder.id_number_masked  # what was typed, masked
    assert row.after == {"kind": "id_number", "answered": True}
    assert a.elder.name not in row.message + row.object_repr + row.parent_repr
    assert tree.county_a.name not in row.message + row.object_repr + row.parent_repr


@pytest.mark.parametrize("kind", ["elders", "youth"])
def test_the_api_answers_outside_the_scope_naming_nothing(api_for, tree, people, b_admin, kind):
    a = people["county_a"]
    body = {"organization": tree.county_b.pk, "name": "另一个名字"}
    if kind == "elders":
        body["id_number"], target = a.elder_id, a.elder
    else:
        body.update(id_number=a.youth_id, category=a.youth.category_id)
        target = a.youth

    response = api_for(b_admin).post(f"/api/{kind}/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"id_number"}
    assert OUTSIDE in response.json()["id_number"][0]
    assert_nothing_of(response.content.decode(), tree, target)
    assert target.name not in response.content.decode()
    assert [(p.user, p.object_id) for p in probes()] == [(b_admin, str(target.pk))]


def test_the_same_name_and_birth_date_outside_the_scope_is_asked_naming_nothing(
    client_for, tree, people, b_admin
):
    client = client_for(b_admin)
    data = {
        "organization": tree.county_b.pk,
        "name": people["county_a"].elder.name,
        "birth_date": "1952-03-14",
        "sex": "F",
    }

    asked = client.post("/people/elders/new/", data)

    assert asked.status_code == 400
    form = asked.context["form"]
    assert form.has_error("name", "duplicate_name")
    assert OUTSIDE in form.errors["name"][0]
    assert_nothing_of(text(asked), tree, people["county_a"].elder)
    [row] = probes(b_admin)
    assert row.after == {"kind": "name", "answered": True}
    assert row.object_repr == ""

    # Confirmed as a different person: saved, and nothing more was told.
    confirmed = client.post("/people/elders/new/", {**data, "allow_same_name": "on"})
    assert confirmed.status_code == 302
    assert probes().count() == 1


def test_the_same_number_is_named_inside_the_scope_and_not_outside_it(
    client_for, api_for, tree, people, a_admin, b_admin
):
    township = people["township"]

    def page(user, org):
        response = client_for(user).post(
            "/people/elders/new/",
            {"organization": org.pk, "name": "另一个名字", "id_number": township.elder_id},
        )
        assert response.status_code == 400
        return response.context["form"].errors["id_number"][0]

    def api(user, org):
        response = api_for(user).post(
            "/api/youth/",
            {
                "organization": org.pk,
                "name": "另一个名字",
                "category": township.youth.category_id,
                "id_number": township.youth_id,
            },
            format="json",
        )
        assert response.status_code == 400
        return response.json()["id_number"][0]

    # County A's administrator: the township is theirs, and named; nothing is audited.
    assert tree.township.name in page(a_admin, tree.county_a)
    assert tree.township.name in api(a_admin, tree.county_a)
    assert not probes().exists()
    # County B's: the same numbers, said to be outside the scope, audited.
    for answer in (page(b_admin, tree.county_b), api(b_admin, tree.county_b)):
        assert OUTSIDE in answer and tree.township.name not in answer
    assert probes(b_admin).count() == 2 and probes().count() == 2


def test_an_import_answers_outside_the_scope_naming_nothing(b_admin, people, tree):
    a = people["county_a"]
    content = elder_sheet(
        # 2: county A's elder's ID number
        elder_row(org="654003", name="新名字", id_number=a.elder_id),
        # 3: county A's elder's name and birth date, no ID number
        elder_row(org="654003", name=a.elder.name, sex="女", birth_date="1952-03-14"),
    )

    with translation.override("zh-hans"):
        job = check(b_admin, ElderImporter, content)

    assert job.status == Status.SUCCEEDED
    errors = {(row, column): message for row, column, message in job.summary["errors"]}
    warnings = {(row, column): message for row, column, message in job.summary["warnings"]}
    assert set(errors) == {(2, "身份证号")} and OUTSIDE in errors[(2, "身份证号")]
    assert set(warnings) == {(3, "姓名")} and OUTSIDE in warnings[(3, "姓名")]
    assert_nothing_of(str(job.summary), tree, a.elder)
    assert [(p.object_id, p.after["kind"]) for p in probes(b_admin)] == [
        (str(a.elder.pk), "id_number"),
        (str(a.elder.pk), "name"),
    ]


def test_the_help_desk_conversion_answers_outside_the_scope_and_audits_it(
    client_for, request_a, a_care, people, tree
):
    b = people["county_b"]

    response = client_for(a_care).post(
        f"/helpdesk/{request_a.pk}/convert/",
        {
            "name": "周小北",
            "category": b.youth.category_id,
            "organization": tree.county_a.pk,
            "id_number": b.youth_id,
        },
    )

    assert response.status_code == 400
    body = text(response)
    assert OUTSIDE in body
    assert tree.county_b.name not in body and b.youth.name not in body
    assert b.youth.id_number_masked not in body
    assert not Case.objects.exists()
    # The conversion rolled back; the answer's audit row was kept.
    assert [(p.user, p.object_id) for p in probes()] == [(a_care, str(b.youth.pk))]


# --- The daily limit ----------------------------------------------------------------------


def test_the_answer_after_the_daily_limit_is_a_refusal(client_for, tree, people, b_admin, many):
    limit = settings.DUPLICATE_PROBES_PER_DAY
    assert limit == 20
    for _elder, number in many[:limit]:
        with pytest.raises(ValidationError) as answered:
            save_person(
                b_admin, Elder(organization=tree.county_b, name="另一个名字"), id_number=number
            )
        assert OUTSIDE in answered.value.messages[0]
    # Asking again about a record already answered today tells nothing new: still answered.
    with pytest.raises(ValidationError) as again:
        save_person(
            b_admin, Elder(organization=tree.county_b, name="另一个名字"), id_number=many[0][1]
        )
    assert LIMIT_REACHED not in again.value.messages[0]
    cache.clear()  # counted in the database, not in a cache

    response = client_for(b_admin).post(
        "/people/elders/new/",
        {"organization": tree.county_b.pk, "name": "另一个名字", "id_number": many[limit][1]},
    )

    assert response.status_code == 400
    [error] = response.context["form"].errors["id_number"]
    assert LIMIT_REACHED in error and "联系您的管理员" in error
    assert_nothing_of(text(response), tree, many[limit][0])
    rows = list(probes(b_admin))
    assert len(rows) == limit + 2  # one row per answer, the repeated one and the refusal too
    assert rows[-1].after == {"kind": "id_number", "answered": False}
    assert rows[-1].object_id == str(many[limit][0].pk)
    # Other users and ordinary saves are not affected.
    b_clerk = UserFactory(username="b_clerk", organization=tree.county_b, role=Role.CLERK)
    with pytest.raises(ValidationError) as other:
        save_person(
            b_clerk, Elder(organization=tree.county_b, name="另一个名字"), id_number=many[limit][1]
        )
    assert OUTSIDE in other.value.messages[0] and LIMIT_REACHED not in other.value.messages[0]
    fresh = make_id("654003", "19610101", "777")
    save_person(b_admin, Elder(organization=tree.county_b, name="新人"), id_number=fresh)


def test_an_import_matching_more_than_the_limit_outside_the_scope_fails_its_check(
    b_admin, people, tree, many
):
    limit = settings.DUPLICATE_PROBES_PER_DAY
    bad = make_id("654003", "19620101", "888")
    bad = bad[:17] + ("1" if bad[17] != "1" else "2")  # a wrong check character
    rows = [
        elder_row(org="654003", name=f"乙地五老{i}", id_number=n) for i, (_e, n) in enumerate(many)
    ]
    content = elder_sheet(*rows, elder_row(org="654003", name="错号", id_number=bad))

    with translation.override("zh-hans"):
        job = check(b_admin, ElderImporter, content)

    assert job.status == Status.SUCCEEDED  # the check ran; the file did not pass it
    errors = job.summary["errors"]
    [file_error] = [e for e in errors if e[0] == 0]
    assert "查重次数上限" in file_error[2] and "联系您的管理员" in file_error[2]
    # Which rows matched outside the scope is not said; the other rows' errors still are.
    assert [e[0] for e in errors if e[0]] == [len(rows) + 2]
    assert OUTSIDE not in str([e for e in errors if e[0]])
    assert_nothing_of(str(job.summary), tree, *(e for e, _n in many))
    assert not job.summary.get("preview")
    refused = probes(b_admin)
    assert refused.count() == limit + 1
    assert not refused.filter(after__answered=True).exists()


def test_an_import_within_the_limit_answers_row_by_row(b_admin, tree, many):
    limit = settings.DUPLICATE_PROBES_PER_DAY
    content = elder_sheet(
        *(
            elder_row(org="654003", name=f"乙地五老{i}", id_number=n)
            for i, (_e, n) in enumerate(many[:limit])
        )
    )

    with translation.override("zh-hans"):
        job = check(b_admin, ElderImporter, content)

    assert job.summary["error_count"] == limit
    assert all(OUTSIDE in message for _r, _c, message in job.summary["errors"])
    assert probes(b_admin).filter(after__answered=True).count() == limit


# --- A refused delete and care cases -------------------------------------------------------


def test_a_refused_delete_names_a_care_case_only_to_a_care_worker(
    client_for, tree, a_clerk, a_care, categories
):
    youth = new_youth(a_clerk, tree.county_a, categories, "许小雪")
    open_case(a_care, SimpleNamespace(youth=youth))
    url = f"/people/youth/{youth.pk}/delete/"

    def refusal(user) -> str:
        response = client_for(user).post(url, follow=True)
        assert response.status_code == 200
        return " ".join(str(m) for m in response.context["messages"])

    with translation.override("zh-hans"):
        clerk, worker = refusal(a_clerk), refusal(a_care)

    assert "有其他记录引用此人" in clerk
    assert "关爱" not in clerk and "个案" not in clerk
    assert "有关联的关爱个案" in worker
    assert Youth.objects.filter(pk=youth.pk).exists()


def test_undoing_an_import_names_a_care_case_only_to_a_care_worker(a_clerk, a_care, categories):
    def youth_row(name, number):
        return row_of(
            YouthImporter, organization="654002", name=name, id_number=number, category="在校学生"
        )

    content = make_xlsx(
        [
            YouthImporter().headers(),
            youth_row("许小雨", make_id("654002", "20120101", "611")),
            youth_row("许小风", make_id("654002", "20120101", "633")),
        ]
    )
    job = import_file(a_clerk, YouthImporter, content)
    youth = Youth.objects.get(name="许小雨")
    open_case(a_care, SimpleNamespace(youth=youth))

    with translation.override("zh-hans"):
        undo = undo_import(a_clerk, job)
    undo.refresh_from_db()

    assert undo.status == Status.FAILED
    assert "许小雨" in undo.message and "有其他记录引用此人" in undo.message
    assert "关爱" not in undo.message and "个案" not in undo.message
    assert Youth.objects.filter(import_batch=job.summary["batch"]).count() == 2
