"""A job's outcome never depends on the task store (Redis); interrupted jobs, retry, cancel."""

import datetime

import pytest
import redis
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from huey.contrib import djhuey

from guangong.audit.models import Action, AuditLog
from guangong.core.actions import batch
from guangong.core.tests.support import text
from guangong.jobs import imports, lifecycle, registry, runner, services
from guangong.jobs import progress as job_progress
from guangong.jobs.imports import can_undo, confirm_import, start_import, undo_import
from guangong.jobs.models import Job, Status
from guangong.orgs import services as org_services
from guangong.orgs.models import Kind, Organization
from guangong.people.importers import ElderImporter
from guangong.people.models import Elder

from .test_durable import ROWS, sheet

pytestmark = pytest.mark.usefixtures("media")


QUEUE_DOWN = "后台任务服务暂时不可用。任务已保存，服务恢复后会自动开始；也可以取消它。"
INTERRUPTED = "后台任务意外中断，未保存任何数据。可以点击“重试”重新执行。"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


class StoppedRedis:
    """The task store, whose every call raises once ``stopped`` (Redis killed)."""

    def __init__(self, real):
        self.real, self.stopped, self.calls_refused = real, False, 0

    def __getattr__(self, name):
        attribute = getattr(self.real, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            if self.stopped:
                self.calls_refused += 1
                raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")
            return attribute(*args, **kwargs)

        return call


@pytest.fixture
def store(monkeypatch):
    stopped = StoppedRedis(djhuey.HUEY.storage)
    monkeypatch.setattr(djhuey.HUEY, "storage", stopped)
    return stopped


def stop_redis_when(monkeypatch, store, phase_message: str):
    """Redis goes away once the phase has started: every later publication, cancellation
    check and the final clean-up of the live progress fail."""
    real_phase = job_progress.Progress.phase

    def phase(self, message, total=0):
        real_phase(self, message, total)
        if str(message) == phase_message:
            store.stopped = True

    monkeypatch.setattr(job_progress.Progress, "phase", phase)
    monkeypatch.setattr(job_progress.Progress, "interval", 0)  # publish at every row


def test_redis_stopping_mid_commit_changes_nothing_of_the_outcome(
    a_admin, client_for, monkeypatch, store
):
    check = start_import(a_admin, ElderImporter, sheet())
    check.refresh_from_db()
    stop_redis_when(monkeypatch, store, "正在保存")
    job = confirm_import(a_admin, check)
    job.refresh_from_db()
    assert store.calls_refused > 0
    assert job.status == Status.SUCCEEDED, job.message
    assert (job.summary["created"], job.progress, job.total) == (ROWS, ROWS, ROWS)
    assert Elder.objects.filter(import_batch=job.pk.hex).count() == ROWS
    assert can_undo(a_admin, job)
    response = client_for(a_admin).get(job.get_absolute_url())  # live progress unreadable
    assert response.status_code == 200 and 'data-status="succeeded"' in text(response)

    store.stopped = False
    stop_redis_when(monkeypatch, store, "正在撤销导入")
    undo = undo_import(a_admin, job)
    undo.refresh_from_db()
    assert (undo.status, undo.summary["deleted"]) == (Status.SUCCEEDED, ROWS)
    assert Elder.objects.count() == 0


def test_an_upload_while_redis_is_down_waits_and_starts_when_it_is_back(a_admin, client_for, store):
    store.stopped = True
    client = client_for(a_admin)
    response = client.post("/people/elders/import/", {"file": sheet()}, follow=True)
    assert response.status_code == 200
    assert QUEUE_DOWN in text(response)  # said at once, on the job's page
    job = Job.objects.get(user=a_admin)
    assert (job.status, job.message) == (Status.PENDING, QUEUE_DOWN)
    assert not job.enqueued_at or job.enqueued_at <= timezone.now()

    assert lifecycle.sweep(timezone.now() + datetime.timedelta(minutes=5))["requeued"] == 0
    store.stopped = False  # Redis is back: the next sweep queues the job again
    assert lifecycle.sweep(timezone.now() + datetime.timedelta(minutes=5))["requeued"] == 1
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and job.summary["rows"] == ROWS


def test_a_cancellation_that_cannot_be_sent_says_so(a_admin, client_for, store):
    job = running(a_admin)
    store.stopped = True
    response = client_for(a_admin).post(f"/jobs/{job.pk}/cancel/", follow=True)
    assert "无法发出取消请求：后台任务服务暂时不可用，请稍后重试。" in text(response)
    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_an_unreadable_cancellation_flag_means_not_cancelled(a_admin, store):
    job = running(a_admin)
    progress = job_progress.Progress(job)
    store.stopped = True
    progress.publish()  # neither raises nor cancels


# --- Interrupted jobs ------------------------------------------------------------------------


def handler(job, progress):
    if job.params.get("lost"):  # the sweep judges the worker dead while it works
        Job.objects.filter(pk=job.pk).update(status=Status.INTERRUPTED)
    with batch("handler"):
        parent = job.user.organization
        org_services.create_organization(job.user, parent, name="半途", kind=Kind.AGENCY)
        runner.finish(job, {"done": 1}, done=1)
    return {"done": 1}


@pytest.fixture(autouse=True)
def test_type():
    registry.register("lifecycle", handler, label=lambda job: "测试任务", atomic=True)
    registry.register("loose", handler, label=lambda job: "松散任务")
    yield
    registry._types.pop("lifecycle", None)
    registry._types.pop("loose", None)


def running(user, kind="lifecycle:x", minutes_ago=0) -> Job:
    job = services.create_job(user, kind)
    then = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Job.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, started_at=then, heartbeat_at=then, created_at=then
    )
    job.refresh_from_db()
    return job


