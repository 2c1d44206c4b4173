"""Spreadsheet imports as background jobs: check, confirm, commit, undo.

The flow, for any ``core.importer.Importer`` registered with ``@register``:

1. ``start_import``: the upload is saved and a *check* job parses and checks every row. It
   ends with the list of errors and an error file, or with a preview of what will be created.
2. ``confirm_import`` (the uploader, after a clean check): a *commit* job takes the rows the
   check converted (kept beside the upload, ``core.importer.checked``; the file is read again
   only if they no longer fit it), checks them again (the data may have changed meanwhile) and
   creates every row in one transaction. Its id is the batch id each created object records.
3. ``undo_import`` (the uploader, or an administrator of their subtree): an *undo* job deletes
   the batch in one transaction, or refuses if anything has been added to it since.

The upload is kept while a clean check awaits confirmation, and deleted when the import ends
(or the check ends with errors), at the latest after ``JOB_INPUT_RETENTION_HOURS``
(``runner.release_input``, ``runner.purge_inputs``); a check whose upload is gone can no
longer be confirmed. The preview's sensitive cells read masked to users without ``reveal``.
"""

import pathlib
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record
from guangong.core.actions import action, batch, nothing_changed
from guangong.core.importer import Importer, ImportFailed, checked, get_importer
from guangong.core.importer.preview import has_sensitive_values
from guangong.core.resources import policy_for
from guangong.core.services import require

from . import registry
from .models import Job, Status
from .runner import JobFailed, enqueue, finish, input_retention, store_file, store_result
from .services import create_job, retry_job

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


def awaits_confirmation(job: Job) -> bool:
    """A clean check not confirmed yet: its upload is kept for the import that may follow."""
    summary = job.summary
    return (
        is_import(job, CHECK)
        and job.status == Status.SUCCEEDED
        and summary.get("rows", 0) > 0
        and summary.get("error_count", 1) == 0
        and not summary.get("commit_job")
    )


def may_import(actor, job: Job, op: str = "write") -> bool:
    """Whether the actor's role may ``op`` (write, reveal) the rows the job's importer makes
    (the policy of the importer's model; an importer no longer registered: nobody)."""
    try:
        model = importer_of(job).model
    except KeyError:
        return False
    return policy_for(model).may(actor, op)


def can_confirm(actor, job: Job) -> bool:
    return (
        awaits_confirmation(job)
        and job.user_id == actor.pk
        and bool(job.input_file)
        and may_import(actor, job)
    )


def confirm_import(actor, check_job: Job, acknowledged: bool = False) -> Job:
    """Import a checked file. Confirming twice (a double click) returns the same job.

    A check with warnings (rows to verify) is imported only ``acknowledged`` (the user ticked
    “我已核实，仍然导入”); the commit refuses warnings beyond those acknowledged.
    """
    job, state = _confirm(actor, check_job, acknowledged)
    if state == "interrupted":  # the import's worker died: confirming again runs it again
        return retry_job(actor, job)
    if state == "new":
        enqueue(job)
    return job


@action("write", model=Job)
def _confirm(actor, check_job: Job, acknowledged: bool) -> tuple[Job, str]:
    """The commit job of ``check_job`` (locked): the one confirmed already ("same", or
    "interrupted" if its worker died), or a new one ("new")."""
    check_job = Job.objects.get(pk=check_job.pk)
    existing = check_job.summary.get("commit_job")
    if existing and check_job.user_id == actor.pk:
        job = Job.objects.get(pk=existing)
        nothing_changed()
        return job, "interrupted" if job.status == Status.INTERRUPTED else "same"
    return _create_commit_job(actor, check_job, acknowledged), "new"


def _create_commit_job(actor, check_job: Job, acknowledged: bool) -> Job:
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
        and may_import(actor, job)
        and policy_for(Job).allows(actor, "write", job)
    ):
        return False
    undo = undo_job_of(job)
    return undo is None or undo.status in (Status.FAILED, Status.CANCELLED)


def undo_import(actor, import_job: Job) -> Job:
    """Undo an import in the background. Asking twice returns the same job."""
    undo, new = _ask_undo(actor, import_job)
    if new:
        enqueue(undo)
    return undo


@action("write", model=Job)
def _ask_undo(actor, import_job: Job) -> tuple[Job, bool]:
    """The undo job of ``import_job`` (locked): the one asked already, or a new one (True)."""
    import_job = Job.objects.get(pk=import_job.pk)
    undo = undo_job_of(import_job)
    if undo is not None and undo.status not in (Status.FAILED, Status.CANCELLED):
        nothing_changed()
        return undo, False
    if not can_undo(actor, import_job):
        raise PermissionDenied(_("You cannot undo this import."))
    undo = create_job(
        actor,
        "undo:" + import_job.kind.split(":", 1)[1],
        params={"batch": import_job.summary["batch"], "import_job": str(import_job.pk)},
    )
    import_job.summary["undo_job"] = str(undo.pk)
    import_job.save(update_fields=["summary"])
    return undo, True


# --- Handlers (run by the worker) ----------------------------------------------------------


def _kept_rows_name(job: Job) -> str:
    """The file holding the converted rows of the check a commit job confirms ("" if none)."""
    check_id = job.params.get("check_job")
    if not check_id:
        return ""
    check = Job.objects.filter(pk=check_id).values_list("summary", flat=True).first() or {}
    return check.get("kept_rows", "")


