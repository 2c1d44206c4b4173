"""The duplicate check at entry: one record per person in the whole tree, without telling a
user more than they may see.

An elder or young person being saved is checked against every current record of the tree: the
same ID number is refused, the same name and birth date needs a confirmation. A match inside
the user's scope is named by its organisation (“此人已在某某社区登记”). A match outside it is an
answer about someone the user may not see (查重命中), so:

- it says only that the person is registered outside the user's scope and that an
  administrator above both organisations can merge the records or transfer the person — no
  organisation, no name, no link;
- each such answer is an audit row of action ``duplicate_probe``, kept with the asker's
  organisation path, the matched record's type and id and the masked ID number typed (never
  the record's name or organisation), and ``after`` = {"kind", "answered"};
- a user gets at most ``settings.DUPLICATE_PROBES_PER_DAY`` such answers a day (local date),
  counted as distinct records from those audit rows, so the count is exact whichever process
  answers; asking again about a record already answered today costs nothing. Beyond the limit
  the check is refused with a message saying so (and still audited), and an import whose
  sheet would go beyond it fails its check (``people.importers``).

A refused save rolls its transaction back, and would take the audit rows with it; so while
``recording()`` is open they are queued and written when the outermost block ends, after the
rollback. The pages and the API wrap their saves in it (their transaction is opened outside
the service), and ``save_person`` itself does, for callers holding no transaction.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.models import Action, AuditLog
from guangong.audit.services import record_rows
from guangong.core.scope import in_scope, scope_path, subtree_q

from .models import DISMISSALS, Person

#: What a check matched: the same ID number, or the same name and birth date.
ID, NAME = "id_number", "name"


@dataclass(frozen=True, slots=True)
class Hit:
    """A current record outside the asker's scope that a check matched."""

    model: type[Person]
    pk: int
    kind: str
    #: How the audit row shows what was asked: the masked ID number typed, never a name.
    label: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.model._meta.label_lower, str(self.pk)


# --- Messages -------------------------------------------------------------------------------


def elsewhere_message(kind: str) -> str:
    """The answer about a match outside the user's scope: nothing of the record itself."""
    if kind == ID:
        return _(
            "This person is already registered outside your scope. An administrator above "
            "both organisations can merge the records or transfer the person."
        )
    return _(
        "Someone with the same name and birth date is already registered outside your scope. "
        "If it is the same person, an administrator above both organisations can merge the "
        "records or transfer the person; if it is a different person, confirm to save."
    )


def limit_message() -> str:
    return _(
        "You have reached today's limit of duplicate checks outside your scope. Contact your "
        "administrator."
    )


def import_limit_message() -> str:
    return _(
        "The rows of this file match people registered outside your scope more often than "
        "today's limit of duplicate checks outside your scope allows (%(limit)d a day). "
        "Contact your administrator."
    ) % {"limit": settings.DUPLICATE_PROBES_PER_DAY}


def describe_in_scope(other: Person) -> str:
    """“此人已在某某单位登记”: names the owning organisation only, never the record itself."""
    return _("This person is already registered at %(org)s.") % {"org": other.organization.name}


# --- Answers counted and audited ------------------------------------------------------------

_queue: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "guangong_duplicate_probes", default=None
)


@contextmanager
def recording() -> Iterator[None]:
    """Queue the audit rows of answers given inside the block; write them when the outermost
    block ends (a refused save has rolled back by then)."""
    if _queue.get() is not None:
        yield
        return
    queued: list = []
    token = _queue.set(queued)
    try:
        yield
    finally:
        _queue.reset(token)
        _write(queued)


def _day_start() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))


def answered_today(actor) -> set[tuple[str, str]]:
    """The records outside their scope ``actor`` has been told about today."""
    rows = (
        AuditLog.objects.filter(
            user_id=actor.pk,
            action=Action.DUPLICATE_PROBE,
            time__gte=_day_start(),
            after__answered=True,
        )
        .order_by()
        .values_list("object_type", "object_id")
        .distinct()
    )
    seen = set(rows)
    for queued_actor, hit, answered in _queue.get() or ():
        if answered and queued_actor.pk == actor.pk:
            seen.add(hit.key)
    return seen


