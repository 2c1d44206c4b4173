"""Background jobs: running a handler, its outcomes, cancelling, progress, scope of the pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from guangong.audit.models import Action, AuditLog
from guangong.core import actions, context
from guangong.core.actions import batch
from guangong.core.tests.support import text
from guangong.jobs import progress as job_progress
from guangong.jobs import registry, runner, services
from guangong.jobs.models import Job, Status
from guangong.jobs.runner import JobFailed
from guangong.orgs import services as org_services
from guangong.orgs.models import Kind, Organization

pytestmark = pytest.mark.usefixtures("media")


def handler(job, progress):
    """The test job type: what it does is named by ``params["do"]``."""
    do = job.params["do"]
    if do == "ok":
        progress.phase("Working", 3)
        for done in (1, 2, 3):
            progress(done)
        return {"answer": 42}
    if do == "fail":
        raise JobFailed("不行", {"partial": 1})
    if do == "invalid":
        raise ValidationError("坏数据")
    if do == "boom":
        raise RuntimeError("a bug")
    if do == "context":
        parent = job.user.organization
        with batch("handler"):
            org_services.create_organization(job.user, parent, name="后台单位", kind=Kind.AGENCY)
        ctx = context.current()
        return {"language": translation.get_language(), "ip": ctx.ip, "request": ctx.request_id}
    if do == "cancel_midway":
        with batch("handler"):
            org_services.create_organization(
                job.user, job.user.organization, name="半途单位", kind=Kind.AGENCY
            )
            job_progress.request_cancel(job)
            progress.publish()
        return {}
    raise AssertionError(do)


@pytest.fixture(autouse=True)
def test_type():
    registry.register("test", handler, label=lambda job: f"测试任务 {job.params['do']}")
    yield
    registry._types.pop("test", None)


def run(user, do, **params) -> Job:
    job = services.start_job(user, "test:x", params={"do": do, **params})
    job.refresh_from_db()
    return job


# --- Running --------------------------------------------------------------------------------


def test_a_job_runs_its_handler_and_records_the_outcome(a_admin, tree):
    job = run(a_admin, "ok")
    assert job.status == Status.SUCCEEDED
    assert job.summary == {"answer": 42}
    assert (job.progress, job.total, job.message) == (3, 3, "")
    assert job.organization == tree.county_a
    assert job.started_at <= job.finished_at
    assert job.label == "测试任务 ok"


@pytest.mark.parametrize(
    ("do", "message", "summary"),
    [("fail", "不行", {"partial": 1}), ("invalid", "坏数据", {})],
)
def test_a_handler_that_refuses_fails_the_job_with_its_message(a_admin, do, message, summary):
    job = run(a_admin, do)
    assert job.status == Status.FAILED
    assert job.message == message
    assert job.summary == summary


def test_an_internal_error_is_logged_and_told_without_details(a_admin, caplog):
    with translation.override("en"):
        job = run(a_admin, "boom")
    assert job.status == Status.FAILED
    assert str(job.pk) in job.message
    assert "a bug" not in job.message
    assert "a bug" in caplog.text


def test_an_unknown_kind_fails(a_admin):
    job = services.start_job(a_admin, "nonesuch", params={})
    job.refresh_from_db()
    assert job.status == Status.FAILED


def test_a_job_runs_in_the_language_and_request_context_of_its_starter(a_admin):
    with translation.override("en"), context.bind(context.RequestContext("10.0.0.9", "req-42")):
        job = services.start_job(a_admin, "test:x", params={"do": "context"})
    job.refresh_from_db()
    assert job.summary == {"language": "en", "ip": "10.0.0.9", "request": "req-42"}
    record = AuditLog.objects.get(action=Action.CREATE, object_repr="后台单位")
    assert (record.ip, record.request_id, record.username) == ("10.0.0.9", "req-42", "a_admin")


def test_immediate_mode_runs_inside_a_transaction(a_admin):
    with batch("request"):  # a view's unit (actions cannot nest in transaction.atomic)
        job = run(a_admin, "ok")
    assert job.status == Status.SUCCEEDED


def test_with_a_worker_the_job_is_queued_after_the_commit(
    a_admin, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(runner, "immediate", lambda: False)
    with django_capture_on_commit_callbacks() as callbacks:
        job = run(a_admin, "ok")
        assert job.status == Status.PENDING
    # besides what every action of a user leaves for after the commit (core.actions.on_committed)
    queued = [c for c in callbacks if getattr(c, "func", None) is not actions._committed]
    assert len(queued) == 1
    queued[0]()
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED


# --- Cancelling -----------------------------------------------------------------------------


def test_cancelling_a_waiting_job(a_admin):
    job = services.create_job(a_admin, "test:x", params={"do": "ok"})
    services.cancel_job(a_admin, job)
    runner.execute(str(job.pk))
    job.refresh_from_db()
    assert job.status == Status.CANCELLED
    assert job.summary == {}  # the handler never ran


def test_cancelling_a_running_job_rolls_its_work_back(a_admin):
    before = Organization.objects.count()
    job = run(a_admin, "cancel_midway")
    assert job.status == Status.CANCELLED
    assert Organization.objects.count() == before
    assert job_progress.live(job) is None  # the published progress is cleared


def test_only_the_starter_cancels(a_admin, city_admin):
    job = services.create_job(a_admin, "test:x", params={"do": "ok"})
    with pytest.raises(PermissionDenied):
        services.cancel_job(city_admin, job)


# --- Progress -------------------------------------------------------------------------------


def test_progress_is_published_at_most_every_half_second(a_admin, monkeypatch):
    job = services.create_job(a_admin, "test:x", params={"do": "ok"})
    clock = iter(i * 0.01 for i in range(100_000))  # 10 ms per row
    monkeypatch.setattr(job_progress.time, "monotonic", lambda: next(clock))
    progress = job_progress.Progress(job)
    progress.phase("Working", 1000)
    for done in range(1, 1001):
        progress(done)
    # 1000 rows at 10 ms: 10 s, so about 20 publications after the phase's own.
    assert 19 <= progress.publications <= 22
    live = job_progress.live(job)
    assert (live["progress"], live["total"], live["message"]) == (1000, 1000, "Working")
    job.refresh_from_db()
    assert (job.message, job.total) == ("Working", 1000)  # the phase is on the row


def test_progress_is_published_every_n_rows_when_rows_are_fast(a_admin, monkeypatch):
    job = services.create_job(a_admin, "test:x", params={"do": "ok"})
    monkeypatch.setattr(job_progress.time, "monotonic", lambda: 5.0)  # time stands still
    progress = job_progress.Progress(job, every=100)
    progress.phase("Working", 1000)
    for done in range(1, 1001):
        progress(done)
    assert progress.publications == 1 + 10


# --- Pages ----------------------------------------------------------------------------------


def running_job(user, done=40, total=100) -> Job:
    job = services.create_job(user, "test:x", params={"do": "ok"})
    Job.objects.filter(pk=job.pk).update(status=Status.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    progress = job_progress.Progress(job)
    progress.phase("Checking", total)
    progress(done)
    progress.publish()
    return job


def test_the_poll_partial_shows_live_progress_and_keeps_polling(client_for, a_admin):
    job = running_job(a_admin)
    response = client_for(a_admin).get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body  # a fragment for htmx to swap in
    assert 'hx-trigger="every 1s"' in body
    assert f'hx-get="/jobs/{job.pk}/progress/"' in body
    assert "gg-w-40" in body and 'aria-valuenow="40"' in body
    assert "Checking" in body


def test_the_poll_stops_when_the_job_ends(client_for, a_admin):
    job = run(a_admin, "ok")
    body = text(client_for(a_admin).get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true"))
    assert "hx-trigger" not in body
    assert 'data-status="succeeded"' in body


def test_a_job_without_progress_for_minutes_says_so(client_for, a_admin, monkeypatch):
    job = running_job(a_admin)
    url = f"/jobs/{job.pk}/progress/"
    assert 'data-testid="job-stalled"' not in text(client_for(a_admin).get(url))
    later = timezone.now() + datetime.timedelta(minutes=6)
    monkeypatch.setattr("guangong.jobs.views.timezone.now", lambda: later)
    job_progress.beat(job.pk)  # its worker is alive: it beats, but publishes nothing
    monkeypatch.setattr(job_progress.time, "time", lambda: later.timestamp())
    job_progress.beat(job.pk)
    body = text(client_for(a_admin).get(url))
    assert 'data-testid="job-stalled"' in body and 'data-status="running"' in body


def test_the_detail_page_embeds_the_polling_block(client_for, a_admin):
    job = running_job(a_admin)
    body = text(client_for(a_admin).get(f"/jobs/{job.pk}/"))
    assert 'id="job-status"' in body and 'hx-trigger="every 1s"' in body
    assert "jobs/jobs.css" in body


#: Who sees a job started by a_admin at county A: the starter, and administrators of a subtree
#: holding county A. A clerk of county A (no manage_users) and county B's administrator do not.
#: (Its files are for fewer still: test_security.py.)
SEES = {"a_admin": True, "city_admin": True, "a_clerk": False, "b_admin": False}


@pytest.mark.parametrize("url", ["/jobs/{pk}/", "/jobs/{pk}/progress/"])
@pytest.mark.parametrize(("persona", "sees"), list(SEES.items()))
def test_job_pages_are_seen_or_404(client_for, request, a_admin, persona, sees, url):
    job = services.create_job(
        a_admin, "test:x", params={"do": "ok"}, upload=_upload(b"PK\x03\x04 data")
    )
    user = request.getfixturevalue(persona)
    response = client_for(user).get(url.format(pk=job.pk))
    assert response.status_code == (200 if sees else 404)


@pytest.mark.parametrize("action", ["cancel", "confirm", "undo"])
@pytest.mark.parametrize("persona", ["a_clerk", "b_admin"])
def test_job_actions_outside_scope_are_404(client_for, request, a_admin, persona, action):
    job = services.create_job(a_admin, "test:x", params={"do": "ok"})
    response = client_for(request.getfixturevalue(persona)).post(f"/jobs/{job.pk}/{action}/")
    assert response.status_code == 404


def test_an_unknown_job_is_404(client_for, a_admin):
    import uuid

    assert client_for(a_admin).get(f"/jobs/{uuid.uuid4()}/").status_code == 404


def test_the_list_shows_ones_own_jobs_and_for_administrators_their_subtree(
    client_for, a_admin, city_admin, b_admin
):
    job = run(a_admin, "ok")
    assert job.label in text(client_for(a_admin).get("/jobs/"))
    assert job.label not in text(client_for(city_admin).get("/jobs/"))
    assert job.label in text(client_for(city_admin).get("/jobs/?scope=all"))
    assert job.label not in text(client_for(b_admin).get("/jobs/?scope=all"))


def test_visible_to(a_admin, a_clerk, city_admin, b_admin, django_user_model):
    mine = run(a_admin, "ok")
    clerks = run(a_clerk, "ok")
    assert set(Job.objects.visible_to(a_admin)) == {mine, clerks}  # manage_users at county A
    assert set(Job.objects.visible_to(a_clerk)) == {clerks}
    assert set(Job.objects.visible_to(city_admin)) == {mine, clerks}
    assert set(Job.objects.visible_to(b_admin)) == set()
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    assert set(Job.objects.visible_to(root)) == {mine, clerks}


def test_downloading_a_file_is_audited_as_a_reveal(client_for, a_admin):
    job = services.create_job(
        a_admin, "test:x", params={"do": "ok"}, upload=_upload(b"PK\x03\x04 data", "名单.xlsx")
    )
    response = client_for(a_admin).get(f"/jobs/{job.pk}/files/input/")
    assert b"".join(response.streaming_content) == b"PK\x03\x04 data"
    assert "attachment" in response["Content-Disposition"]
    record = AuditLog.objects.get(action=Action.REVEAL)
    assert record.object_id == str(job.pk) and "名单" in record.message
    assert client_for(a_admin).get(f"/jobs/{job.pk}/files/result/").status_code == 404
    assert client_for(a_admin).get(f"/jobs/{job.pk}/files/other/").status_code == 404


def test_old_files_are_purged_but_not_those_a_younger_job_uses(a_admin):
    old = services.create_job(a_admin, "test:x", params={"do": "ok"}, upload=_upload(b"old"))
    shared = services.create_job(a_admin, "test:x", params={"do": "ok"}, upload=_upload(b"s"))
    younger = services.create_job(
        a_admin, "test:x", params={"do": "ok"}, input_name=shared.input_file.name
    )
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Job.objects.filter(pk__in=[old.pk, shared.pk]).update(
        created_at=long_ago, status=Status.SUCCEEDED
    )
    assert runner.purge_files(datetime.timedelta(days=30)) == 1
    old.refresh_from_db()
    shared.refresh_from_db()
    assert not old.input_file
    assert shared.input_file and shared.input_file.storage.exists(shared.input_file.name)
    assert younger.input_file.name == shared.input_file.name


def _upload(content: bytes, name: str = "file.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