def _read(importer: Importer, job: Job, data: bytes, progress) -> tuple:
    """The parse of the upload: a commit job takes its check's converted rows when they still
    fit the file (``core.importer.checked``), else reads the file again."""
    if job.params.get("mode") == COMMIT:
        name = _kept_rows_name(job)
        if name and default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                result = checked.load(importer, handle.read(), data)
            default_storage.delete(name)  # one commit per check: it is not needed again
            if result is not None:
                return result, True
    return importer.parse(data, progress), False


#: Largest sheet (rows) that gets a marked file when it has warnings but no errors.
WARNING_FILE_MAX_ROWS = 10_000


def run_import(job: Job, progress) -> dict:
    importer = importer_of(job)
    mode = job.params.get("mode", CHECK)
    try:
        with job.input_file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError) as exc:  # ValueError: the field was emptied
        raise JobFailed(_("The uploaded file has been deleted. Upload it again.")) from exc
    started = time.perf_counter()
    progress.phase(_("Reading the file"))
    result, reused = _read(importer, job, data, progress)
    kept = checked.dump(importer, result) if mode == CHECK and not result.file_errors else None
    read = time.perf_counter()
    progress.phase(_("Checking the rows"), len(result.rows))
    importer.validate(result, job.user, progress)
    checked_at = time.perf_counter()
    summary = importer.summary(result)
    summary["check_seconds"] = round(checked_at - started, 2)
    summary["read_seconds"] = round(read - started, 2)
    summary["reused_check"] = reused
    # The marked file: for errors, and for warnings to verify before confirming. Rewriting a
    # large sheet takes longer than the check itself, so for warnings alone (which do not
    # block the import, and are all listed on the page) only files of moderate size get one.
    marked_warnings = (
        mode == CHECK and result.warnings and len(result.rows) <= WARNING_FILE_MAX_ROWS
    )
    if not result.file_errors and (not result.ok or marked_warnings):
        stem = pathlib.PurePath(job.params.get("filename") or "import").stem
        name = _("%(name)s errors.xlsx") % {"name": stem}
        store_result(job, importer.error_file(result), name)
    if not result.ok:
        if mode == COMMIT:
            raise JobFailed(_("The file has errors. Nothing was imported."), summary)
        return summary
    if mode == CHECK:
        summary["preview"] = importer.preview(result)
        if kept is not None:
            summary["kept_rows"] = store_file(job, kept, "checked-rows.json.z")
        return summary
    if len(result.warnings) > job.params.get("acknowledged_warnings", 0):
        # Records registered since the check: warnings the user has not seen.
        raise JobFailed(
            _("The file now has rows to verify that were not confirmed. Check it again."),
            summary,
        )
    progress.phase(_("Saving"), len(result.rows))
    try:
        # The rows and the job's success are committed together, or neither is.
        with batch(f"import:{job.pk.hex}"):
            created = importer.commit(result, job.user, job.pk.hex, progress)
            finished = time.perf_counter()
            seconds = finished - started
            summary.update(
                created=len(created),
                batch=job.pk.hex,
                sample=[[obj.pk, str(obj)] for obj in created[:SAMPLE]],
                save_seconds=round(finished - checked_at, 2),
                seconds=round(seconds, 2),
                rows_per_second=round(len(created) / seconds) if seconds else None,
            )
            finish(job, summary, done=len(created))
    except ImportFailed as exc:
        raise JobFailed(str(exc), summary) from exc
    return summary


def run_undo(job: Job, progress) -> dict:
    importer = importer_of(job)
    progress.phase(_("Undoing the import"))
    params = job.params
    try:
        with batch(f"undo:{params['batch']}"):  # the deletions and the job's success together
            deleted = importer.undo(params["batch"], job.user, progress)
            summary = {
                "deleted": deleted,
                "batch": params["batch"],
                "import_job": params["import_job"],
            }
            finish(job, summary, done=deleted)
    except ValidationError as exc:
        raise JobFailed(" ".join(exc.messages)) from exc
    return summary


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
    ctx["can_download"] = policy_for(Job).allows(user, "download", job)
    ctx["input_removed"] = bool(job.params.get("filename")) and not job.input_file
    ctx["retention_hours"] = int(input_retention().total_seconds() // 3600)
    kept = job.summary.get("preview")
    if kept:
        clear = may_import(user, job, "reveal")
        ctx["preview_rows"] = importer.preview_rows(kept, clear)
        revealed = importer.sensitive_columns() and has_sensitive_values(kept)
        if clear and revealed and job.user_id != user.pk:
            record(
                user,
                Action.REVEAL,
                job,
                message=_("Viewed the preview of %(job)s with %(columns)s in clear.")
                % {"job": job.label, "columns": sensitive_headers(importer)},
            )
    return ctx


def sensitive_headers(importer: Importer) -> str:
    return "、".join(str(column.header) for column in importer.sensitive_columns())


registry.register(
    "import",
    run_import,
    label=_import_label,
    result_template="jobs/results/import.html",
    context=result_context,
    keeps_input=awaits_confirmation,
    atomic=True,
)
registry.register(
    "undo",
    run_undo,
    label=_undo_label,
    result_template="jobs/results/undo.html",
    context=result_context,
    atomic=True,
)
