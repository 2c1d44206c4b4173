"""Spreadsheet imports as background jobs: check, confirm, commit, undo.

The flow, for any ``core.importer.Importer`` registered with ``@register``:

1. ``start_import``: the upload is saved and a *check* job parses and checks every row. It
   ends with the list of errors and an error file, or with a preview of what will be created.
2. ``confirm_import`` (the uploader, after a clean check): a *commit* job reads the same file
   again, checks it again (the data may have changed meanwhile) and creates every row in one
   transaction. Its id is the batch id each created object records.
3. ``undo_import`` (the uploader, or an administrator of their subtree): an *undo* job deletes
   the batch in one transaction, or refuses if anything has been added to it since.
"""

import pathlib
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guangong.core.importer import Importer, ImportFailed, get_importer
from guangong.core.scope import has_verb
from guangong.core.services import require

from . import registry
from .models import Job, Status
from .services import JobFailed, create_job, enqueue, store_result

CHECK, COMMIT = "check", "commit"
#: Created objects listed on the result page.
SAMPLE = 20


def import_kind(importer_class: type[Importer]) -> str:
    return f"import:{importer_class.label()}"


def importer_of(job: Job) -> Importer:
    return get_importer(job.kind.split(":", 1)[1])()


def is_import(job: Job, mode: str | None = None) -> bool:
    return job.kind.startswith("import:") and (mode is None or job.params.get("mode") == mode)


# --- Starting ------------------------------------------------------------------------------


def start_import(actor, importer_class: type[Importer], upload) -> Job:
    """Save the upload and check it in the background."""
    require(actor, "edit")
    job = create_job(
        actor,
        import_kind(importer_class),
        params={"mode": CHECK, "filename": pathlib.PurePath(upload.name).name[:200]},
        upload=upload,
    )
    enqueue(job)
    return job


def can_confirm(actor, job: Job) -> bool:
    summary = job.summary
    return (
        is_import(job, CHECK)
        and job.user_id == actor.pk
        and has_verb(actor, "edit")
        and job.status == Status.SUCCEEDED
        and summary.get("rows", 0) > 0
        and summary.get("error_count", 1) == 0
        and not summary.get("commit_job")
    )


def confirm_import(actor, check_job: Job, acknowledged: bool = False) -> Job:
    """Import a checked file. Confirming twice (a double click) returns the same job.

    A check with warnings (rows to verify) is imported only ``acknowledged`` (the user ticked
    “我已核实，仍然导入”); the commit refuses warnings beyond those acknowledged.
    """
    with transaction.atomic():
        check_job = Job.objects.select_for_update().get(pk=check_job.pk)
        existing = check_job.summary.get("commit_job")
        if existing and check_job.user_id == actor.pk:
            return Job.objects.get(pk=existing)
        if not can_confirm(actor, check_job):
            raise PermissionDenied(_("This file cannot be imported."))
        warnings = check_job.summary.get("warning_count", 0)
        if warnings and not acknowledged:
            raise ValidationError(
                _("Some rows need verifying: confirm that you have verified them to import.")
            )
        job = create_job(
            actor,
            check_job.kind,
            params={
                "mode": COMMIT,
                "filename": check_job.params.get("filename", ""),
                "check_job": str(check_job.pk),
                "acknowledged_warnings": warnings,
            },
            input_name=check_job.input_file.name,
        )
        check_job.summary["commit_job"] = str(job.pk)
        check_job.save(update_fields=["summary"])
    enqueue(job)
    return job


def undo_job_of(job: Job) -> Job | None:
    undo_id = job.summary.get("undo_job")
    return Job.objects.filter(pk=undo_id).first() if undo_id else None


def can_undo(actor, job: Job) -> bool:
    """The uploader, or an administrator who sees the job (their subtree), with ``edit``."""
    if not (
        is_import(job, COMMIT)
        and job.status == Status.SUCCEEDED
        and job.summary.get("created", 0) > 0
        and has_verb(actor, "edit")
        and (job.user_id == actor.pk or has_verb(actor, "manage_users"))
        and Job.objects.visible_to(actor).filter(pk=job.pk).exists()
    ):
        return False
    undo = undo_job_of(job)
    return undo is None or undo.status in (Status.FAILED, Status.CANCELLED)