def answer(actor, hits: Sequence[Hit]) -> bool:
    """Whether ``hits`` may be answered (“已在您的管辖范围以外登记”) or today's limit refuses
    them, all alike. One audit row per hit either way (queued inside ``recording``)."""
    if not hits:
        return True
    seen = answered_today(actor)
    new = {hit.key for hit in hits} - seen
    allowed = not new or len(seen) + len(new) <= settings.DUPLICATE_PROBES_PER_DAY
    entries = [(actor, hit, allowed) for hit in hits]
    queued = _queue.get()
    if queued is None:
        _write(entries)
    else:
        queued.extend(entries)
    return allowed


def _write(entries: list) -> None:
    groups: dict[tuple, list] = {}
    for actor, hit, answered in entries:
        groups.setdefault((actor.pk, hit.model, hit.kind, answered), []).append((actor, hit))
    if not groups:
        return
    with transaction.atomic():
        for (_pk, model, kind, answered), items in groups.items():
            actor = items[0][0]
            path = scope_path(actor) or ""
            after = {"kind": kind, "answered": answered}
            rows = ((hit.pk, hit.label, None, path, None, after) for _actor, hit in items)
            record_rows(
                actor, Action.DUPLICATE_PROBE, model, rows, message=_audit_text(kind, answered)
            )


def _audit_text(kind: str, answered: bool) -> str:
    if not answered:
        return _("Duplicate check refused: today's limit of checks outside the scope was reached.")
    if kind == ID:
        return _("Duplicate check: the same ID number is registered outside the user's scope.")
    return _(
        "Duplicate check: the same name and birth date are registered outside the user's scope."
    )


# --- The check of one record ----------------------------------------------------------------


def dismissed_partners(person: Person) -> set[int]:
    """Ids of the records marked as a different person from ``person`` (“不是同一人”)."""
    dismissals = DISMISSALS[type(person)].objects
    return set(dismissals.filter(first=person).values_list("second_id", flat=True)) | set(
        dismissals.filter(second=person).values_list("first_id", flat=True)
    )


def _first(queryset, path: str | None) -> Person | None:
    """The first record of ``queryset`` inside the subtree at ``path``, else the first at all."""
    inside = None
    if path is not None:
        inside = queryset.filter(subtree_q("organization__path", path)).first()
    return inside or queryset.first()


def duplicates_of(actor, person: Person) -> tuple[Person | None, Person | None]:
    """Other current records of the same person anywhere in the tree: (same ID number, same
    name and birth date), each the first inside the actor's scope if there is one. The caller
    has already stored the new ID number on ``person`` (``set_id_number``)."""
    others = (
        type(person)
        .objects.current()
        .exclude(pk=person.pk)
        .select_related("organization")
        .order_by("pk")
    )
    path = scope_path(actor)
    same_id = None
    if person.id_number_hash:
        same_id = _first(others.filter(id_number_hash=person.id_number_hash), path)
    same_name = None
    if person.birth_date:
        same = others.filter(name=person.name, birth_date=person.birth_date)
        if person.pk:  # pairs an administrator marked as two different people are not asked
            same = same.exclude(pk__in=dismissed_partners(person))
        same_name = _first(same, path)
    return same_id, same_name


def _describe(actor, person: Person, other: Person, kind: str) -> str:
    if in_scope(actor, other.organization.path):
        message = describe_in_scope(other)
        if kind == NAME:
            message += _(
                " If this is a different person with the same name and birth date, confirm to save."
            )
        return message
    label = person.id_number_masked if kind == ID else ""
    if not answer(actor, [Hit(type(other), other.pk, kind, label)]):
        return limit_message()
    return elsewhere_message(kind)


def check_duplicates(
    actor, person: Person, allow_same_name: bool, old: Person | None = None
) -> None:
    """Refuse a second record of the same ID number, and (unconfirmed) of the same name and
    birth date.

    The codes ride on the inner errors (``ValidationError({field: message}, code=…)`` would
    drop them), so that a form can tell the confirmable case by
    ``form.has_error("name", "duplicate_name")``. An edit that keeps the name and birth date
    is not asked again: the pair was confirmed, or imported, when the record was made.
    """
    same_id, same_name = duplicates_of(actor, person)
    if same_id is not None:
        message = _describe(actor, person, same_id, ID)
        raise ValidationError({"id_number": ValidationError(message, code="duplicate_id")})
    unchanged = old is not None and (old.name, old.birth_date) == (person.name, person.birth_date)
    if same_name is not None and not allow_same_name and not unchanged:
        message = _describe(actor, person, same_name, NAME)
        raise ValidationError({"name": ValidationError(message, code="duplicate_name")})
