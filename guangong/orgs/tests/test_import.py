"""Importing organisations from a spreadsheet: check, confirm, commit, undo — through jobs.

The fixture tree (guangong/conftest.py): a_admin sits at 伊宁市 (654002), whose township
墩买里街道 (654002001000) holds the enterprise 恒泰纺织有限公司; 奎屯市 (654003) is the sibling
county, outside a_admin's scope.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from guangong.audit.models import Action, AuditLog
from guangong.core.export import XLSX_TYPE
from guangong.core.importer.testing import make_xlsx, read_xlsx
from guangong.core.tests.support import text
from guangong.jobs import imports
from guangong.jobs import progress as job_progress
from guangong.jobs.imports import confirm_import, start_import, undo_import
from guangong.jobs.models import Job, Status
from guangong.orgs import rollup, services
from guangong.orgs.importers import OrganizationImporter
from guangong.orgs.models import Kind, Organization
from guangong.orgs.models import Status as OrgStatus
from guangong.orgs.tests.factories import PositionFactory

pytestmark = pytest.mark.usefixtures("media", "english")


HEADERS = OrganizationImporter().headers


def row(parent, name, kind=Kind.AGENCY, code="", status="", date=None, phone="", **extra):
    """A sheet row in the template's column order; choices by their label."""
    kind_label = dict(Kind.choices)[kind] if kind in Kind.values else kind
    status_label = dict(OrgStatus.choices).get(status, status)
    cells = {
        "parent": parent,
        "name": name,
        "short_name": extra.get("short_name", ""),
        "kind": str(kind_label),
        "division_code": code,
        "status": str(status_label),
        "established_on": date,
        "dissolved_on": extra.get("dissolved_on"),
        "address": extra.get("address", ""),
        "contact_person": extra.get("contact_person", ""),
        "contact_phone": phone,
    }
    return [cells[column.field] for column in OrganizationImporter.columns]


def sheet(*rows):
    return make_xlsx([HEADERS(), *rows])


