"""Import jobs and the personal data of their uploads.

A data clerk of county A (a_clerk) uploads sheets of elders and young people. The county's and
the city's administrators see the job; without the ``reveal`` verb they read its preview with
ID numbers and phones masked and cannot download the upload nor the marked file (404, as out
of scope). The upload goes once the import no longer needs it, on commit, or after
``JOB_INPUT_RETENTION_HOURS``.
"""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.audit.models import Action, AuditLog
from guangong.core import idnumber
from guangong.core.export import XLSX_TYPE
from guangong.core.importer.testing import make_xlsx
from guangong.core.tests.support import page_body, spy_on_rows, text
from guangong.dicts.models import DictItem, DictKind
from guangong.jobs import runner, services, tasks
from guangong.jobs.imports import can_confirm, confirm_import, start_import
from guangong.jobs.models import Job, Status
from guangong.people.importers import ElderImporter, YouthImporter
from guangong.people.models import Elder


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOB_INPUT_RETENTION_HOURS = 24


@pytest.fixture
def revealer(tree):
    """An administrator of the city who may reveal sensitive fields."""
    return UserFactory(
        username="city_revealer", organization=tree.city, role=Role.UNIT_ADMIN, can_reveal=True
    )


def make_id(birth: str, seq: str) -> str:
    first = "654002" + birth + seq
    return first + idnumber.checksum_char(first)


ID_1, ID_2 = make_id("19520314", "101"), make_id("19560607", "202")
PHONE_1, PHONE_2 = "13912345678", "13887654321"
GUARDIAN_PHONE = "13700001111"


def elder_sheet(*rows: dict) -> bytes:
    columns = ElderImporter.columns
    return make_xlsx(
        [ElderImporter().headers(), *([row.get(c.field) for c in columns] for row in rows)]
    )


def good_elders() -> bytes:
    return elder_sheet(
        {"organization": "654002", "name": "欧阳明远", "id_number": ID_1, "phone": PHONE_1},
        {"organization": "654002", "name": "司马静怡", "id_number": ID_2, "phone": PHONE_2},
    )


def bad_elders() -> bytes:
    """A sheet with an error (a phone that is none): a marked file, no import."""
    return elder_sheet(
        {"organization": "654002", "name": "欧阳明远", "id_number": ID_1, "phone": PHONE_1},
        {"organization": "654002", "name": "司马静怡", "id_number": ID_2, "phone": "12"},
    )


def check(user, content: bytes, importer=ElderImporter) -> Job:
    upload = SimpleUploadedFile("名单.xlsx", content, content_type=XLSX_TYPE)
    job = start_import(user, importer, upload)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.message
    return job


def clear_values_in(body: str) -> set[str]:
    return {v for v in (ID_1, ID_2, PHONE_1, PHONE_2, GUARDIAN_PHONE) if v in body}


# --- The preview ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["a_clerk", "a_admin", "city_admin"])
def test_the_preview_masks_id_numbers_and_phones_without_reveal(client_for, request, persona):
    job = check(request.getfixturevalue("a_clerk"), good_elders())
    body = text(client_for(request.getfixturevalue(persona)).get(f"/jobs/{job.pk}/"))
    assert 'data-testid="import-preview"' in body and "欧阳明远" in body
    assert clear_values_in(body) == set()
    assert idnumber.mask(ID_1) in body and "139****5678" in body
    assert not AuditLog.objects.filter(action=Action.REVEAL).exists()


def test_the_preview_shows_full_values_to_users_who_may_reveal_and_is_audited(
    client_for, a_clerk, revealer
):
    job = check(a_clerk, good_elders())
    body = text(client_for(revealer).get(f"/jobs/{job.pk}/"))
    assert clear_values_in(body) == {ID_1, ID_2, PHONE_1, PHONE_2}
    record = AuditLog.objects.get(action=Action.REVEAL, object_id=str(job.pk))
    assert record.user == revealer and "身份证号" in record.message and "电话" in record.message
    assert record.org_path == a_clerk.organization.path  # read by the clerk's administrators


