"""List exports: small ones at once, large ones as a background job with progress and a
download; the file reads exactly as the page's table (masking included)."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import resolve

from guangong.audit.models import Action, AuditLog
from guangong.core import export
from guangong.core.export import XLSX_TYPE, stream_rows
from guangong.core.importer.testing import read_xlsx
from guangong.core.tests.support import text
from guangong.jobs import exports, runner
from guangong.jobs.models import Job, Status
from guangong.people.models import Elder
from guangong.people.services.persons import save_person
from guangong.people.tests.conftest import make_id

pytestmark = pytest.mark.usefixtures("media")


URL = "/people/elders/"


@pytest.fixture
def elders(tree, city_admin, people, categories):
    """Besides the ``people`` fixture's: elders of county A in every shape a cell can take."""
    shapes = [
        ("甲一", "13900001111", "201", [categories["cadre"], categories["teacher"]], True),
        ("甲二", "", None, [], True),
        ("甲三", "13900003333", "203", [categories["expert"]], False),
        ("=甲四", "13900004444", None, [], True),  # a formula, neutralised
    ]
    for name, phone, seq, cats, active in shapes:
        elder = Elder(organization=tree.county_a, name=name, phone=phone, active=active)
        if seq is None:
            elder.sex, elder.birth_date = "F", datetime.date(1956, 2, 29)
        save_person(
            city_admin,
            elder,
            id_number=make_id("654002", "19500101", seq) if seq else None,
            m2m={"categories": cats},
        )
    return people


def list_view(user, path=URL, query=None):
    """The list page's view at ``path``, set up as its URL pattern sets it up."""
    request = RequestFactory().get(path, query or {})
    request.user = user
    match = resolve(path)
    view = match.func.view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    return view


@pytest.mark.parametrize("persona", ["a_admin", "a_revealer", "city_admin"])
@pytest.mark.parametrize("path", [URL, "/people/youth/", "/activities/"])
def test_the_export_reads_exactly_as_the_table(
    request,
    elders,
    ledger,
    persona,
    path,
):
    view = list_view(request.getfixturevalue(persona), path)
    queryset = view.export_queryset()
    headers, table_rows = view.export_rows(queryset)  # the page's table, cell by cell
    fields = view.export_fields()
    assert [str(header) for header in headers] == [str(field.header) for field in fields]
    fast = list(stream_rows(queryset.prefetch_related(None), fields, chunk=3))
    # The same rows (the table orders ties of its sort column as the database returns them).
    assert sorted(cells(fast), key=repr) == sorted(cells(table_rows), key=repr)
    assert len(fast) == queryset.count() > 0


def cells(rows) -> list[list]:
    return [["" if value is None else value for value in row] for row in rows]


def download(client, job) -> list[tuple]:
    response = client.get(f"/jobs/{job.pk}/files/result/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    return read_xlsx(b"".join(response.streaming_content))


def test_a_small_export_is_answered_at_once(client_for, a_admin, elders):
    response = client_for(a_admin).get(URL, {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    rows = read_xlsx(response.content)
    assert len(rows) == 1 + 6  # county A and its township: two, and the four above
    assert not Job.objects.exists()
    assert AuditLog.objects.filter(action=Action.EXPORT).count() == 1


def deferred(monkeypatch):
    """The worker has not taken the job yet."""
    monkeypatch.setattr(runner, "immediate", lambda: False)
    monkeypatch.setattr(runner, "put", lambda job: True)


def test_the_jobs_app_writes_the_large_exports():
    assert export._background_export is exports.start_list_export


def test_without_a_background_writer_a_large_export_fails_loudly(
    client_for, a_admin, elders, settings, monkeypatch
):
    settings.EXPORT_SYNC_MAX_ROWS = 3
    monkeypatch.setattr(export, "_background_export", None)
    with pytest.raises(ImproperlyConfigured):
        client_for(a_admin).get(URL, {"export": "xlsx"})
    assert not Job.objects.exists()


def test_a_large_export_is_a_job_audited_once_its_file_is_written(
    client_for, a_admin, elders, settings, monkeypatch
):
    settings.EXPORT_SYNC_MAX_ROWS = 3
    deferred(monkeypatch)
    client = client_for(a_admin)
    response = client.get(URL, {"export": "xlsx", "q": "甲", "page": "2"}, follow=True)
    job = Job.objects.get(kind="export:people:elder_list")
    assert response.redirect_chain[-1][0] == job.get_absolute_url()
    assert "超过 3 行" in text(response)  # the user is told why
    assert job.status == Status.PENDING
    assert not AuditLog.objects.filter(action=Action.EXPORT).exists()  # no file yet

    monkeypatch.undo()
    settings.EXPORT_SYNC_MAX_ROWS = 3
    runner.execute(str(job.pk))
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.message
    assert (job.summary["rows"], job.progress, job.total) == (4, 4, 4)  # the filter held
    log = AuditLog.objects.get(action=Action.EXPORT)
    assert (log.user, log.org_path) == (a_admin, a_admin.scope_path)
    assert "4" in log.message and "q=%E7%94%B2" in log.message

    page = text(client.get(job.get_absolute_url()))
    assert 'data-testid="export-download"' in page and "文件共 4 行" in page
    rows = download(client, job)
    assert rows[0][0] == "姓名" and len(rows) == 5
    assert ("'=甲四" in {row[0] for row in rows}) and "139****1111" in str(rows)
    assert "13900001111" not in str(rows)  # a_admin may not reveal: masked as on the page


def test_a_revealer_gets_phones_in_clear_as_on_the_page(
    client_for,
    a_revealer,
    elders,
    settings,
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    client = client_for(a_revealer)
    client.get(URL, {"export": "xlsx"})
    job = Job.objects.get(user=a_revealer)
    assert "13900001111" in str(download(client, job))


def test_progress_is_published_while_the_file_is_written(
    client_for, a_admin, elders, settings, monkeypatch
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    monkeypatch.setattr("guangong.core.xlsx_stream.BATCH", 2)
    seen = []
    real_call = runner.Progress.__call__

    def spy(self, done, total=None):
        seen.append((self.message, done, total))
        real_call(self, done, total)

    monkeypatch.setattr(runner.Progress, "__call__", spy)
    client_for(a_admin).get(URL, {"export": "xlsx"})
    assert [done for _, done, _ in seen] == [2, 4, 6, 6]
    assert {(message, total) for message, _, total in seen} == {("正在生成文件", 6)}


def test_a_list_without_export_columns_of_its_own_exports_its_table_in_a_job(
    client_for, city_admin, tree, settings
):
    client = client_for(city_admin)
    at_once = read_xlsx(client.get("/orgs/", {"export": "xlsx"}).content)
    settings.EXPORT_SYNC_MAX_ROWS = 1
    client.get("/orgs/", {"export": "xlsx"})
    job = Job.objects.get(user=city_admin)
    assert job.status == Status.SUCCEEDED, job.message
    assert download(client, job) == at_once and len(at_once) > 2