def test_a_job_that_finishes_after_it_was_interrupted_keeps_nothing(a_admin):
    before = Organization.objects.count()
    job = services.start_job(a_admin, "lifecycle:x", params={"lost": True})
    job.refresh_from_db()
    assert job.status == Status.INTERRUPTED  # not overwritten by the worker's end
    assert Organization.objects.count() == before  # and its data rolled back


def test_a_handler_that_finishes_itself_records_its_summary_once(a_admin):
    job = services.start_job(a_admin, "lifecycle:x")
    job.refresh_from_db()
    assert (job.status, job.summary, job.progress) == (Status.SUCCEEDED, {"done": 1}, 1)
    assert job.attempts == 1


def test_the_sweep_interrupts_only_jobs_past_their_lease(a_admin, settings):
    settings.JOB_LEASE_SECONDS = 120
    fresh, stale = running(a_admin, minutes_ago=1), running(a_admin, minutes_ago=3)
    loose = running(a_admin, "loose:x", minutes_ago=3)
    assert lifecycle.sweep()["interrupted"] == 2
    for job in (fresh, stale, loose):
        job.refresh_from_db()
    assert fresh.status == Status.RUNNING
    assert (stale.status, stale.message) == (Status.INTERRUPTED, INTERRUPTED)
    # A job that may have saved part of its work does not claim it saved nothing.
    assert loose.message == "后台任务意外中断。可以点击“重试”重新执行。"


def test_a_recent_beat_in_the_store_keeps_a_job_alive(a_admin):
    job = running(a_admin, minutes_ago=3)  # its row silent: SQLite busy with its import
    job_progress.beat(job.pk)
    assert lifecycle.sweep()["interrupted"] == 0


def test_without_the_store_a_job_is_judged_by_its_row_only_when_long_silent(a_admin, store):
    recent = running(a_admin, minutes_ago=3)
    store.stopped = True
    assert lifecycle.sweep()["interrupted"] == 0
    old = running(a_admin, minutes_ago=15)
    assert lifecycle.sweep()["interrupted"] == 1
    assert set(Job.objects.filter(status=Status.INTERRUPTED)) == {old} != {recent}


def test_the_job_page_shows_an_abandoned_job_interrupted_and_offers_a_retry(a_admin, client_for):
    job = running(a_admin, minutes_ago=3)
    body = text(client_for(a_admin).get(job.get_absolute_url()))
    assert 'data-status="interrupted"' in body and "中断" in body and INTERRUPTED in body
    assert 'data-testid="job-retry"' in body and "取消" in body
    assert "hx-trigger" not in body  # no more polling


def test_a_retry_runs_the_job_again_once_and_is_audited(a_admin, client_for):
    job = running(a_admin, minutes_ago=3)
    lifecycle.sweep()
    client = client_for(a_admin)
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 302
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 302  # a double click
    job.refresh_from_db()
    assert (job.status, job.summary, job.attempts) == (Status.SUCCEEDED, {"done": 1}, 1)
    logs = AuditLog.objects.filter(action=Action.UPDATE, object_id=str(job.pk))
    assert logs.count() == 1 and "重试" in logs.get().message


def test_only_the_owner_retries(a_admin, city_admin, client_for):
    job = running(a_admin, minutes_ago=3)
    lifecycle.sweep()
    with pytest.raises(PermissionDenied):
        services.retry_job(city_admin, job)
    assert client_for(city_admin).post(f"/jobs/{job.pk}/retry/").status_code == 403
    job.refresh_from_db()
    assert job.status == Status.INTERRUPTED


def test_a_finished_job_is_not_retried(a_admin):
    job = services.start_job(a_admin, "lifecycle:x")
    job.refresh_from_db()
    with pytest.raises(ValidationError):
        services.retry_job(a_admin, job)


@pytest.mark.parametrize("state", ["pending", "interrupted", "abandoned"])
def test_cancel_works_at_every_stage(a_admin, state):
    if state == "pending":
        job = services.create_job(a_admin, "lifecycle:x")
    else:
        job = running(a_admin, minutes_ago=3)  # its worker is dead
        if state == "interrupted":
            lifecycle.sweep()
    services.cancel_job(a_admin, job)
    job.refresh_from_db()
    assert (job.status, job.message) == (Status.CANCELLED, "已取消，未做任何更改。")
    runner.execute(str(job.pk))  # a task still in the queue does nothing
    job.refresh_from_db()
    assert job.status == Status.CANCELLED


def test_confirming_again_after_an_interrupted_import_retries_it(a_admin, monkeypatch):
    check = start_import(a_admin, ElderImporter, sheet())
    check.refresh_from_db()
    monkeypatch.setattr(runner, "immediate", lambda: False)  # a worker that never comes
    monkeypatch.setattr(runner, "put", lambda job: True)
    job = confirm_import(a_admin, check)
    Job.objects.filter(pk=job.pk).update(status=Status.INTERRUPTED)
    monkeypatch.undo()
    again = confirm_import(a_admin, check)
    again.refresh_from_db()
    assert again.pk == job.pk
    assert (again.status, again.summary["created"]) == (Status.SUCCEEDED, ROWS)
    assert Elder.objects.count() == ROWS
    assert imports.undo_job_of(again) is None
