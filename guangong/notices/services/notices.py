"""Every change to notices: drafting, issuing (numbering, the recipient list), files, read
receipts, feedback and reminders. Each is an audited action (``core.actions``).

Numbering: a notice's number is unique per issuer, prefix and year. Issuing locks the issuer's
row first, so two notices issued at once by one organisation take their numbers one after the
other; the database's unique constraint is the last word (a clash is refused in words).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core import dates
from guangong.core.actions import action, nothing_changed
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope, subtree_q
from guangong.core.services import record_saved, record_update
from guangong.notifications import notify
from guangong.orgs.models import Kind, Organization

from .. import attachments
from ..models import (
    Audience,
    Notice,
    NoticeFile,
    NoticeStatus,
    Receipt,
    Reminder,
)
from ..models.notices import BODY_MAX, FEEDBACK_MAX, TITLE_MAX

MAX_FIGURES = 30
FIGURE_NAME_MAX = 40
#: Called with each reminder once it is committed: the notification system registers its hook
#: (a message to the recipient's users; ``notifications.work.reminded``).
reminder_hooks: list = []


def next_number(org: Organization, prefix: str, year: int) -> int:
    """The number the next notice of ``org`` under ``prefix`` in ``year`` takes."""
    taken = Notice.objects.filter(organization=org, prefix=prefix, year=year)
    return (taken.aggregate(m=Max("number"))["m"] or 0) + 1


def _too_long(field: str, limit: int) -> ValidationError:
    return ValidationError({field: _("At most %(n)d characters.") % {"n": limit}})


def _clean(actor, notice: Notice, org: Organization, co_issuers, chosen) -> tuple[list, list]:
    notice.prefix = (notice.prefix or "").strip()
    notice.title = (notice.title or "").strip()
    notice.body = (notice.body or "").strip()
    if len(notice.title) > TITLE_MAX:
        raise _too_long("title", TITLE_MAX)
    if len(notice.body) > BODY_MAX:
        raise _too_long("body", BODY_MAX)
    errors = {}
    this_year = dates.today().year
    if not notice.year or not 2000 <= notice.year <= this_year + 1:
        errors["year"] = _("Give a year between 2000 and next year.")
    if notice.feedback_required and notice.feedback_due is None:
        errors["feedback_due"] = _("Say by when the feedback is due.")
    if not notice.feedback_required:
        notice.feedback_due = None
    kinds = [k for k in (notice.audience_kinds or []) if k in Kind.values]
    if len(kinds) != len(notice.audience_kinds or []):
        errors["audience_kinds"] = _("Choose kinds of organisation from the list.")
    notice.audience_kinds = sorted(set(kinds))
    if notice.audience == Audience.KINDS and not kinds:
        errors["audience_kinds"] = _("Choose at least one kind of organisation.")
    below = Organization.objects.filter(subtree_q("path", org.path)).exclude(pk=org.pk)
    chosen = list(chosen or [])
    if notice.audience == Audience.CHOSEN and not chosen:
        errors["chosen"] = _("Choose the organisations to send it to.")
    if chosen and below.filter(pk__in=[o.pk for o in chosen]).count() != len(chosen):
        errors["chosen"] = _("Choose organisations below the issuer.")
    co_issuers = [o for o in (co_issuers or []) if o.pk != org.pk]
    visible = Organization.objects.visible_to(actor).filter(pk__in=[o.pk for o in co_issuers])
    if visible.count() != len(co_issuers):
        errors["co_issuers"] = _("Choose an organisation within your scope.")
    if errors:
        raise ValidationError(errors)
    notice.full_clean(exclude=["created_by"], validate_constraints=False)
    if notice.number and _number_taken(notice):
        raise ValidationError({"number": _number_message(notice)})
    return co_issuers, chosen


def _number_taken(notice: Notice) -> bool:
    return (
        Notice.objects.filter(
            organization_id=notice.organization_id,
            prefix=notice.prefix,
            year=notice.year,
            number=notice.number,
        )
        .exclude(pk=notice.pk)
        .exists()
    )


def _number_message(notice: Notice) -> str:
    return _("%(number)s is already taken; the next free number is %(next)d.") % {
        "number": notice.doc_number,
        "next": next_number(notice.organization, notice.prefix, notice.year),
    }


def _stored(notice: Notice) -> Notice:
    return Notice.objects.select_related("organization").get(pk=notice.pk)


def _draft_only(notice: Notice) -> None:
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("An issued notice cannot be changed."))


@action("write", model=Notice)
def save_notice(actor, notice: Notice, co_issuers=None, chosen=None) -> Notice:
    """Create or edit a draft notice (issuer in the actor's scope)."""
    org = Organization.objects.get(pk=notice.organization_id)
    if not policy_for(Notice).allows_path(actor, "write", org.path):
        raise OutOfScope()
    before = None
    if notice.pk:
        stored = _stored(notice)
        _draft_only(stored)
        before = snapshot(stored)
    else:
        notice.created_by = actor if getattr(actor, "pk", None) else None
        notice.status = NoticeStatus.DRAFT
    co_issuers, chosen = _clean(actor, notice, org, co_issuers, chosen)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError as exc:
        raise ValidationError({"number": _number_message(notice)}) from exc
    notice.co_issuers.set(co_issuers)
    notice.chosen.set(chosen)
    record_saved(actor, notice, before, parent=org)
    return notice


@action("write", model=Notice)
def delete_notice(actor, notice: Notice) -> None:
    """Delete a draft; an issued notice is kept with its number and receipts."""
    notice = _stored(notice)
    _draft_only(notice)
    record(actor, Action.DELETE, notice, before=snapshot(notice), parent=notice.organization)
    for item in notice.files.all():
        transaction.on_commit(lambda f=item.file: f.storage.delete(f.name))
    notice.delete()


def recipients(notice: Notice):
    """The organisations the notice goes to, by its audience (never the issuer itself)."""
    org = notice.organization
    below = Organization.objects.filter(subtree_q("path", org.path)).exclude(pk=org.pk)
    if notice.audience == Audience.CHILDREN:
        return below.filter(depth=org.depth + 1)
    if notice.audience == Audience.KINDS:
        return below.filter(kind__in=notice.audience_kinds)
    if notice.audience == Audience.CHOSEN:
        return below.filter(pk__in=notice.chosen.values("pk"))
    return below


@action("write", model=Notice)
def issue(actor, notice: Notice, on: datetime.date | None = None) -> None:
    """Issue a draft: give it its number (the next free one unless it has one), fix its
    recipients as one receipt each. (It returns nothing: an issued notice is no longer the
    actor's to ``write``, which an action checks of the row it returns.)"""
    notice = _stored(notice)
    _draft_only(notice)
    # One organisation's notices are numbered one at a time.
    list(Organization.objects.select_for_update().filter(pk=notice.organization_id))
    before = snapshot(notice)
    if not notice.number:
        notice.number = next_number(notice.organization, notice.prefix, notice.year)
    elif _number_taken(notice):
        raise ValidationError({"number": _number_message(notice)})
    targets = list(recipients(notice).values_list("pk", flat=True))
    if not targets:
        raise ValidationError(_("No organisation receives this notice; choose recipients."))
    if notice.feedback_required and notice.feedback_due < dates.today():
        raise ValidationError({"feedback_due": _("The feedback due date has passed.")})
    notice.status = NoticeStatus.ISSUED
    notice.issued_at = timezone.now()
    notice.issued_on = on or timezone.localdate(notice.issued_at)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError as exc:
        raise ValidationError({"number": _number_message(notice)}) from exc
    Receipt.objects.bulk_create(
        [Receipt(notice=notice, organization_id=pk) for pk in targets], batch_size=1000
    )
    record(
        actor,
        Action.UPDATE,
        notice,
        before=before,
        after=snapshot(notice),
        parent=notice.organization,
        message=_("Issued %(number)s to %(n)d organisations")
        % {"number": notice.doc_number, "n": len(targets)},
    )
    notify("notice_issued", notice=notice)  # to the recipients' users, after commit


@action("write", model=Notice)
def add_file(actor, notice: Notice, upload) -> NoticeFile:
    """Attach a document or photo to a draft notice."""
    checked = attachments.check_upload(upload)
    notice = _stored(notice)
    _draft_only(notice)
    return _store(actor, NoticeFile(notice=notice), checked, notice, notice.organization.path)


def _store(actor, row: NoticeFile, checked, parent, org_path: str) -> NoticeFile:
    row.uploaded_by = actor if getattr(actor, "pk", None) else None
    stored = row.store(checked)
    try:
        row.save()
        record(
            actor,
            Action.CREATE,
            row,
            after={"name": row.name, "size": row.size},
            parent=parent,
            org_path=org_path,
        )
    except Exception:
        row.file.storage.delete(stored)
        raise
    return row


# --- Recipients -----------------------------------------------------------------------------


@action("read", model=Receipt)
def mark_read(actor, receipt: Receipt) -> Receipt:
    """Record the first opening of the notice at the receipt's organisation (later ones are
    not recorded)."""
    receipt = Receipt.objects.select_related("organization").get(pk=receipt.pk)
    if receipt.read_at is not None:
        nothing_changed()
        return receipt
    receipt.read_at = timezone.now()
    receipt.read_by = actor
    receipt.read_by_name = str(actor)
    receipt.save(update_fields=["read_at", "read_by", "read_by_name"])
    record(
        actor,
        Action.UPDATE,
        receipt,
        after={"read_at": receipt.read_at.isoformat()},
        parent=receipt.notice,
        org_path=receipt.organization.path,
        message=_("Notice read"),
    )
    return receipt


def read_on_open(user, notice: Notice) -> None:
    """A notice opened by a user of a recipient organisation: its read receipt (first time)."""
    if notice.status != NoticeStatus.ISSUED or user.organization_id is None:
        return
    receipt = Receipt.objects.filter(
        notice=notice, organization_id=user.organization_id, read_at__isnull=True
    ).first()
    if receipt is not None:
        mark_read(user, receipt)


def parse_figures(raw) -> dict:
    """Figures as name → number: a dict (API) or lines of ``名称：数值`` (the page)."""
    if raw in (None, "", {}):
        return {}
    if isinstance(raw, str):
        pairs = []
        for line in raw.splitlines():
            line = line.strip()
            if not line:
                continue
            name, sep, value = line.replace("：", ":").rpartition(":")
            if not sep:
                raise ValidationError({"figures": _("Write one figure a line: name: number.")})
            pairs.append((name, value))
    elif isinstance(raw, dict):
        pairs = list(raw.items())
    else:
        raise ValidationError({"figures": _("Write one figure a line: name: number.")})
    if len(pairs) > MAX_FIGURES:
        raise ValidationError({"figures": _("At most %(n)d figures.") % {"n": MAX_FIGURES}})
    figures = {}
    for name, value in pairs:
        name = str(name).strip()
        if not name or len(name) > FIGURE_NAME_MAX:
            raise ValidationError(
                {"figures": _("Name each figure in at most %(n)d characters.") % {"n": 40}}
            )
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError) as exc:
            raise ValidationError(
                {"figures": _("“%(name)s” is not a number.") % {"name": name}}
            ) from exc
        if not number.is_finite() or abs(number) >= 10**12:
            raise ValidationError({"figures": _("“%(name)s” is not a number.") % {"name": name}})
        figures[name] = int(number) if number == number.to_integral_value() else float(number)
    return figures


