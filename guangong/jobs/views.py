"""Job pages (a job's progress and result, the list of one's jobs) and the generic import pages.

An app wires its import with the two URL entries of ``import_urls``::

    *import_urls("orgs", "organization", OrganizationImporter),
"""

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from guangong.audit.services import Action, record
from guangong.core.export import XLSX_TYPE
from guangong.core.resource_views import ResourceDetailView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.views import VerbRequiredMixin

from . import lifecycle, registry, runner, services
from . import progress as live_progress
from .forms import ImportUploadForm
from .imports import (
    can_undo,
    confirm_import,
    import_kind,
    importer_of,
    sensitive_headers,
    start_import,
    undo_import,
)
from .lease import brief_wait
from .models import Job, Status

#: A job waiting this long, or running this long without progress, gets a warning on its page.
WAIT_WARNING = datetime.timedelta(minutes=1)
SILENCE_WARNING = datetime.timedelta(minutes=5)

STATUS_BADGES = {
    Status.PENDING: "text-bg-secondary",
    Status.RUNNING: "text-bg-primary",
    Status.SUCCEEDED: "text-bg-success",
    Status.FAILED: "text-bg-danger",
    Status.CANCELLED: "text-bg-warning",
    Status.INTERRUPTED: "text-bg-danger",
}


def attachment(content: bytes, filename: str, content_type: str = XLSX_TYPE) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=download.xlsx; filename*=UTF-8''{quote(filename)}"
    )
    return response