def test_a_young_persons_guardian_phone_is_masked_too(client_for, a_clerk, city_admin, revealer):
    category = DictItem.objects.get_or_create(kind=DictKind.YOUTH_CATEGORY, label="留守儿童")[0]
    row = {
        "organization": "654002",
        "name": "程小雨",
        "id_number": make_id("20150621", "303"),
        "category": category.label,
        "guardian_name": "程大山",
        "guardian_phone": GUARDIAN_PHONE,
    }
    content = make_xlsx(
        [YouthImporter().headers(), [row.get(c.field) for c in YouthImporter.columns]]
    )
    job = check(a_clerk, content, YouthImporter)
    assert job.summary["error_count"] == 0, job.summary["errors"]
    hidden = text(client_for(city_admin).get(f"/jobs/{job.pk}/"))
    assert GUARDIAN_PHONE not in hidden and row["id_number"] not in hidden and "程小雨" in hidden
    shown = text(client_for(revealer).get(f"/jobs/{job.pk}/"))
    assert GUARDIAN_PHONE in shown and row["id_number"] in shown


def test_the_job_keeps_no_clear_id_number_nor_phone(a_clerk):
    job = check(a_clerk, good_elders())
    kept = json.dumps(job.summary, ensure_ascii=False)
    assert "欧阳明远" in kept
    assert [v for v in (ID_1, ID_2, PHONE_1, PHONE_2) if v in kept] == []


# --- The files ------------------------------------------------------------------------------


#: Who may download the files of a_clerk's job: the uploader and users who may reveal.
DOWNLOADS = {"a_clerk": 200, "revealer": 200, "a_admin": 404, "city_admin": 404, "b_admin": 404}


@pytest.mark.parametrize("which", ["input", "result"])
@pytest.mark.parametrize(("persona", "status"), list(DOWNLOADS.items()))
def test_files_are_for_the_uploader_and_users_who_may_reveal(
    client_for, request, a_clerk, b_admin, persona, status, which
):
    job = check(a_clerk, bad_elders())
    assert job.result_file and job.input_file
    user = request.getfixturevalue(persona)
    response = client_for(user).get(f"/jobs/{job.pk}/files/{which}/")
    assert response.status_code == status
    out_of_scope = client_for(b_admin).get(f"/jobs/{job.pk}/files/{which}/")
    reveals = AuditLog.objects.filter(action=Action.REVEAL, object_id=str(job.pk), user=user)
    if status == 200:
        assert b"".join(response.streaming_content)[:2] == b"PK"
        record = reveals.get()
        assert "身份证号" in record.message and "电话" in record.message
    else:
        assert page_body(response) == page_body(out_of_scope)  # the same page as out of scope
        assert not reveals.exists()


def test_the_page_offers_the_files_only_to_those_who_may_download_them(
    client_for, a_clerk, city_admin
):
    job = check(a_clerk, bad_elders())
    own = text(client_for(a_clerk).get(f"/jobs/{job.pk}/"))
    assert f"/jobs/{job.pk}/files/result/" in own and f"/jobs/{job.pk}/files/input/" in own
    other = text(client_for(city_admin).get(f"/jobs/{job.pk}/"))
    assert "/files/" not in other
    assert 'data-testid="error-file-restricted"' in other and "有权查看敏感信息" in other


# --- How long the upload is kept ------------------------------------------------------------


