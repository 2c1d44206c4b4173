"""Bulk writes of elders and young people, for imports of tens of thousands of rows.

``services.save_person`` costs about ten queries per person (scope, duplicates, dictionary
items, save, many-to-many, audit). An import has already checked every row against lookups
fetched once (``people.importers``), so ``create_rows`` writes them as prepared tuples
(``core.bulkinsert``: executemany on SQLite, COPY on PostgreSQL; no model instances): the
people (ciphertext, blind index, mask, birth date and sex from the ID number, pinyin search key,
each computed once per row), their many-to-many rows through the ``through`` tables, and one
audit row per person with ``audit.services.record_rows`` — the same fields ``record`` would
write. The new keys are read back by the import batch id. The caller holds the transaction
(``transaction.atomic``), so a failure keeps nothing.

``delete_batch`` undoes an import the same way: refused while any other record refers to a
person of the batch (``delete_blockers``: mentorships, activities, care cases, leadership, merged
records — read from the model's relations, a care case or help request named only to a user who
works on care cases; only team membership goes with the person);
otherwise one delete audit row per person, then plain DELETE statements by key.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, _jsonable, record_rows
from guangong.core import bulkinsert, crypto, idnumber
from guangong.core.pinyin import search_key
from guangong.core.scope import has_verb
from guangong.core.services import require, require_in_scope

from .import_common import chunks
from .models import DISMISSALS, Mentorship, Person

#: Rows per INSERT (and per look-up query): well under SQLite's limit on query parameters.
BATCH = 1000

Progress = Callable[[int, int], None]
#: Types an audit snapshot keeps as they are.
PLAIN = frozenset({str, int, bool, type(None)})


def id_fields(value: str, hash_: str | None = None) -> dict:
    """What a person stores for a valid, normalised ID number: ciphertext, hash, mask, birth
    date and sex (read directly from the number: it has been validated already)."""
    if not value:
        return {"id_number_enc": "", "id_number_hash": "", "id_number_masked": ""}
    return {
        "id_number_enc": crypto.encrypt(value),
        "id_number_hash": hash_ or crypto.blind_index(value),
        "id_number_masked": idnumber.mask(value),
        **id_facts(value),
    }


def id_facts(value: str) -> dict:
    """Birth date and sex of a valid, normalised ID number (read directly from the number)."""
    return {
        "birth_date": datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14])),
        "sex": "M" if int(value[16]) % 2 else "F",
    }


def snapshotter(model: type[models.Model]) -> Callable[[models.Model], dict]:
    """``audit.services.snapshot`` with the field look-ups done once for the model."""
    masked = getattr(model, "audit_masked_fields", {})
    plan = []
    for name in model.audit_fields:
        field = model._meta.get_field(name)
        plan.append((name, field.attname, masked.get(name)))

    def snap(instance) -> dict:
        data = {}
        for name, attname, mask in plan:
            value = getattr(instance, attname)
            if mask is not None and value:
                value = mask(value)
            data[name] = _jsonable(value)
        return data

    return snap


def _require_scope(actor, orgs) -> None:
    require(actor, "edit")
    for org in orgs:
        require_in_scope(actor, org.path)


def create_rows(
    actor,
    model: type[Person],
    rows: Sequence[dict],
    *,
    id_numbers: Sequence[str],
    hashes: Sequence[str] | None = None,
    m2m: dict[str, Sequence[Sequence[int]]] | None = None,
    import_batch: str,
    progress: Progress | None = None,
) -> list[int]:
    """Save new people of ``model`` (already validated) from dicts of field values; returns
    their primary keys, aligned with ``rows``.

    Each row holds model field values by attribute name (``organization_id``, ``name`` …) and
    ``organization``, an instance: scope is checked once per organisation and the audit rows
    take its path. ``id_numbers``: the clear, normalised, valid numbers aligned with ``rows``
    ("" for none); ``hashes``: their blind indexes when already computed. ``m2m``: {field:
    [item pks per person]}. Every person records ``import_batch``, by which the keys are read
    back. The values are prepared once per row (the row dicts are completed in place) and
    inserted with ``core.bulkinsert``.
    """
    if not rows:
        return []
    if not import_batch:
        raise ValueError("create_rows() needs an import batch id")
    orgs = {row["organization"].pk: row["organization"] for row in rows}
    _require_scope(actor, orgs.values())
    connection = bulkinsert.connection_for(model)
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    shared = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            shared[field.attname] = now
        elif field.has_default():
            shared[field.attname] = field.get_default()
        elif field.null:
            shared[field.attname] = None
        else:
            shared[field.attname] = ""
    shared["import_batch"] = import_batch
    # Per row: what the rows give and what is computed here, read with one itemgetter (dates
    # adapted for the driver); every other column is the same for all rows, prepared once.
    computed = ("organization_id", "id_number_enc", "id_number_hash", "id_number_masked")
    keys = set(rows[0])
    varying = keys | {*computed, "search_text", "birth_date", "sex"}
    row_fields = [f for f in fields if f.attname in varying]
    fixed_fields = [f for f in fields if f.attname not in varying]
    getter = operator.itemgetter(*(f.attname for f in row_fields))
    adapted = [
        (index, adapt)
        for index, adapt in enumerate(bulkinsert.adapter(f, connection) for f in row_fields)
        if adapt is not bulkinsert.identity
    ]
    constants = tuple(bulkinsert.constant(f, shared[f.attname], connection) for f in fixed_fields)

    def prepared(values: dict) -> tuple:
        row = list(getter(values))
        for index, adapt in adapted:
            row[index] = adapt(row[index])
        return (*row, *constants)

    names: dict[str, str] = {}
    snap = snapshotter_of_values(model, shared)
    records: list[dict] = []
    blank = dict.fromkeys(computed[1:], "")
    tokens = crypto.encrypt_many(id_numbers)
    if not hashes:
        hashes = crypto.blind_indexes(id_numbers)
    for index, values in enumerate(rows):
        if values.keys() != keys:
            raise ValueError("every row must give the same fields")
        values["organization_id"] = values["organization"].pk
        number = id_numbers[index]
        if number:
            facts = id_facts(number)
            values["id_number_enc"] = tokens[index]
            values["id_number_hash"] = hashes[index] or crypto.blind_index(number)
            values["id_number_masked"] = idnumber.mask(number)
            values["birth_date"] = values.get("birth_date") or facts["birth_date"]
            values["sex"] = values.get("sex") or facts["sex"]
        else:
            values.update(blank)
            values.setdefault("birth_date", shared["birth_date"])
            values.setdefault("sex", shared["sex"])
        name = values["name"]
        key = names.get(name)
        if key is None:
            key = names[name] = search_key(name)
        values["search_text"] = key
        records.append(values)
    total = len(records)
    with transaction.atomic():
        bulkinsert.insert_rows(
            model,
            [field.column for field in row_fields + fixed_fields],
            (prepared(values) for values in records),
            progress=(lambda done: progress(done, total)) if progress is not None else None,
        )
        batch_column = model._meta.get_field("import_batch").column
        pks = bulkinsert.ids_where(model, batch_column, import_batch)
        if len(pks) != total:
            raise RuntimeError("the import batch id is not unique")
        for name, values in (m2m or {}).items():
            field = model._meta.get_field(name)
            bulkinsert.insert_rows(
                field.remote_field.through,
                [field.m2m_column_name(), field.m2m_reverse_name()],
                ((pk, item) for pk, items in zip(pks, values, strict=True) for item in items),
            )

        def entries():
            for index, values in enumerate(records):
                after = snap(values)
                for name, items in (m2m or {}).items():
                    after[name] = sorted(items[index])
                org = values["organization"]
                yield pks[index], values["name"], org, org.path, None, after

        record_rows(actor, Action.CREATE, model, entries())
    return pks


def snapshotter_of_values(model: type[models.Model], shared: dict) -> Callable[[dict], dict]:
    """``snapshotter`` for a dict of field values by attribute name (no instance); a field
    missing from the dict takes its value from ``shared``."""
    masked = getattr(model, "audit_masked_fields", {})
    plan = []
    for name in model.audit_fields:
        field = model._meta.get_field(name)
        plan.append((name, field.attname, masked.get(name)))

    def snap(values: dict) -> dict:
        data = {}
        for name, attname, mask in plan:
            value = values[attname] if attname in values else shared[attname]
            if mask is not None and value:
                value = mask(value)
            data[name] = value if value.__class__ in PLAIN else _jsonable(value)
        return data

    return snap


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

    A care case or a help request is named only to an ``actor`` holding the ``care`` verb;
    anyone else reads that other records refer to the person.
    """
    tells_care = has_verb(actor, "care")
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


def delete_batch(
    actor, model: type[Person], batch_id: str, progress: Progress | None = None
) -> int:
    """Delete the people an import created, in one transaction; returns the count.

    Refused (``ValidationError``) when the batch is gone, partly outside the actor's scope, or
    another record now refers to one of its people (``delete_blockers``).
    """
    require(actor, "edit")
    with transaction.atomic():
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
