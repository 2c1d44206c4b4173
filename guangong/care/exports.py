"""Protected exports of care cases: built in the background as a password-protected file.

``start_export`` (the case list's “导出”) starts a job for the filtered cases. The job writes an
.xlsx of the cases and encrypts it as an Office document (ECMA-376 agile encryption, AES-256;
Excel and WPS open it natively and ask for the password). The password is generated when the
export is asked for, kept only encrypted with the application key on the job until its result
page shows it once to the user who asked, and then forgotten; it never reaches the audit log.
The file is downloadable by that user alone, for ``CARE_EXPORT_HOURS`` (24 h), and then deleted
by a periodic task.

Sensitive fields are in clear in the file only for users who hold the ``reveal`` verb; for
others they read “已隐藏”. Each exported case gets an EXPORT row in its access log and the export
as a whole one audit record (count and filters, never the password).
"""

import datetime
import io
import secrets
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from guangong.audit.services import Action as AuditAction
from guangong.audit.services import record
from guangong.core import crypto
from guangong.core.actions import action, nothing_changed
from guangong.core.export import build_xlsx
from guangong.core.files import delete_on_commit
from guangong.core.resources import policy_for
from guangong.jobs import registry
from guangong.jobs.models import Job, Status
from guangong.jobs.runner import JobFailed, enqueue
from guangong.jobs.services import create_job

from .access_log import access_row
from .models import Access, Case

KIND = "care_export"
#: Letters and digits that cannot be mistaken for one another when typed from the screen.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 16


def hours() -> int:
    return settings.CARE_EXPORT_HOURS


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def masked() -> str:
    return _("Hidden")


def start_export(actor, filters: str) -> Job:
    """Export the cases ``filters`` (a list page's query string) selects, in the background."""
    if not policy_for(Case).may(actor, "read"):
        raise PermissionDenied(_("You do not have permission to do this."))
    job = create_job(
        actor,
        KIND,
        params={"filters": filters[:2000], "password_enc": crypto.encrypt(new_password())},
    )
    enqueue(job)
    return job


def _filtered(user, filters: str):
    from .filters import CaseFilterSet

    queryset = Case.objects.visible_to(user).select_related(
        "organization", "kind", "youth", "care_worker", "funding_source"
    )
    filterset = CaseFilterSet(
        data=QueryDict(filters), queryset=queryset, request=SimpleNamespace(user=user)
    )
    if not filterset.is_valid():
        raise JobFailed(_("Correct the filters before exporting."))
    return filterset.qs.order_by("organization__path", "opened_on", "pk")


HEADERS = (
    _lazy("Case number"),
    _lazy("Person helped"),
    _lazy("ID number"),
    _lazy("Kind of help"),
    _lazy("Stage"),
    _lazy("Organisation"),
    _lazy("Care worker"),
    _lazy("Opened on"),
    _lazy("Closed on"),
    _lazy("Situation"),
    _lazy("Home address"),
    _lazy("Family situation"),
    _lazy("Health"),
    _lazy("Assessment"),
    _lazy("Plan of help"),
    _lazy("Amount requested (yuan)"),
    _lazy("Amount approved (yuan)"),
    _lazy("Amount disbursed (yuan)"),
    _lazy("Funding source"),
    _lazy("Guardian consent"),
)


def _row(case: Case, clear: bool) -> list:
    youth = case.youth
    if clear and youth is not None and youth.id_number_enc:
        id_number = crypto.decrypt(youth.id_number_enc)
    else:
        id_number = youth.id_number_masked if youth is not None else ""
    sensitive = []
    for column in Case.SENSITIVE_FIELDS.values():
        stored = getattr(case, column)
        if not stored:
            sensitive.append("")
        else:
            sensitive.append(crypto.decrypt(stored) if clear else masked())
    consent = ""
    if case.has_consent:
        consent = f"{case.consent_by}（{case.consent_relation}）{case.consent_on:%Y-%m-%d}"
    return [
        case.number,
        youth.name if youth is not None else _("(anonymised)"),
        id_number,
        case.kind.label,
        str(case.get_status_display()),
        case.organization.name,
        str(case.care_worker) if case.care_worker else "",
        case.opened_on,
        case.closed_on,
        case.situation,
        *sensitive,
        case.assessment,
        case.plan,
        case.amount_requested,
        case.amount_approved,
        case.amount_disbursed,
        case.funding_source.label if case.funding_source else "",
        consent,
    ]