def exists(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def test_a_clean_check_keeps_its_upload_for_the_import(a_clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = check(a_clerk, good_elders())
    job.refresh_from_db()
    assert exists(job.input_file.name) and exists(job.summary["kept_rows"])
    assert can_confirm(a_clerk, job)


def test_the_upload_is_deleted_when_the_import_ends_once_committed(
    client_for, a_clerk, revealer, django_capture_on_commit_callbacks
):
    job = check(a_clerk, good_elders())
    name, kept = job.input_file.name, job.summary["kept_rows"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        commit = confirm_import(a_clerk, job)
    commit.refresh_from_db()
    assert commit.status == Status.SUCCEEDED and commit.summary["reused_check"] is True
    assert Elder.objects.filter(import_batch=commit.pk.hex).count() == 2
    assert exists(name)  # not before the transaction that ends the import commits
    for callback in callbacks:
        callback()
    assert not exists(name) and not exists(kept)
    for each in (job, commit):
        each.refresh_from_db()
        assert not each.input_file
    assert "kept_rows" not in job.summary and "sealed" not in job.summary["preview"]
    page = text(client_for(a_clerk).get(f"/jobs/{commit.pk}/"))
    assert 'data-testid="uploaded-file"' in page and "上传的文件已删除" in page and "24" in page
    assert client_for(a_clerk).get(f"/jobs/{commit.pk}/files/input/").status_code == 404
    # Once the import is over, the preview reads masked for everyone.
    assert clear_values_in(text(client_for(revealer).get(f"/jobs/{job.pk}/"))) == set()


def test_a_check_with_errors_deletes_its_upload_and_keeps_the_marked_file(
    a_clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = check(a_clerk, bad_elders())
    name = Job.objects.get(pk=job.pk).input_file.name
    job.refresh_from_db()
    assert not job.input_file and not exists(name)
    assert exists(job.result_file.name)  # for the uploader to correct, for a day at most


def test_a_cancelled_job_deletes_its_upload(a_clerk, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("名单.xlsx", good_elders(), content_type=XLSX_TYPE)
    job = services.create_job(
        a_clerk, "import:people.elder", params={"mode": "check"}, upload=upload
    )
    name = job.input_file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_job(a_clerk, job)
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and not job.input_file and not exists(name)


def test_uploads_are_swept_after_the_retention_whatever_their_state(
    client_for, a_clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old = check(a_clerk, good_elders())
        marked = check(a_clerk, bad_elders())
        young = check(a_clerk, good_elders())
    day_ago = timezone.now() - datetime.timedelta(hours=25)
    Job.objects.filter(pk__in=[old.pk, marked.pk]).update(created_at=day_ago)
    old.refresh_from_db()
    marked.refresh_from_db()
    files = (old.input_file.name, old.summary["kept_rows"], marked.result_file.name)
    tasks.purge_job_inputs.call_local()
    assert not any(exists(name) for name in files)
    for job in (old, marked, young):
        job.refresh_from_db()
    assert not old.input_file and not marked.result_file
    assert exists(young.input_file.name)
    # The check can no longer be imported, and its page says why.
    assert not can_confirm(a_clerk, old)
    with pytest.raises(PermissionDenied):
        confirm_import(a_clerk, old)
    page = text(client_for(a_clerk).get(f"/jobs/{old.pk}/"))
    assert 'data-testid="import-expired"' in page and "上传的文件已删除" in page
    assert 'data-testid="import-confirm"' not in page


def test_an_import_whose_upload_is_gone_fails_with_a_message(a_clerk):
    job = services.create_job(
        a_clerk,
        "import:people.elder",
        params={"mode": "commit"},
        input_name=f"jobs/{'0' * 32}/gone.xlsx",
    )
    runner.execute(str(job.pk))
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.message == "上传的文件已删除，请重新上传。"


# --- Hostile sheets -------------------------------------------------------------------------


def test_a_sheet_with_a_row_numbered_twenty_million_is_refused_by_the_check(
    client_for, a_clerk, monkeypatch
):
    converted = spy_on_rows(monkeypatch, ElderImporter)
    content = good_elders()
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    far = b'<row r="20000000"><c r="B20000000" t="inlineStr"><is><t>x</t></is></c></row>'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", far + b"</sheetData>")
            target.writestr(info.filename, data)
    upload = SimpleUploadedFile("名单.xlsx", out.getvalue(), content_type=XLSX_TYPE)
    response = client_for(a_clerk).post("/people/elders/import/", {"file": upload}, follow=True)
    job = Job.objects.get(user=a_clerk)
    assert job.summary["error_count"] == 1 and job.summary["rows"] == 0
    ((_row, _column, message),) = job.summary["errors"]
    assert "第 20000000 行有数据" in message and "200000" in message
    assert "第 20000000 行有数据" in text(response)
    assert converted == [2, 3, 20_000_000]
