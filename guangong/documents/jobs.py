"""Generating a bulletin or summary as a background job (job type ``document``).

``start_generation`` checks the object is in the user's scope and starts the job; the handler
renders the file through ``services.generate`` (which audits it as an export) and the job's
page ends with the link to download it.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from guangong.jobs import registry
from guangong.jobs.models import Job
from guangong.jobs.runner import JobFailed
from guangong.jobs.services import start_job

from . import services
from .models import Bulletin, DocumentKind, GeneratedDocument, WorkSummary

JOB_TYPE = "document"
MODELS = {DocumentKind.BULLETIN: Bulletin, DocumentKind.SUMMARY: WorkSummary}
STEPS = 3


def start_generation(actor, kind: str, obj, fmt: str) -> Job:
    return start_job(
        actor,
        f"{JOB_TYPE}:{kind}",
        params={"kind": kind, "pk": obj.pk, "format": fmt, "label": str(obj)},
    )


def _step(progress, done: int, message) -> None:
    progress.phase(message, STEPS)
    progress.done = done
    progress.publish()


def run_generation(job: Job, progress) -> dict:
    params = job.params
    kind, fmt = params.get("kind"), params.get("format")
    if kind not in MODELS or fmt not in GeneratedDocument.Format.values:
        raise JobFailed(_("Unknown document or format."))
    _step(progress, 0, _("Reading the document"))
    obj = (
        MODELS[kind]
        .objects.visible_to(job.user)
        .select_related("organization")
        .filter(pk=params.get("pk"))
        .first()
    )
    if obj is None:
        raise JobFailed(_("The document no longer exists or is outside your scope."))
    _step(progress, 1, _("Laying out the pages") if fmt == "pdf" else _("Filling the template"))
    doc = services.generate(job.user, kind, obj, fmt)
    _step(progress, 2, _("Keeping the file"))
    return {"document": doc.pk, "label": doc.label, "format": fmt, "size": doc.size}


def _label(job: Job) -> str:
    fmt = job.params.get("format", "")
    what = "Word" if fmt == "docx" else "PDF"
    return _("Generating %(what)s: %(name)s") % {"what": what, "name": job.params.get("label", "")}


def _context(request, job: Job) -> dict:
    doc = (
        GeneratedDocument.objects.visible_to(request.user)
        .filter(pk=job.summary.get("document"))
        .first()
    )
    ctx = {"document": doc}
    if doc is not None:
        ctx["download_url"] = reverse("documents:generated_download", args=[doc.pk])
        owner = doc.bulletin or doc.summary
        ctx["owner_url"] = owner.get_absolute_url() if owner else ""
    return ctx


registry.register(
    JOB_TYPE,
    run_generation,
    label=_label,
    result_template="documents/job_result.html",
    context=_context,
)
