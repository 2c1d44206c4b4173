"""Large list exports as background jobs (job type ``export``).

A list's export (``core.views.ObjectListView.export``) of more than ``EXPORT_SYNC_MAX_ROWS``
rows would hold a web worker for tens of seconds (and be killed by its timeout): it becomes a
job instead. The job records which list page asked (its URL name and arguments) and the query
string, nothing else. The worker builds the same page view for the same user and runs the same
filtered, scoped queryset again — so the user's scope, verbs and the masking of phones are
checked as they stand when the file is written, never wider than the page would show — writes
the file in a stream, and records the export in the audit log in the same transaction as the
job's success: an export is audited once its file exists, not before. The file is downloaded
from the job's page by the user who asked, and by nobody else (the Job policy's ``download``); it
is deleted with the uploads, after ``JOB_INPUT_RETENTION_HOURS``.
"""

import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.core.actions import batch
from guangong.core.resources import policy_for

from . import registry
from .models import Job, job_file_path
from .runner import JobFailed, finish, input_retention, queue_unavailable_message
from .services import start_job

TYPE = "export"


def start_list_export(request, title: str) -> Job:
    """Start the export of the list page answering ``request`` (its filters, its user)."""
    match = request.resolver_match
    query = request.GET.copy()
    query.pop("page", None)
    job = start_job(
        request.user,
        f"{TYPE}:{match.view_name}"[:64],
        params={
            "view": match.view_name,
            "args": [str(arg) for arg in match.args],  # as in the URL (reverse takes them)
            "kwargs": {key: str(value) for key, value in match.kwargs.items()},
            "query": query.urlencode(),
            "title": title,
        },
    )
    messages.info(
        request,
        _(
            "This list has more than %(n)d rows: the file is being written in the background. "
            "Download it from this page when it is ready."
        )
        % {"n": settings.EXPORT_SYNC_MAX_ROWS},
    )
    if job.queue_unavailable:
        messages.warning(request, queue_unavailable_message())
    return job


def list_view(job: Job):
    """The list page's view, set up for the job's user and query as the request was."""
    from guangong.core.views import ObjectListView

    params = job.params
    try:
        path = reverse(params["view"], args=params.get("args"), kwargs=params.get("kwargs"))
        match = resolve(path)
    except (KeyError, Resolver404) as exc:
        raise JobFailed(_("This list can no longer be exported.")) from exc
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ObjectListView):
        raise JobFailed(_("This list can no longer be exported."))
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(params.get("query", ""))
    request.user = job.user
    request.resolver_match = match
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view


def run_export(job: Job, progress) -> dict:
    user = job.user
    view = list_view(job)
    # The user's permissions and scope as they stand now, as the page would check them.
    if not (user.is_active and view.permitted(user)):
        raise JobFailed(_("You no longer have permission to export this list."))
    queryset = view.export_queryset()
    if queryset is None:
        raise JobFailed(_("Correct the filters before exporting."))
    total = queryset.count()
    progress.phase(_("Writing the file"), total)
    title = view.export_title()
    filename = f"{title}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx"
    with tempfile.TemporaryFile() as handle:
        count = view.write_export(queryset, handle, on_rows=lambda done: progress(done, total))
        handle.seek(0)
        stored = default_storage.save(job_file_path(job, filename), File(handle, name=filename))
    summary = {"rows": count, "title": title, "file": filename}
    try:
        with batch("export"):  # the file, its audit record and the job's success together
            Job.objects.filter(pk=job.pk).update(result_file=stored)
            view.audit_export(count)
            finish(job, summary, done=count)
    except BaseException:
        default_storage.delete(stored)
        raise
    return summary


def _label(job: Job) -> str:
    return _("Export of %(list)s") % {"list": job.params.get("title", "")}


def _context(request, job: Job) -> dict:
    return {
        "can_download": bool(job.result_file)
        and policy_for(Job).allows(request.user, "download", job),
        "retention_hours": int(input_retention().total_seconds() // 3600),
        "threshold": settings.EXPORT_SYNC_MAX_ROWS,
    }


registry.register(
    TYPE,
    run_export,
    label=_label,
    result_template="jobs/results/export.html",
    context=_context,
    atomic=True,
)