@action("write", model=Receipt)
def file_feedback(actor, receipt: Receipt, text: str, figures=None, upload=None) -> Receipt:
    """The recipient's feedback: text, figures, and a file; filed again, it replaces the text
    and figures (files add up)."""
    checked = attachments.check_upload(upload) if upload else None
    receipt = Receipt.objects.select_related("notice", "organization").get(pk=receipt.pk)
    if not receipt.notice.feedback_required or receipt.notice.status != NoticeStatus.ISSUED:
        raise ValidationError(_("This notice asks for no feedback."))
    text = (text or "").strip()
    if len(text) > FEEDBACK_MAX:
        raise _too_long("feedback", FEEDBACK_MAX)
    figures = parse_figures(figures)
    if not text and not figures and checked is None:
        raise ValidationError({"feedback": _("Write the feedback.")})
    before = snapshot(receipt)
    receipt.feedback = text
    receipt.figures = figures
    receipt.answered_at = timezone.now()
    receipt.answered_by_name = str(actor)
    if receipt.read_at is None:
        receipt.read_at, receipt.read_by, receipt.read_by_name = (
            receipt.answered_at,
            actor,
            str(actor),
        )
    receipt.save()
    record_update(
        actor,
        receipt,
        before,
        parent=receipt.notice,
        org_path=receipt.organization.path,
    )
    if checked is not None:
        row = NoticeFile(notice=receipt.notice, receipt=receipt)
        _store(actor, row, checked, receipt, receipt.organization.path)
    return receipt


