"""The encrypted export: built as a job, password shown once, file for its owner only, for a
limited time; access log and audit."""

import datetime
import io
import re

import msoffcrypto
import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from guangong.audit.models import AuditLog
from guangong.care import exports
from guangong.care.models import Access
from guangong.jobs.models import Job

from .conftest import ADDRESS, FAMILY, HEALTH, open_case


def start(client, filters: str = "") -> Job:
    response = client.post("/care/export/", {"filters": filters})
    assert response.status_code == 302
    job = Job.objects.get(kind=exports.KIND)
    assert response["Location"] == job.get_absolute_url()
    return job


def password_on_page(client, job: Job) -> str:
    response = client.get(job.get_absolute_url())
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    found = re.search(r'data-testid="export-password">([^<]+)<', body)
    assert found, "no password on the job page"
    return found.group(1).strip()


def decrypt(content: bytes, password: str) -> bytes:
    office = msoffcrypto.OfficeFile(io.BytesIO(content))
    office.load_key(password=password)
    out = io.BytesIO()
    office.decrypt(out)
    return out.getvalue()


def rows_of(xlsx: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))


def test_the_export_is_encrypted_and_opens_only_with_its_password(case, people, client_for, a_care):
    client = client_for(a_care)
    job = start(client)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.summary["count"] == 1

    password = password_on_page(client, job)
    assert len(password) >= 12
    # Shown once: the page does not show it again, and it is stored nowhere in clear.
    body = client.get(job.get_absolute_url()).content.decode()
    assert password not in body and 'data-testid="export-password-gone"' in body
    job.refresh_from_db()
    assert password not in str(job.params) and password not in str(job.summary)
    assert not any(
        password in (a.message + str(a.before) + str(a.after)) for a in AuditLog.objects.all()
    )

    response = client.get(f"/care/exports/{job.pk}/download/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    for value in (ADDRESS, FAMILY, people["county_a"].youth.name):
        assert value.encode() not in content
    with pytest.raises(Exception):  # noqa: B017 - not a zip: openpyxl cannot read it
        load_workbook(io.BytesIO(content))
    office = msoffcrypto.OfficeFile(io.BytesIO(content))
    assert office.is_encrypted() and office.type == "agile"
    assert office.info["passwordKeyBits"] == 256  # AES-256
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        decrypt(content, "wrong-password-123")

    rows = rows_of(decrypt(content, password))
    assert len(rows) == 2
    assert rows[1][0] == case.number
    # a_care holds the reveal verb: the hidden fields are in clear inside the protected file.
    assert ADDRESS in rows[1] and HEALTH in rows[1] and people["county_a"].youth_id in rows[1]

    assert Access.objects.filter(kind="export", case=case, user=a_care).count() == 1
    assert AuditLog.objects.filter(action="export", user=a_care).count() == 2  # export + download


def test_without_the_reveal_verb_the_file_holds_masked_values(case, people, client_for, a_approver):
    client = client_for(a_approver)
    job = start(client)
    password = password_on_page(client, job)
    content = b"".join(client.get(f"/care/exports/{job.pk}/download/").streaming_content)
    rows = rows_of(decrypt(content, password))
    flat = [str(v) for v in rows[1]]
    assert ADDRESS not in flat and FAMILY not in flat and HEALTH not in flat
    assert people["county_a"].youth_id not in flat
    assert people["county_a"].youth.id_number_masked in flat


def test_the_export_follows_the_filters_and_the_scope(case, people, client_for, a_care, b_revealer):
    open_case(b_revealer, people["county_b"], "助医")
    other = open_case(a_care, people["township"], "助医")
    client = client_for(a_care)
    job = start(client, f"kind={other.kind_id}")
    job.refresh_from_db()
    assert job.summary["count"] == 1  # not case (助学), not county B's

    # County B's care worker exports county B's case only, even naming county A's subtree.
    b_client = client_for(b_revealer)
    b_client.post("/care/export/", {"filters": ""})
    b_client.post("/care/export/", {"filters": f"org={case.organization_id}"})
    b_jobs = Job.objects.filter(user=b_revealer).order_by("created_at")
    assert [j.summary["count"] for j in b_jobs] == [1, 0]
    assert not Access.objects.filter(user=b_revealer, case=case).exists()


def test_only_the_user_who_asked_downloads_and_only_for_a_while(
    case,
    client_for,
    a_care,
    a_admin,
    city_approver,
    b_revealer,
    django_capture_on_commit_callbacks,
):
    client = client_for(a_care)
    job = start(client)
    url = f"/care/exports/{job.pk}/download/"
    for other in (city_approver, b_revealer):
        assert client_for(other).get(url).status_code == 404
    assert client_for(a_admin).get(url).status_code == 403  # no care verb at all
    # An administrator who sees the job page gets neither the password nor the file.
    job_page = client_for(a_admin).get(job.get_absolute_url())
    assert 'data-testid="export-password"' not in job_page.content.decode()
    assert client_for(a_admin).get(f"/jobs/{job.pk}/files/result/").status_code == 404

    client = client_for(a_care)
    assert client.get(url).status_code == 200
    name = Job.objects.get(pk=job.pk).summary["file"]
    assert exports.purge_expired() == 0 and default_storage.exists(name)
    later = timezone.now() + datetime.timedelta(hours=exports.hours(), minutes=1)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row says so
        assert exports.purge_expired(later) == 1
    assert not default_storage.exists(name)
    assert client.get(url).status_code == 404


def test_users_without_the_care_verb_cannot_export(case, client_for, a_admin):
    assert client_for(a_admin).post("/care/export/", {"filters": ""}).status_code == 403
    assert not Job.objects.exists()
