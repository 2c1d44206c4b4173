"""A real worker killed in the middle of an import: the job is found interrupted, nothing of it
is saved, and a retry completes it. Runs on SQLite and PostgreSQL alike (``worker.py``)."""

import datetime
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guangong.core.export import XLSX_TYPE
from guangong.core.importer.testing import make_xlsx
from guangong.core.tests.support import text
from guangong.jobs import lifecycle
from guangong.jobs.imports import confirm_import, start_import
from guangong.jobs.lease import lease_expired
from guangong.jobs.models import FINISHED, Job, Status
from guangong.people.importers import ElderImporter
from guangong.people.models import Elder
from guangong.people.tests.conftest import make_id

from .worker import Worker, share_task_store, wait_for_status

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 60
INTERRUPTED = "后台任务意外中断，未保存任何数据。可以点击“重试”重新执行。"


@pytest.fixture
def start_worker(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOB_LEASE_SECONDS = 3
    share_task_store(monkeypatch, tmp_path)
    workers = []

    def start(hold: str = "") -> Worker:
        worker = Worker(tmp_path, hold)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def sheet() -> SimpleUploadedFile:
    columns = [column.field for column in ElderImporter.columns]
    rows = []
    for i in range(ROWS):
        cells = {
            "organization": "654002",
            "name": f"王建{i:03d}",
            "id_number": make_id("654002", "19500101", f"{i:03d}"),
        }
        rows.append([cells.get(field) for field in columns])
    content = make_xlsx([ElderImporter().headers(), *rows])
    return SimpleUploadedFile("五老.xlsx", content, content_type=XLSX_TYPE)


def later(seconds: int = 10) -> datetime.datetime:
    """A moment past the lease of a worker that has just died (instead of waiting for it)."""
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_a_worker_killed_mid_commit_leaves_nothing_and_a_retry_completes(
    start_worker, a_admin, client_for, settings
):
    worker = start_worker(hold="commit")
    check = wait_for_status(start_import(a_admin, ElderImporter, sheet()), FINISHED, 60, worker)
    assert check.status == Status.SUCCEEDED, check.message
    job = confirm_import(a_admin, check)
    worker.wait_until_held()  # every row inserted, the transaction open

    # Past its lease, alive (its heartbeat goes on while the import holds the database, on
    # SQLite through the task store alone) is not interrupted.
    time.sleep(settings.JOB_LEASE_SECONDS + 1)
    job.refresh_from_db()
    assert not lease_expired(job)
    assert lifecycle.sweep() == {"interrupted": 0, "requeued": 0}
    worker.kill()
    job.refresh_from_db()
    assert job.status == Status.RUNNING
    assert Elder.objects.count() == 0  # the database rolled the open transaction back

    assert lifecycle.sweep(later())["interrupted"] == 1
    job.refresh_from_db()
    assert (job.status, job.message) == (Status.INTERRUPTED, INTERRUPTED)
    page = text(client_for(a_admin).get(job.get_absolute_url()))
    assert "中断" in page and INTERRUPTED in page and 'data-testid="job-retry"' in page

    # Confirming the checked file again runs the same import again, on a new worker.
    assert confirm_import(a_admin, check).pk == job.pk
    retried = start_worker()
    wait_for_status(job, FINISHED, 60, retried)
    assert job.status == Status.SUCCEEDED, job.message
    assert (job.summary["created"], job.attempts) == (ROWS, 2)
    assert Elder.objects.filter(import_batch=job.pk.hex).count() == ROWS


def test_a_worker_killed_mid_check_is_retried_from_the_job_page(start_worker, a_admin, client_for):
    worker = start_worker(hold="check")
    job = start_import(a_admin, ElderImporter, sheet())
    worker.wait_until_held()
    worker.kill()

    client = client_for(a_admin)
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert job.status == Status.RUNNING  # not yet past its lease: a retry does nothing

    assert lifecycle.sweep(later())["interrupted"] == 1
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert job.status == Status.PENDING
    wait_for_status(job, FINISHED, 60, start_worker())
    assert job.status == Status.SUCCEEDED, job.message
    assert (job.summary["rows"], job.summary["error_count"], job.attempts) == (ROWS, 0, 2)
    assert Elder.objects.count() == 0  # a check saves nothing


def test_a_job_whose_task_was_lost_is_queued_again_by_the_sweep(start_worker, a_admin):
    from huey.contrib import djhuey

    job = start_import(a_admin, ElderImporter, sheet())
    assert lifecycle.sweep(later(300))["requeued"] == 0  # its task still waits in the queue
    djhuey.HUEY.storage.flush_queue()  # the queue lost it (Redis restarted empty)
    assert Job.objects.get(pk=job.pk).status == Status.PENDING
    assert lifecycle.sweep(later(300))["requeued"] == 1
    wait_for_status(job, FINISHED, 60, start_worker())
    assert job.status == Status.SUCCEEDED, job.message
