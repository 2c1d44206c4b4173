"""The access log of care cases: who opened, revealed, exported or downloaded which case.

Like the audit writer, it is written as readings happen (an opening, a download) as well as
inside actions (a reveal, an export); its rows are a log, never edited.
"""

from guangong.core import context

from .models import Access, Case


def access_row(actor, case: Case, kind: str, detail: str = "", reason: str = "") -> Access:
    """An unsaved access-log row of ``case`` (``log_access`` saves one, exports many)."""
    ctx = context.current()
    known = getattr(actor, "pk", None)
    return Access(
        case=case,
        case_number=case.number,
        org_path=case.organization.path,
        user=actor if known else None,
        username=actor.get_username() if known else "system",
        kind=kind,
        detail=str(detail)[:200],
        reason=reason[:300],
        ip=ctx.ip,
        request_id=ctx.request_id,
    )


def log_access(actor, case: Case, kind: str, detail: str = "", reason: str = "") -> Access:
    """Write one row of the case's access log."""
    row = access_row(actor, case, kind, detail, reason)
    row.save()
    return row
