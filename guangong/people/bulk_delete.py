"""Deleting people in bulk, and what keeps a person from being deleted.

``delete_batch`` undoes an import: refused while any other record refers to a person of the
batch (``delete_blockers``: mentorships, activities, care cases, leadership, merged records —
read from the model's relations, a care case or help request named only to a user who works on
care cases; only team membership goes with the person); otherwise one delete audit row per
person, then plain DELETE statements by key.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record_rows
from guangong.core import bulkinsert
from guangong.core.actions import action
from guangong.core.resources import policy_for

from .bulk import BATCH, Progress, require_writable, snapshotter
from .import_common import chunks
from .models import DISMISSALS, Mentorship, Person

#: Records removed with the person: a team's member list says who belongs, not what was done;
#: a “not the same person” mark is about the person alone.
REMOVED_WITH_PERSON = frozenset(
    {
        ("people.team", "members"),
        *(
            (f"people.{m._meta.model_name}", f)
            for m in DISMISSALS.values()
            for f in ("first", "second")
        ),
    }
)


def _relations(model: type[Person]) -> tuple[list[tuple], list[tuple]]:
    """(table model, column, reason) of every other record that points at a ``model`` row
    and keeps it: mentorships, activities, care cases, records merged into it, teams it
    leads. Read from every foreign key to the model, hidden ones included (an activity's
    elders are rows of ``ActivityElder``), so that a new kind of record is never deleted
    silently with the person it refers to, nor makes the delete fail on a protected key.

    Also returns (table model, column, on_delete) of the rows that go with the person: its own
    many-to-many rows and what ``REMOVED_WITH_PERSON`` names."""
    # The many-to-many tables of other models: a row is counted as that model's record.
    m2m = {
        rel.through: (rel.related_model, rel.field.name)
        for rel in model._meta.related_objects
        if rel.many_to_many
    }
    special = {
        "merged_into": _("has records merged into it"),
        "leader": _("leads a team"),
    }
    blocking, removable = [], []
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        table = rel.related_model
        owner, name = m2m.get(table, (table, rel.field.name))
        if (
            table._meta.auto_created is model  # the person's own categories, specialities …
            or (owner._meta.label_lower, name) in REMOVED_WITH_PERSON
        ):
            removable.append((table, rel.field.attname, rel.on_delete))
            continue
        if owner is Mentorship:
            reason = _("has mentorship records")
        else:
            reason = special.get(name) or _("has linked %(records)s") % {
                "records": owner._meta.verbose_name_plural
            }
        blocking.append((table, rel.field.attname, str(reason)))
    return blocking, removable


#: Apps whose records about a person are themselves sensitive (care cases, help requests):
#: only a user who works on care cases is told they exist.
CARE_APPS = frozenset({"care", "helpdesk"})


def _reason_for(table: type[models.Model], reason: str, tells_care: bool) -> str:
    if table._meta.app_label in CARE_APPS and not tells_care:  # a case's elders too
        return str(_("is referred to by other records"))
    return reason


def delete_blockers(model: type[Person], pks: Sequence[int], actor=None) -> list[str]:
    """Why people of a batch cannot be deleted, one line per person (empty: they can).

    A care case or a help request is named only to an ``actor`` who may read care cases;
    anyone else reads that other records refer to the person.
    """
    tells_care = policy_for(apps.get_model("care", "Case")).may(actor, "read")
    reasons: dict[int, list[str]] = {}
    for table, column, found_reason in _relations(model)[0]:
        reason = _reason_for(table, found_reason, tells_care)
        for chunk in chunks(pks, BATCH):
            found = table._base_manager.filter(**{f"{column}__in": chunk})
            for pk in set(found.values_list(column, flat=True)):
                if reason not in reasons.setdefault(pk, []):
                    reasons[pk].append(reason)
    if not reasons:
        return []
    names = dict(model.objects.filter(pk__in=list(reasons)[:1000]).values_list("pk", "name"))
    return [
        _("%(object)s: %(what)s") % {"object": names.get(pk, pk), "what": "、".join(why)}
        for pk, why in sorted(reasons.items())
    ]


@action("write")
def delete_batch(
    actor, model: type[Person], batch_id: str, progress: Progress | None = None
) -> int:
    """Delete the people an import created, as one action; returns the count.

    Refused (``ValidationError``) when the batch is gone, partly outside the actor's scope, or
    another record now refers to one of its people (``delete_blockers``).
    """
    require_writable(actor, model)
    batch = model.objects.filter(import_batch=batch_id)
    people = list(batch.select_related("organization").order_by("pk"))
    if not people:
        raise ValidationError(_("Nothing to undo: the records of this import are gone."))
    editable = batch.editable_by(actor).count()
    if editable != len(people):
        raise ValidationError(
            _("Some records of this import are outside your scope; you cannot undo it.")
        )
    pks = [person.pk for person in people]
    blockers = delete_blockers(model, pks, actor)
    if blockers:
        shown = "；".join(blockers[:10])
        if len(blockers) > 10:
            shown += " " + _("(and %(n)d more)") % {"n": len(blockers) - 10}
        raise ValidationError(
            _(
                "This import cannot be undone: records were added to what it created "
                "since. Remove them first: %(what)s"
            )
            % {"what": shown}
        )
    snap = snapshotter(model)
    record_rows(
        actor,
        Action.DELETE,
        model,
        ((p.pk, str(p), p.organization, p.organization.path, snap(p), None) for p in people),
    )
    _delete_rows(model, pks, progress)
    return len(pks)


def _delete_rows(model: type[Person], pks: list[int], progress: Progress | None) -> None:
    """Delete people nothing else refers to (``delete_blockers`` found nothing): the rows that
    go with them, then the people, with plain DELETEs by key — no model instances, which for
    100,000 people is most of what ``QuerySet.delete`` costs. A relation that is not a plain
    cascade into a table nothing refers to (none today) makes it fall back to
    ``QuerySet.delete``."""
    _blocking, removable = _relations(model)
    total, done = len(pks), 0
    plain = all(
        on_delete is models.CASCADE
        and not any(
            f.auto_created and not f.concrete for f in table._meta.get_fields(include_hidden=True)
        )
        for table, _column, on_delete in removable
    )
    if not plain:
        for chunk in chunks(pks, BATCH):
            model.objects.filter(pk__in=chunk).delete()
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        return
    connection = bulkinsert.connection_for(model)
    quote = connection.ops.quote_name
    targets = [(table, column) for table, column, _on_delete in removable]
    size = 10_000 if connection.vendor == "postgresql" else BATCH
    with connection.cursor() as cursor:
        for table, column in [*targets, (model, model._meta.pk.column)]:
            name = quote(table._meta.db_table)
            for chunk in chunks(pks, size):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {name} WHERE {quote(column)} IN ({marks})",  # noqa: S608
                    chunk,
                )
                if table is model:
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
