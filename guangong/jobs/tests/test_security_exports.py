"""Background list exports: the file is the requester's alone, and holds what the requester may
see when it is written (scope, verbs and the masking of phones checked again by the worker)."""

import pytest

from guangong.accounts.roles import Role
from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import text
from guangong.jobs import runner
from guangong.jobs.models import Job, Status

from .test_exports import URL, download

CLEAR_PHONE = "13910101011"  # the county A elder's, masked 139****1011


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_SYNC_MAX_ROWS = 1


def request_export(client, monkeypatch, query=None) -> Job:
    """Ask for the export; the worker has not taken it yet."""
    with monkeypatch.context() as patch:
        patch.setattr(runner, "immediate", lambda: False)
        patch.setattr(runner, "put", lambda job: True)
        response = client.get(URL, {"export": "xlsx", **(query or {})})
    assert response.status_code == 302
    return Job.objects.latest("created_at")


def run(job: Job) -> Job:
    runner.execute(str(job.pk))
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("other", ["city_admin", "a_revealer", "b_admin", "a_viewer"])
def test_only_the_requester_downloads_the_file(client_for, request, a_admin, people, other):
    client = client_for(a_admin)
    client.get(URL, {"export": "xlsx"})
    job = Job.objects.get(user=a_admin)
    assert job.status == Status.SUCCEEDED
    assert len(download(client, job)) == 1 + 2
    stranger = client_for(request.getfixturevalue(other))
    assert stranger.get(f"/jobs/{job.pk}/files/result/").status_code == 404
    page = stranger.get(job.get_absolute_url())
    assert page.status_code == 404 or 'data-testid="export-download"' not in text(page)


def test_the_scope_is_the_users_when_the_file_is_written(
    client_for,
    a_admin,
    tree,
    people,
    monkeypatch,
):
    job = request_export(client_for(a_admin), monkeypatch)
    a_admin.organization = tree.township  # moved down before the worker took the job
    a_admin.save()
    job = run(job)
    rows = download(client_for(a_admin), job)
    names = {row[0] for row in rows[1:]}
    assert names == {people["township"].elder.name}
    assert AuditLog.objects.get(action=Action.EXPORT).org_path == tree.township.path


def test_an_out_of_scope_filter_exports_nothing_outside_the_scope(
    client_for,
    a_admin,
    tree,
    people,
    settings,
):
    settings.EXPORT_SYNC_MAX_ROWS = -1  # even an empty list goes through a job
    client = client_for(a_admin)
    client.get(URL, {"export": "xlsx", "org": str(tree.county_b.pk)})
    job = Job.objects.get(user=a_admin)
    assert job.status == Status.SUCCEEDED
    names = {row[0] for row in download(client, job)[1:]}
    assert people["county_b"].elder.name not in names


def test_reveal_withdrawn_before_the_file_is_written_masks_the_phones(
    client_for,
    a_revealer,
    people,
    monkeypatch,
):
    client = client_for(a_revealer)
    job = request_export(client, monkeypatch)
    a_revealer.role = Role.VIEWER
    a_revealer.can_reveal = False
    a_revealer.save()
    rows = str(download(client, run(job)))
    assert CLEAR_PHONE not in rows and "139****1011" in rows


def test_a_user_disabled_meanwhile_gets_no_file_and_no_export_is_recorded(
    client_for,
    a_admin,
    people,
    monkeypatch,
):
    job = request_export(client_for(a_admin), monkeypatch)
    a_admin.is_active = False
    a_admin.save()
    job = run(job)
    assert (job.status, job.message) == (Status.FAILED, "您已无权导出此列表。")
    assert not job.result_file
    assert not AuditLog.objects.filter(action=Action.EXPORT).exists()


def test_export_files_are_deleted_after_the_retention(client_for, a_admin, people):
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    client_for(a_admin).get(URL, {"export": "xlsx"})
    job = Job.objects.get(user=a_admin)
    name = job.result_file.name
    assert default_storage.exists(name)
    old = timezone.now() - datetime.timedelta(hours=25)
    Job.objects.filter(pk=job.pk).update(created_at=old)
    runner.purge_inputs()
    job.refresh_from_db()
    assert not job.result_file and not default_storage.exists(name)
