"""Importing elders, young people and team members from a spreadsheet, through jobs.

The fixture tree (guangong/conftest.py): a_admin sits at 伊宁市 (654002, county A); 奎屯市
(654003, county B) is the sibling county outside their scope. The ``people`` fixture puts an
elder, a young person and a team at county A, its township and county B.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from guangong.audit.models import Action, AuditLog
from guangong.core import crypto, idnumber
from guangong.core.export import XLSX_TYPE
from guangong.core.importer.testing import make_xlsx
from guangong.core.tests.support import row_of
from guangong.jobs.imports import confirm_import, start_import, undo_import
from guangong.jobs.models import Job, Status
from guangong.people.importers import ElderImporter, YouthImporter
from guangong.people.models import Elder, Mentorship, Team, Youth
from guangong.people.services.mentorships import save_mentorship
from guangong.people.team_import import TeamMemberImporter

from .conftest import ELDER_BIRTH, make_id

pytestmark = pytest.mark.usefixtures("media", "english")


def elder_row(org="654002", name="王建国", id_number=None, categories="老干部", **extra):
    return row_of(
        ElderImporter,
        organization=org,
        name=name,
        id_number=id_number,
        categories=categories,
        **extra,
    )


def elder_sheet(*rows) -> bytes:
    return make_xlsx([ElderImporter().headers(), *rows])


def upload(content: bytes, name: str = "五老.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


def check(user, importer_class, content: bytes) -> Job:
    job = start_import(user, importer_class, upload(content))
    job.refresh_from_db()
    return job


def import_file(user, importer_class, content: bytes) -> Job:
    checked = check(user, importer_class, content)
    assert checked.status == Status.SUCCEEDED, checked.message
    assert checked.summary["error_count"] == 0, checked.summary["errors"]
    job = confirm_import(user, checked)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.message
    return job


def ids(count: int, region: str = "654002", birth: str = "19500101", start: int = 0) -> list:
    return [make_id(region, birth, f"{start + i:03d}") for i in range(count)]


def import_elders(user, *names, birth: str, start: int, orgs: dict | None = None):
    """Import an elder of each name (of county A, or of ``orgs[name]``), with ID numbers born
    on ``birth`` from sequence ``start``: the job, and the numbers."""
    orgs = orgs or {}
    numbers = ids(len(names), birth=birth, start=start)
    rows = [
        elder_row(name=name, id_number=number, **({"org": orgs[name]} if name in orgs else {}))
        for name, number in zip(names, numbers, strict=True)
    ]
    return import_file(user, ElderImporter, elder_sheet(*rows)), numbers


def zeroed_id() -> str:
    """A number of county A whose last three digits Excel turned into 000."""
    for seq in range(100, 999):
        first = f"65400219520314{seq}"
        if idnumber.checksum_char(first) != "0":
            return first[:15] + "000"
    raise AssertionError


# --- Template -------------------------------------------------------------------------------


def test_template_has_text_id_column_and_drop_downs(categories):
    content = ElderImporter().template()
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers == ElderImporter().headers()
    letter = {c.field: chr(65 + i) for i, c in enumerate(ElderImporter.columns)}
    assert ws.column_dimensions[letter["id_number"]].number_format == "@"
    assert ws.column_dimensions[letter["organization"]].number_format == "@"
    lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    categories_list = lists[letter["categories"] + "2"]
    assert "老干部" in categories_list.formula1 and "老教师" in categories_list.formula1
    assert not categories_list.showErrorMessage  # several items may be typed: 老干部、老教师
    assert lists[letter["sex"] + "2"].showErrorMessage
    help_rows = [
        tuple(r)
        for r in load_workbook(io.BytesIO(content)).worksheets[1].iter_rows(values_only=True)
    ]
    assert any("、" in str(cell) for r in help_rows for cell in r if cell)

    youth = load_workbook(io.BytesIO(YouthImporter().template())).worksheets[0]
    letter = {c.field: chr(65 + i) for i, c in enumerate(YouthImporter.columns)}
    assert youth.column_dimensions[letter["id_number"]].number_format == "@"
    assert (
        "留守儿童"
        in {
            str(dv.sqref).split(":")[0]: dv.formula1 for dv in youth.data_validations.dataValidation
        }[letter["category"] + "2"]
    )


def test_template_download_page(client_for, a_admin, categories):
    client = client_for(a_admin)
    assert client.get("/people/elders/import/").status_code == 200
    response = client.get("/people/elders/import/template/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    assert 'data-testid="people-import"' in client.get("/people/elders/").content.decode()


# --- Errors ---------------------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_created(a_admin, people):
    good, duplicate, other = ids(3, birth=ELDER_BIRTH, start=700)
    bad_check = good[:17] + ("1" if good[17] != "1" else "2")
    registered_b = people["county_b"].elder_id
    before = (Elder.objects.count(), AuditLog.objects.count())
    content = elder_sheet(
        elder_row(name="王建国", id_number=good),  # row 2: good
        elder_row(name="李明", id_number=bad_check),  # 3
        elder_row(name="张伟", id_number="1.10101E+17"),  # 4: as Excel shows a number
        elder_row(name="刘洋", id_number=zeroed_id()),  # 5: last digits zeroed
        elder_row(name="陈静", id_number=good),  # 6: same as row 2
        elder_row(name="杨帆", id_number=registered_b),  # 7: registered in county B (outside)
        elder_row(name="赵磊", id_number=duplicate, categories="老干部、老农民"),  # 8
        elder_row(org="654003", name="黄敏", id_number=other),  # 9: out of scope
        elder_row(name=None, id_number=make_id("654002", ELDER_BIRTH, "990")),  # 10
    )
    job = check(a_admin, ElderImporter, content)
    assert job.status == Status.SUCCEEDED
    errors = {(row, column): message for row, column, message in job.summary["errors"]}
    assert set(errors) == {
        (3, "ID number"),
        (4, "ID number"),
        (5, "ID number"),
        (6, "ID number"),
        (7, "ID number"),
        (8, "Categories"),
        (9, "Organisation (division code or name)"),
        (10, "Name"),
    }, errors
    assert "check character" in errors[(3, "ID number")]
    assert errors[(4, "ID number")] == str(idnumber.STORED_AS_NUMBER)
    assert errors[(5, "ID number")] == str(idnumber.LAST_DIGITS_ZEROED)
    assert errors[(6, "ID number")] == "Row 2 of this file has the same ID number."
    # Outside the scope: says so, and nothing of the record (not even its organisation).
    assert errors[(7, "ID number")] == (
        "This person is already registered outside your scope. An administrator above both "
        "organisations can merge the records or transfer the person."
    )
    assert "老农民" in errors[(8, "Categories")]
    assert errors[(9, "Organisation (division code or name)")] == (
        "“654003” was not found in your scope."
    )
    assert errors[(10, "Name")] == "This column is required."
    assert job.summary["bad_rows"] == 8
    assert job.result_file  # the downloadable error file
    assert "巴图尔" not in str(job.summary) and "奎屯市" not in str(job.summary)
    # Nothing saved; the one answer about a record outside the scope is audited (and the
    # check's job, started by the user).
    probes = AuditLog.objects.filter(action=Action.DUPLICATE_PROBE)
    rows = AuditLog.objects.exclude(object_type="jobs.job").count() - probes.count()
    assert (Elder.objects.count(), rows) == before
    assert [p.object_id for p in probes] == [str(people["county_b"].elder.pk)]

    with translation.override("zh-hans"):
        job = check(a_admin, ElderImporter, content)
    messages = {(r, c): m for r, c, m in job.summary["errors"]}
    assert "奎屯市" not in messages[(7, "身份证号")]
    assert "管辖范围以外" in messages[(7, "身份证号")]


def test_ten_thousand_rows_with_ten_bad_import_nothing(a_admin, categories):
    numbers = [n for day in range(1, 11) for n in ids(1000, birth=f"195001{day:02d}")]
    rows = [elder_row(name=f"王{i}", id_number=n) for i, n in enumerate(numbers)]
    bad = set(range(5, 10_000, 1000))
    for i in bad:
        rows[i][2] = rows[i][2][:17] + ("1" if rows[i][2][17] != "1" else "2")
    result = ElderImporter().load(elder_sheet(*rows), a_admin)
    assert result.error_count == 10
    assert sorted(e.row for e in result.errors) == sorted(i + 2 for i in bad)
    assert not Elder.objects.exists()


# --- Import and undo ------------------------------------------------------------------------


def test_good_file_creates_everyone_with_encrypted_ids_audit_and_batch(a_admin, categories):
    numbers = ids(5, birth="19530422", start=200)
    content = elder_sheet(
        elder_row(name="王建国", id_number=numbers[0], categories="老干部、老教师"),
        elder_row(name="李秀英", id_number=numbers[1], categories="老专家", phone="13912345678"),
        elder_row(org="墩买里街道", name="张卫东", id_number=numbers[2], categories=None),
        elder_row(name="刘志强", id_number=numbers[3].lower(), categories="老教师,老干部"),
        elder_row(name="陈玉兰", id_number=numbers[4], categories="老干部"),
    )
    job = import_file(a_admin, ElderImporter, content)
    assert job.summary["created"] == 5
    batch = job.summary["batch"]
    assert batch == job.pk.hex
    elders = {e.name: e for e in Elder.objects.filter(import_batch=batch)}
    assert len(elders) == 5
    first = elders["王建国"]
    assert first.id_number_enc and numbers[0] not in first.id_number_enc
    assert crypto.decrypt(first.id_number_enc) == numbers[0]
    assert first.id_number_hash == crypto.blind_index(numbers[0])
    assert first.id_number_masked == idnumber.mask(numbers[0])
    assert str(first.birth_date) == "1953-04-22" and first.sex in ("M", "F")
    assert first.search_text and "wjg" in first.search_text
    assert {c.label for c in first.categories.all()} == {"老干部", "老教师"}
    assert {c.label for c in elders["刘志强"].categories.all()} == {"老干部", "老教师"}
    assert elders["张卫东"].organization.name == "墩买里街道"
    assert not elders["张卫东"].categories.exists()
    assert not Elder.objects.filter(id_number_enc__contains=numbers[1]).exists()
    logs = AuditLog.objects.filter(action=Action.CREATE, object_type="people.elder")
    assert logs.count() == 5
    log = logs.get(object_id=str(first.pk))
    assert log.user == a_admin and log.org_path == first.organization.path
    assert log.after["id_number_masked"] == first.id_number_masked
    assert sorted(log.after["categories"]) == sorted(c.pk for c in first.categories.all())
    assert numbers[0] not in str(log.after)

    undo = undo_import(a_admin, job)
    undo.refresh_from_db()
    assert undo.status == Status.SUCCEEDED, undo.message
    assert undo.summary["deleted"] == 5
    assert not Elder.objects.filter(import_batch=batch).exists()
    assert AuditLog.objects.filter(action=Action.DELETE, object_type="people.elder").count() == 5


def test_undo_is_refused_when_a_person_gained_a_mentorship(a_admin, people):
    job, _numbers = import_elders(a_admin, "周国强", "吴淑珍", birth="19540101", start=300)
    elder = Elder.objects.get(name="周国强")
    save_mentorship(
        a_admin,
        Mentorship(
            organization=elder.organization,
            elder=elder,
            youth=people["county_a"].youth,
            start_date="2025-01-01",
        ),
    )
    undo = undo_import(a_admin, job)
    undo.refresh_from_db()
    assert undo.status == Status.FAILED
    assert "周国强" in undo.message and "mentorship" in undo.message
    assert Elder.objects.filter(import_batch=job.summary["batch"]).count() == 2


def test_youth_import(a_admin, categories):
    number = make_id("654002", "20120510", "222")
    rows = [
        [
            {
                "organization": "654002",
                "name": "小明",
                "id_number": number,
                "category": "留守儿童",
                "guardian_name": "王芳",
                "guardian_phone": "13800001111",
            }.get(column.field)
            for column in YouthImporter.columns
        ]
    ]
    job = import_file(a_admin, YouthImporter, make_xlsx([YouthImporter().headers(), *rows]))
    youth = Youth.objects.get(import_batch=job.summary["batch"])
    assert youth.category == categories["left_behind"]
    assert youth.id_number_hash == crypto.blind_index(number)


# --- Team members ---------------------------------------------------------------------------


def member_sheet(*rows) -> bytes:
    return make_xlsx([TeamMemberImporter().headers(), *rows])


def member_row(team, org=None, id_number=None, name=None, birth=None):
    return row_of(
        TeamMemberImporter,
        team=team,
        organization=org,
        id_number=id_number,
        name=name,
        birth_date=birth,
    )


def test_team_member_import_adds_members_and_refuses_teams_outside_scope(a_admin, people):
    job, numbers = import_elders(
        a_admin, "孙立群", "马丽华", birth="19560606", start=400, orgs={"马丽华": "墩买里街道"}
    )
    assert job.summary["created"] == 2
    team = people["county_a"].team

    refused = check(
        a_admin,
        TeamMemberImporter,
        member_sheet(
            member_row("乙县宣讲团", id_number=numbers[0]),
            member_row("甲县宣讲团", id_number=people["county_a"].elder_id),
            member_row("甲县宣讲团", id_number=people["county_b"].elder_id),
        ),
    )
    errors = {(r, c): m for r, c, m in refused.summary["errors"]}
    assert errors[(2, "Team")] == "No team called “乙县宣讲团” was found in your scope."
    assert errors[(3, "Team")] == "This person is already a member of this team."
    assert (4, "ID number") in errors and "巴图尔" not in errors[(4, "ID number")]

    added = import_file(
        a_admin,
        TeamMemberImporter,
        member_sheet(
            member_row("甲县宣讲团", org="654002", id_number=numbers[0]),
            member_row("甲县宣讲团", name="马丽华", birth="1956-06-06"),
        ),
    )
    assert added.summary["created"] == 2
    assert set(team.members.values_list("name", flat=True)) == {"阿依古丽", "孙立群", "马丽华"}
    log = AuditLog.objects.filter(object_type="people.team", object_id=str(team.pk)).first()
    assert len(log.after["members"]) == 3 and len(log.before["members"]) == 1

    undo = undo_import(a_admin, added)
    undo.refresh_from_db()
    assert undo.status == Status.SUCCEEDED, undo.message
    assert list(team.members.values_list("name", flat=True)) == ["阿依古丽"]
    assert Team.objects.filter(pk=team.pk).exists()