def undo_import(actor, import_job: Job) -> Job:
    """Undo an import in the background. Asking twice returns the same job."""
    with transaction.atomic():
        import_job = Job.objects.select_for_update().get(pk=import_job.pk)
        undo = undo_job_of(import_job)
        if undo is not None and undo.status not in (Status.FAILED, Status.CANCELLED):
            return undo
        if not can_undo(actor, import_job):
            raise PermissionDenied(_("You cannot undo this import."))
        undo = create_job(
            actor,
            "undo:" + import_job.kind.split(":", 1)[1],
            params={"batch": import_job.summary["batch"], "import_job": str(import_job.pk)},
        )
        import_job.summary["undo_job"] = str(undo.pk)
        import_job.save(update_fields=["summary"])
    enqueue(undo)
    return undo


# --- Handlers (run by the worker) ----------------------------------------------------------


def run_import(job: Job, progress) -> dict:
    importer = importer_of(job)
    mode = job.params.get("mode", CHECK)
    with job.input_file.open("rb") as handle:
        data = handle.read()
    started = time.perf_counter()
    progress.phase(_("Reading the file"))
    result = importer.parse(data, progress)
    progress.phase(_("Checking the rows"), len(result.rows))
    importer.validate(result, job.user, progress)
    checked = time.perf_counter()
    summary = importer.summary(result)
    summary["check_seconds"] = round(checked - started, 2)
    # The marked file: for errors, and for warnings to verify before confirming.
    if not result.file_errors and (not result.ok or (mode == CHECK and result.warnings)):
        stem = pathlib.PurePath(job.params.get("filename") or "import").stem
        name = _("%(name)s errors.xlsx") % {"name": stem}
        store_result(job, importer.error_file(result), name)
    if not result.ok:
        if mode == COMMIT:
            raise JobFailed(_("The file has errors. Nothing was imported."), summary)
        return summary
    if mode == CHECK:
        summary["preview"] = importer.preview(result)
        return summary
    if len(result.warnings) > job.params.get("acknowledged_warnings", 0):
        # Records registered since the check: warnings the user has not seen.
        raise JobFailed(
            _("The file now has rows to verify that were not confirmed. Check it again."),
            summary,
        )
    progress.phase(_("Saving"), len(result.rows))
    try:
        created = importer.commit(result, job.user, job.pk.hex, progress)
    except ImportFailed as exc:
        raise JobFailed(str(exc), summary) from exc
    seconds = time.perf_counter() - started
    summary.update(
        created=len(created),
        batch=job.pk.hex,
        sample=[[obj.pk, str(obj)] for obj in created[:SAMPLE]],
        seconds=round(seconds, 2),
        rows_per_second=round(len(created) / seconds) if seconds else None,
    )
    return summary


def run_undo(job: Job, progress) -> dict:
    importer = importer_of(job)
    progress.phase(_("Undoing the import"))
    try:
        deleted = importer.undo(job.params["batch"], job.user, progress)
    except ValidationError as exc:
        raise JobFailed(" ".join(exc.messages)) from exc
    params = job.params
    return {"deleted": deleted, "batch": params["batch"], "import_job": params["import_job"]}


def _import_label(job: Job) -> str:
    title = importer_of(job).get_title()
    if job.params.get("mode") == COMMIT:
        return _("Import of %(what)s") % {"what": title}
    return _("Check of a file of %(what)s") % {"what": title}


def _undo_label(job: Job) -> str:
    return _("Undo of an import of %(what)s") % {"what": importer_of(job).get_title()}


def result_context(request, job: Job) -> dict:
    """What the result templates of import and undo jobs need."""
    importer = importer_of(job)
    ctx = {"importer": importer, "mode": job.params.get("mode")}
    if job.kind.startswith("undo:"):
        ctx["import_job"] = Job.objects.filter(pk=job.params.get("import_job")).first()
        return ctx
    user = request.user
    ctx["can_confirm"] = can_confirm(user, job)
    ctx["can_undo"] = can_undo(user, job)
    ctx["undo_job"] = undo_job_of(job)
    commit_id = job.summary.get("commit_job")
    ctx["commit_job"] = Job.objects.filter(pk=commit_id).first() if commit_id else None
    return ctx


registry.register(
    "import",
    run_import,
    label=_import_label,
    result_template="jobs/results/import.html",
    context=result_context,
)
registry.register(
    "undo",
    run_undo,
    label=_undo_label,
    result_template="jobs/results/undo.html",
    context=result_context,
)