def encrypt_xlsx(content: bytes, password: str) -> bytes:
    """The workbook as a password-protected Office file (agile encryption, AES-256)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(content)).encrypt(password, out)
    return out.getvalue()


@action("export")
def record_export(user, cases: list, clear: bool, filters: str) -> None:
    """An EXPORT row in each exported case's access log, and one audit record of the export
    (count and filters, never the password)."""
    detail = _("Encrypted export") if not clear else _("Encrypted export, in clear")
    Access.objects.bulk_create(
        [access_row(user, case, Access.Kind.EXPORT, detail=detail) for case in cases],
        batch_size=1000,
    )
    record(
        user,
        AuditAction.EXPORT,
        None,
        org_path=user.scope_path or "",
        message=_("Encrypted export of %(n)d care cases (sensitive fields %(how)s), filters %(f)s")
        % {
            "n": len(cases),
            "how": _("in clear") if clear else _("masked"),
            "f": filters or "-",
        },
    )


def run(job: Job, progress) -> dict:
    """The job handler: build, encrypt, store, log."""
    user = job.user
    policy = policy_for(Case)
    if not policy.may(user, "read"):
        raise PermissionDenied(_("You do not have permission to do this."))
    clear = policy.may(user, "reveal")
    cases = list(_filtered(user, job.params.get("filters", "")))
    progress.phase(_("Writing the cases"), len(cases))
    rows = []
    for i, case in enumerate(cases, start=1):
        rows.append(_row(case, clear))
        progress(i)
    title = _("Care cases")
    content = build_xlsx(title, [str(h) for h in HEADERS], rows)
    password = crypto.decrypt(job.params["password_enc"])
    protected = encrypt_xlsx(content, password)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = default_storage.save(
        f"care_exports/{job.pk.hex}/{secrets.token_hex(8)}.xlsx", ContentFile(protected)
    )
    record_export(user, cases, clear, job.params.get("filters", ""))
    expires = timezone.now() + datetime.timedelta(hours=hours())
    return {
        "count": len(cases),
        "file": name,
        "filename": f"{_('Care cases')}-{stamp}.xlsx",
        "clear": clear,
        "expires_at": expires.isoformat(),
    }


# --- The result page and the download --------------------------------------------------------


def expires_at(job: Job) -> datetime.datetime | None:
    value = job.summary.get("expires_at")
    return datetime.datetime.fromisoformat(value) if value else None


def downloadable(job: Job, user) -> bool:
    """Only the user who asked, while the file is kept."""
    expiry = expires_at(job)
    return (
        job.kind == KIND
        and job.user_id == getattr(user, "pk", None)
        and job.status == Status.SUCCEEDED
        and bool(job.summary.get("file"))
        and expiry is not None
        and timezone.now() < expiry
    )


@action("export")
def take_password(user, job: Job) -> str | None:
    """The export's password, once: the stored copy is removed as it is read. Forgetting it is
    no change to a record (the password never reaches the audit log)."""
    nothing_changed()
    params = dict(job.params)
    token = params.pop("password_enc", None)
    if token is None:
        return None
    updated = Job.objects.filter(pk=job.pk, params__has_key="password_enc").update(params=params)
    job.params = params
    return crypto.decrypt(token) if updated else None


def result_context(request, job: Job) -> dict:
    ctx = {
        "export_count": job.summary.get("count"),
        "export_clear": job.summary.get("clear"),
        "export_expires": expires_at(job),
        "export_mine": job.user_id == request.user.pk,
    }
    if job.status == Status.SUCCEEDED and job.user_id == request.user.pk:
        ctx["export_password"] = take_password(request.user, job)
        if downloadable(job, request.user):
            ctx["export_url"] = reverse("care:export_download", args=[job.pk])
    elif job.user_id == request.user.pk and job.is_finished:
        take_password(request.user, job)  # a failed or cancelled export needs it no more
    return ctx


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete export files past their time (run by the system); returns how many."""
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(kind=KIND, status=Status.SUCCEEDED):
        name = job.summary.get("file")
        expiry = expires_at(job)
        if not name or (expiry is not None and expiry > now):
            continue
        delete_file(None, job)
        count += 1
    return count


@action("export")
def delete_file(actor, job: Job) -> None:
    """Delete an export's file, when the transaction commits (``actor`` None: the hourly task).
    The file is no record: nothing is audited."""
    nothing_changed()
    Job.objects.filter(pk=job.pk).update(summary=dict(job.summary, file=""))
    delete_on_commit(job.summary["file"])


def label(job: Job) -> str:
    return _("Encrypted export of care cases")


def register() -> None:
    registry.register(
        KIND,
        run,
        label=label,
        result_template="care/export_result.html",
        context=result_context,
    )