# --- The issuer's side ----------------------------------------------------------------------

WAITING = {
    "unread": Q(read_at__isnull=True),
    "unanswered": Q(notice__feedback_required=True, answered_at__isnull=True),
}


@action("remind", model=Notice)
def remind(actor, notice: Notice, which: str = "", note: str = "") -> int:
    """Remind the recipients who have not read (``unread``), not answered (``unanswered``),
    or either (default) — one reminder each; returns how many."""
    notice = _stored(notice)
    if notice.status != NoticeStatus.ISSUED:
        raise ValidationError(_("Only an issued notice can be reminded of."))
    note = (note or "").strip()
    if len(note) > 200:
        raise _too_long("note", 200)
    waiting = WAITING.get(which) or (WAITING["unread"] | WAITING["unanswered"])
    receipts = list(notice.receipts.filter(waiting).select_related("organization"))
    if not receipts:
        raise ValidationError(_("Every recipient has read and answered; nobody to remind."))
    made = Reminder.objects.bulk_create(
        [Reminder(receipt=r, by=actor, by_name=str(actor), note=note) for r in receipts]
    )
    for receipt in receipts:  # a handful of rows per notice
        Receipt.objects.filter(pk=receipt.pk).update(reminders_sent=receipt.reminders_sent + 1)
    record(
        actor,
        Action.UPDATE,
        notice,
        parent=notice.organization,
        message=_("Reminded %(n)d organisations: %(names)s")
        % {"n": len(receipts), "names": "、".join(r.organization.name for r in receipts[:20])},
    )
    for reminder in made:
        for hook in reminder_hooks:
            transaction.on_commit(lambda h=hook, r=reminder: h(r))
    return len(receipts)