def upload(content: bytes, name: str = "组织.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


def check(user, *rows) -> Job:
    job = start_import(user, OrganizationImporter, upload(sheet(*rows)))
    job.refresh_from_db()
    return job


def import_rows(user, *rows) -> Job:
    checked = check(user, *rows)
    assert checked.status == Status.SUCCEEDED and checked.summary["error_count"] == 0, (
        checked.summary
    )
    job = confirm_import(user, checked)
    job.refresh_from_db()
    return job


def errors(job) -> list[tuple]:
    return [tuple(error) for error in job.summary["errors"]]


GOOD = (
    row("654002", "英也尔乡", Kind.TOWNSHIP, "654002203000", OrgStatus.ESTABLISHED, "2020-05-01"),
    row("英也尔乡", "英也尔村", Kind.VILLAGE, "654002203001", phone="13912345678"),
    row("654002203001", "英也尔村小学", Kind.SCHOOL),
    row("墩买里街道", "墩买里社区", Kind.VILLAGE, "654002001001", address="解放路 1 号"),
    row("恒泰纺织有限公司", "恒泰纺织关工小组", Kind.PRIVATE_ENTERPRISE, date=None),
)


# --- Template -------------------------------------------------------------------------------


def test_template_has_text_columns_and_drop_downs():
    content = OrganizationImporter().template()
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers == HEADERS()
    formats = {
        column.field: ws.column_dimensions[chr(65 + i)].number_format
        for i, column in enumerate(OrganizationImporter.columns)
    }
    # Codes and phone numbers stay text: 654002001000 is not rounded, 0999 keeps its zero.
    for field in ("parent", "name", "division_code", "contact_phone", "contact_person"):
        assert formats[field] == "@", field
    assert formats["established_on"] == "yyyy-mm-dd"
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(lists) == {"D2", "F2"}  # kind and committee status
    assert all(str(label) in lists["D2"] for label in Kind.labels)
    assert ws.freeze_panes == "A2"


def test_template_download(client_for, a_admin):
    response = client_for(a_admin).get("/orgs/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert read_xlsx(response.content)[0] == tuple(HEADERS())


# --- Check ----------------------------------------------------------------------------------


def test_five_bad_rows_of_five_kinds_are_all_reported_and_nothing_is_created(a_admin):
    before = Organization.objects.count()
    job = check(
        a_admin,
        row("654002", "英也尔乡", Kind.TOWNSHIP, "654002203000"),
        row("654002", "", Kind.AGENCY),  # 3: name missing
        row("654002", "伊宁市教育局", "教育局"),  # 4: not a kind
        row("654002", "伊宁市民政局", Kind.AGENCY, date="2020-02-30"),  # 5: no such date
        row("654002", "喀尔墩乡", Kind.TOWNSHIP, "654002203000"),  # 6: same code as row 2
        row("奎屯市", "奎屯市团委", Kind.AGENCY),  # 7: parent outside the scope
    )
    assert job.status == Status.SUCCEEDED  # the check ran; the file has errors
    assert job.summary["error_count"] == 5
    assert job.summary["bad_rows"] == 5
    assert [(r, c) for r, c, _m in errors(job)] == [
        (3, "Name"),
        (4, "Kind"),
        (5, "Established on"),
        (6, "Division code"),
        (7, "Parent organisation (division code or name)"),
    ]
    messages = [m for _r, _c, m in errors(job)]
    assert messages[0] == "This column is required."
    assert messages[1].startswith("“教育局” is not one of: ")
    assert messages[3] == "Row 2 of this file has the same division code."
    assert messages[4] == "“奎屯市” was not found in your scope."
    assert job.result_file  # the error file
    marked = read_xlsx(job.result_file.read())
    assert marked[0][-1] == "Errors"
    assert len(marked[1]) <= len(HEADERS())  # a good row carries no error text
    assert marked[6][-1].startswith("Parent organisation")
    assert Organization.objects.count() == before
    assert (
        not AuditLog.objects.filter(action=Action.CREATE).exclude(object_type="jobs.job").exists()
    )
    assert not imports.can_confirm(a_admin, job)


def test_ten_bad_rows_among_ten_thousand(a_admin):
    rows = [row("654002", f"伊宁市单位{i:05d}") for i in range(10_000)]
    bad = {
        3: row("654002", "伊宁市单位00003", "大队"),
        100: row("654002", ""),
        1000: row("654002", "伊宁市单位01000", date="2020-13-01"),
        2000: row("654002", "伊宁市单位02000", phone="12345"),
        3000: row("654002", "伊宁市单位00001"),  # same name under the same parent as row 3
        4000: row("不存在的单位", "伊宁市单位04000"),
        5000: row("654002", "伊宁市单位05000", Kind.TOWNSHIP, "654002001000"),  # 墩买里's code
        6000: row("654002", "伊宁市单位06000", Kind.TOWNSHIP),  # fine (township) …
        7000: row("654002", "伊宁市单位07000", Kind.CITY),  # a city cannot sit under a county
        8000: row("654002", "伊宁市单位08000", Kind.TOWNSHIP, code="654003001000"),  # wrong prefix
        9999: row("654002", "伊宁市单位09999", status=OrgStatus.NONE, date="2020-01-01"),
    }
    for index, bad_row in bad.items():
        rows[index] = bad_row
    before = Organization.objects.count()
    job = check(a_admin, *rows)
    assert job.summary["rows"] == 10_000
    bad_rows = sorted(index + 2 for index in bad if index != 6000)
    assert sorted({r for r, _c, _m in errors(job)}) == bad_rows
    assert job.summary["error_count"] == 10
    assert job.summary["bad_rows"] == 10
    assert Organization.objects.count() == before


def test_parents_in_scope_only_and_no_leak(a_admin, tree):
    job = check(
        a_admin,
        row("奎屯市", "甲单位"),  # county B by name
        row("654003", "乙单位"),  # county B by code
        row("伊犁哈萨克自治州", "丙单位"),  # the city above a_admin
        row("没有这个单位", "丁单位"),  # nowhere at all
    )
    messages = [m for _r, _c, m in errors(job)]
    assert messages == [
        "“奎屯市” was not found in your scope.",
        "“654003” was not found in your scope.",
        "“伊犁哈萨克自治州” was not found in your scope.",
        "“没有这个单位” was not found in your scope.",
    ]


def test_ambiguous_and_later_parents(a_admin, tree):
    services.create_organization(a_admin, tree.township, name="墩买里社区", kind=Kind.VILLAGE)
    services.create_organization(a_admin, tree.enterprise, name="墩买里社区", kind=Kind.AGENCY)
    job = check(
        a_admin,
        row("墩买里社区", "甲单位"),
        row("后面的单位", "乙单位"),
        row("654002", "后面的单位"),
    )
    messages = [m for _r, _c, m in errors(job)]
    assert messages == [
        "2 organisations in your scope are called “墩买里社区”; give the parent's division "
        "code instead.",
        "“后面的单位” is in row 4, further down. Put parent organisations above their "
        "subordinates.",
    ]


def test_the_same_file_twice_is_refused(a_admin):
    import_rows(a_admin, *GOOD)
    job = check(a_admin, *GOOD)
    assert job.summary["bad_rows"] == 5
    messages = {m for _r, _c, m in errors(job)}
    assert "伊宁市 already has a subordinate organisation with this name." in messages
    assert "Another organisation already has this division code." in messages


def test_a_check_lists_what_will_be_created(a_admin):
    job = check(a_admin, *GOOD)
    assert job.summary["error_count"] == 0
    preview = job.summary["preview"]
    assert preview["headers"][:2] == HEADERS()[:2]
    assert preview["rows"][0][:3] == [2, "伊宁市", "英也尔乡"]
    assert preview["rows"][1][1] == "英也尔乡 (row 2)"
    assert imports.can_confirm(a_admin, job)


# --- Commit ---------------------------------------------------------------------------------


def test_a_good_file_creates_every_row_under_its_parent(a_admin, tree):
    job = import_rows(a_admin, *GOOD)
    assert job.status == Status.SUCCEEDED, job.message
    assert job.summary["created"] == 5
    batch = job.summary["batch"]
    assert batch == job.pk.hex
    created = {o.name: o for o in Organization.objects.filter(import_batch=batch)}
    assert len(created) == 5
    parent = {name: Organization.objects.get_parent(org).name for name, org in created.items()}
    assert parent == {
        "英也尔乡": "伊宁市",
        "英也尔村": "英也尔乡",
        "英也尔村小学": "英也尔村",
        "墩买里社区": "墩买里街道",
        "恒泰纺织关工小组": "恒泰纺织有限公司",
    }
    township = created["英也尔乡"]
    assert township.division_code == "654002203000"
    assert township.status == OrgStatus.ESTABLISHED
    assert township.established_on.isoformat() == "2020-05-01"
    assert created["英也尔村"].contact_phone == "13912345678"
    assert created["英也尔村小学"].status == OrgStatus.NONE
    # One audit record per organisation, written by the service as the importing user.
    records = AuditLog.objects.filter(action=Action.CREATE, object_type="orgs.organization")
    assert sorted(records.values_list("object_id", flat=True)) == sorted(
        str(o.pk) for o in created.values()
    )
    assert set(records.values_list("username", flat=True)) == {"a_admin"}
    assert rollup.mismatches() == []


def test_a_failure_while_saving_rolls_everything_back(a_admin, monkeypatch):
    from django.core.exceptions import ValidationError

    real = services.create_organization
    calls = []

    def flaky(actor, parent, **fields):
        calls.append(fields["name"])
        if len(calls) == 3:
            raise ValidationError({"name": "磁盘已满"})
        return real(actor, parent, **fields)

    monkeypatch.setattr("guangong.orgs.importers.services.create_organization", flaky)
    before = Organization.objects.count()
    job = import_rows(a_admin, *GOOD)
    assert job.status == Status.FAILED
    assert job.message == "Row 4: 磁盘已满 Nothing was imported."
    assert Organization.objects.count() == before
    assert (
        not AuditLog.objects.filter(action=Action.CREATE).exclude(object_type="jobs.job").exists()
    )
    assert rollup.mismatches() == []


def test_progress_is_reported_while_saving(a_admin, tree):
    importer = OrganizationImporter()
    result = importer.load(sheet(*GOOD), a_admin)
    calls = []
    importer.commit(
        result, a_admin, "b" * 32, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_progress_is_published_for_the_page(a_admin, monkeypatch):
    published = []

    def publish(self, now=None):
        published.append((self.message, self.done, self.total))

    monkeypatch.setattr(job_progress.Progress, "publish", publish)
    monkeypatch.setattr(job_progress.Progress, "interval", 0)
    job = import_rows(a_admin, *GOOD)
    assert job.status == Status.SUCCEEDED
    saving = [(done, total) for message, done, total in published if message == "Saving"]
    assert saving == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    phases = list(dict.fromkeys(message for message, _d, _t in published))
    assert phases == ["Reading the file", "Checking the rows", "Saving"]
    assert (job.progress, job.total) == (5, 5)


def test_confirming_twice_imports_once(a_admin):
    checked = check(a_admin, *GOOD)
    first = confirm_import(a_admin, checked)
    second = confirm_import(a_admin, checked)
    assert first.pk == second.pk
    assert Organization.objects.filter(import_batch=first.pk.hex).count() == 5


def test_only_the_uploader_confirms(a_admin, city_admin):
    from django.core.exceptions import PermissionDenied

    checked = check(a_admin, *GOOD)
    with pytest.raises(PermissionDenied):
        confirm_import(city_admin, checked)


# --- Undo -----------------------------------------------------------------------------------


def test_undo_removes_the_batch_and_audits(a_admin):
    job = import_rows(a_admin, *GOOD)
    ids = set(Organization.objects.filter(import_batch=job.pk.hex).values_list("pk", flat=True))
    assert imports.can_undo(a_admin, job)
    undo = undo_import(a_admin, job)
    undo.refresh_from_db()
    assert undo.status == Status.SUCCEEDED, undo.message
    assert undo.summary["deleted"] == 5
    assert not Organization.objects.filter(pk__in=ids).exists()
    deleted = AuditLog.objects.filter(action=Action.DELETE, object_type="orgs.organization")
    assert set(deleted.values_list("object_id", flat=True)) == {str(pk) for pk in ids}
    assert rollup.mismatches() == []
    job.refresh_from_db()
    assert not imports.can_undo(a_admin, job)  # done once


def test_an_administrator_above_may_undo(a_admin, city_admin):
    job = import_rows(a_admin, *GOOD)
    assert imports.can_undo(city_admin, job)
    undo = undo_import(city_admin, job)
    undo.refresh_from_db()
    assert undo.status == Status.SUCCEEDED, undo.message
    assert not Organization.objects.filter(import_batch=job.pk.hex).exists()


def test_others_may_not_undo(a_admin, a_clerk, b_admin):
    job = import_rows(a_admin, *GOOD)
    assert not imports.can_undo(a_clerk, job)  # same county, not an administrator
    assert not imports.can_undo(b_admin, job)  # the sibling county


@pytest.mark.parametrize("dependant", ["position", "child"])
def test_undo_is_refused_once_something_depends_on_the_batch(a_admin, dependant):
    job = import_rows(a_admin, *GOOD)
    village = Organization.objects.get(name="墩买里社区", import_batch=job.pk.hex)
    if dependant == "position":
        PositionFactory(organization=village, name="张三")
        expected = "墩买里社区: Leadership positions (1)"
    else:
        services.create_organization(a_admin, village, name="后来的单位", kind=Kind.AGENCY)
        expected = "墩买里社区: subordinate organisations (1)"
    undo = undo_import(a_admin, job)
    undo.refresh_from_db()
    assert undo.status == Status.FAILED
    assert undo.message.startswith("This import cannot be undone")
    assert expected in undo.message
    assert Organization.objects.filter(import_batch=job.pk.hex).count() == 5
    assert not AuditLog.objects.filter(action=Action.DELETE).exists()
    job.refresh_from_db()
    assert imports.can_undo(a_admin, job)  # may be tried again once the dependant is gone


# --- Pages ----------------------------------------------------------------------------------


def test_the_whole_flow_through_the_pages(client_for, a_admin):
    client = client_for(a_admin)
    assert 'data-testid="org-import"' in text(client.get("/orgs/"))
    page = client.get("/orgs/import/")
    assert page.status_code == 200
    assert 'data-testid="import-template"' in text(page)

    response = client.post("/orgs/import/", {"file": upload(sheet(*GOOD))})
    assert response.status_code == 302
    checked = Job.objects.get(user=a_admin)
    assert response["Location"] == checked.get_absolute_url()
    page = text(client.get(response["Location"]))
    assert 'data-testid="import-ready"' in page and 'data-testid="import-preview"' in page
    assert "hx-trigger" not in page  # finished: no polling

    response = client.post(f"/jobs/{checked.pk}/confirm/")
    imported = Job.objects.get(params__mode="commit")
    assert response["Location"] == imported.get_absolute_url()
    page = text(client.get(response["Location"]))
    assert imported.pk.hex not in page and "导入时间" in page  # no 32-character batch number
    assert 'data-testid="import-undo"' in page
    assert Organization.objects.filter(import_batch=imported.pk.hex).count() == 5

    assert client.get(f"/jobs/{imported.pk}/undo/").status_code == 200
    response = client.post(f"/jobs/{imported.pk}/undo/")
    undo = Job.objects.get(kind__startswith="undo:")
    assert response["Location"] == undo.get_absolute_url()
    assert 'data-testid="undo-done"' in text(client.get(response["Location"]))
    assert not Organization.objects.filter(import_batch=imported.pk.hex).exists()


def test_a_bad_file_shows_every_error_and_the_error_file(client_for, a_admin):
    client = client_for(a_admin)
    content = sheet(row("654002", ""), row("奎屯市", "奎屯市团委"))
    response = client.post("/orgs/import/", {"file": upload(content)}, follow=True)
    page = text(response)
    assert 'data-testid="import-errors"' in page
    assert page.count("<tr><td>2</td>") == 1 and page.count("<tr><td>3</td>") == 1
    job = Job.objects.get(user=a_admin)
    download = client.get(f"/jobs/{job.pk}/files/result/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert read_xlsx(content)[0][-1] == "错误"
    assert AuditLog.objects.filter(action=Action.REVEAL, object_id=str(job.pk)).exists()
    assert 'data-testid="import-confirm"' not in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "旧版 .xls 文件"),
        ("notes.txt", b"hello", "扩展名为 .xlsx"),
        ("fake.xlsx", b"hello", "不是有效的 .xlsx"),
    ],
)
def test_uploads_that_are_not_xlsx(client_for, a_admin, name, content, message):
    response = client_for(a_admin).post("/orgs/import/", {"file": upload(content, name)})
    assert response.status_code == 400
    assert message in text(response)
    assert not Job.objects.exists()


def test_viewers_cannot_import(client_for, a_viewer):
    client = client_for(a_viewer)
    assert client.get("/orgs/import/").status_code == 403
    assert client.post("/orgs/import/", {"file": upload(sheet(*GOOD))}).status_code == 403
    assert 'data-testid="org-import"' not in text(client.get("/orgs/"))