def job_context(request, job: Job) -> dict:
    """Progress and result of a job, for its page and for the polled partial."""
    now = timezone.now()
    if job.status == Status.RUNNING:
        try:  # its worker died: say so now, not at the next sweep
            with brief_wait():
                interrupted = lifecycle.interrupt(job, now)
            if interrupted:
                job.refresh_from_db()
        except DatabaseError:  # SQLite busy with an import: the sweep will say it
            pass
    done, total, message = job.progress, job.total, job.message
    stalled = job.status == Status.PENDING and now - job.created_at > WAIT_WARNING
    if job.status == Status.RUNNING:
        live = live_progress.live(job)
        last = job.started_at or job.created_at
        if live:
            done, total, message = live["progress"], live["total"], live["message"]
            last = datetime.datetime.fromtimestamp(live["at"], tz=datetime.UTC)
        stalled = now - last > SILENCE_WARNING
    percent = min(100, done * 100 // total) if total else None
    try:
        job_type = registry.get(job.kind)
    except KeyError:
        job_type = None
    ctx = {
        "job": job,
        "done": done,
        "total": total,
        "percent": percent,
        "phase": message,
        "finished": job.is_finished,
        "stalled": stalled,
        "badge": STATUS_BADGES.get(job.status, "text-bg-secondary"),
        "can_cancel": job.user_id == request.user.pk
        and (not job.is_finished or job.status == Status.INTERRUPTED),
        "can_retry": services.can_retry(request.user, job),
        "result_template": job_type.result_template if job_type else "jobs/results/default.html",
    }
    if job_type and job_type.context and job.is_finished:
        ctx.update(job_type.context(request, job))
    return ctx


class JobMixin(ResourceMixin, VerbRequiredMixin):
    """A page or action on one job (``pk``), routed with the Job resource (``jobs.urls``):
    404 for a job the user may not read, as for one that does not exist."""

    def get_job(self) -> Job:
        resource = self.resource
        return resource.policy.get(
            self.request.user, self.kwargs["pk"], "read", resource.queryset()
        )


class JobListView(JobMixin, TemplateView):
    """One's own jobs; an administrator may widen the list to the jobs of their subtree."""

    template_name = "jobs/job_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        can_see_all = self.resource.policy.may(user, "oversee")
        show_all = can_see_all and self.request.GET.get("scope") == "all"
        jobs = self.get_queryset()
        if not show_all:
            jobs = jobs.filter(user=user)
        page = Paginator(jobs, 25).get_page(self.request.GET.get("page"))
        ctx.update(page_obj=page, show_all=show_all, can_see_all=can_see_all)
        return ctx


class JobDetailView(ResourceDetailView):
    template_name = "jobs/job_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(job_context(self.request, self.object))
        return ctx

    def render_to_response(self, context, **kwargs):
        # A result may show something once (an export's password): never kept by a browser.
        response = super().render_to_response(context, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


class JobProgressView(JobDetailView):
    """The status block alone, polled by htmx every second until the job ends."""

    template_name = "jobs/job_status.html"


class JobFileView(JobMixin, View):
    """The job's uploaded file, or the upload with its errors marked: for the uploader and for
    users who may reveal sensitive fields (to others, as to users out of scope, 404). Each
    download is audited as a reveal of the file's sensitive columns."""

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        field = {"input": job.input_file, "result": job.result_file}.get(kwargs["which"])
        if not field or not policy_for(Job).allows(request.user, "download", job):
            raise Http404
        try:
            handle = field.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        name = field.name.rsplit("/", 1)[-1]
        record(request.user, Action.REVEAL, job, message=download_message(job, name))
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def download_message(job: Job, name: str) -> str:
    columns = ""
    if job.kind.startswith("import:"):
        try:
            columns = sensitive_headers(importer_of(job))
        except KeyError:  # an importer no longer registered
            columns = ""
    if not columns:
        return _("Downloaded %(file)s of %(job)s.") % {"file": name, "job": job.label}
    return _("Downloaded %(file)s of %(job)s, with the columns %(columns)s in clear.") % {
        "file": name,
        "job": job.label,
        "columns": columns,
    }


class JobCancelView(JobMixin, View):
    def post(self, request, *args, **kwargs):
        job = self.get_job()
        try:
            services.cancel_job(request.user, job)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(job.get_absolute_url())


class JobRetryView(JobMixin, View):
    """Run an interrupted job again (its owner only)."""

    def post(self, request, *args, **kwargs):
        job = self.get_job()
        try:
            job = services.retry_job(request.user, job)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            warn_if_not_queued(request, job)
        return HttpResponseRedirect(job.get_absolute_url())


def warn_if_not_queued(request, job: Job) -> None:
    """Tell the user at once when the task queue refused their job (it waits, saved)."""
    if getattr(job, "queue_unavailable", False):
        messages.warning(request, runner.queue_unavailable_message())


class ImportConfirmView(JobMixin, View):
    # A job one cannot read is absent (404); whether one may import (``edit``) is the
    # import's question (``imports.can_confirm``: 403).

    def post(self, request, *args, **kwargs):
        check_job = self.get_job()
        acknowledged = request.POST.get("acknowledge_warnings") == "on"
        try:
            job = confirm_import(request.user, check_job, acknowledged=acknowledged)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(check_job.get_absolute_url())
        warn_if_not_queued(request, job)
        return HttpResponseRedirect(job.get_absolute_url())


class ImportUndoView(JobMixin, TemplateView):
    """Ask, then undo an import (as a job); the import asks for ``edit`` (``can_undo``)."""

    template_name = "jobs/import_undo.html"

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        if not can_undo(request.user, job):
            raise PermissionDenied(_("You cannot undo this import."))
        return render(request, self.template_name, {"job": job, "importer": importer_of(job)})

    def post(self, request, *args, **kwargs):
        undo = undo_import(request.user, self.get_job())
        warn_if_not_queued(request, undo)
        return HttpResponseRedirect(undo.get_absolute_url())


class ImporterMixin(VerbRequiredMixin):
    """An import's pages: for whoever may write the importer's model."""

    importer_class = None

    def permitted(self, user) -> bool:
        return policy_for(self.importer_class.model).may(user, "write")

    def get_importer(self):
        return self.importer_class()


class ImportTemplateView(ImporterMixin, View):
    def get(self, request, *args, **kwargs):
        importer = self.get_importer()
        return attachment(importer.template(), importer.template_filename())


class ImportStartView(ImporterMixin, TemplateView):
    """Download the template, upload the file: the check runs as a job."""

    template_name = "jobs/import_start.html"
    template_url_name = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        importer = self.get_importer()
        ctx.setdefault("form", ImportUploadForm())
        ctx["importer"] = importer
        ctx["title"] = _("Import %(what)s") % {"what": importer.get_title()}
        ctx["template_url"] = reverse(self.template_url_name) if self.template_url_name else ""
        ctx["list_url"] = reverse(importer.list_url_name) if importer.list_url_name else ""
        ctx["recent"] = Job.objects.filter(
            user=self.request.user, kind=import_kind(self.importer_class)
        )[:5]
        return ctx

    def post(self, request, *args, **kwargs):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        job = start_import(request.user, self.importer_class, form.cleaned_data["file"])
        messages.info(request, _("Nothing is saved until you confirm the checked file."))
        warn_if_not_queued(request, job)
        return HttpResponseRedirect(job.get_absolute_url())


def import_urls(app_name: str, name: str, importer_class, prefix: str = "") -> list:
    """The import page and the template download of one importer: ``<prefix>/import/`` named
    ``<name>_import``, and ``<prefix>/import/template/`` named ``<name>_import_template``."""
    base = f"{prefix}/" if prefix else ""
    return [
        path(
            f"{base}import/",
            ImportStartView.as_view(
                importer_class=importer_class,
                template_url_name=f"{app_name}:{name}_import_template",
            ),
            name=f"{name}_import",
        ),
        path(
            f"{base}import/template/",
            ImportTemplateView.as_view(importer_class=importer_class),
            name=f"{name}_import_template",
        ),
    ]
